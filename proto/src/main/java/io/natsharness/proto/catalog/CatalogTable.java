package io.natsharness.proto.catalog;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the catalog as a plain-text table: service, method, subject, HTTP route and flags.
 * {@code main} is the first part of the project's main job ({@code ./nh run}).
 *
 * <pre>{@code
 * new CatalogTable(ServiceCatalog.load()).print(System.out);
 * }</pre>
 */
public final class CatalogTable {

  private static final String[] HEADER = {"SERVICE", "METHOD", "SUBJECT", "HTTP ROUTE", "FLAGS"};

  private final ServiceCatalog catalog;

  public CatalogTable(ServiceCatalog catalog) {
    this.catalog = catalog;
  }

  public static void main(String[] args) {
    new CatalogTable(ServiceCatalog.load()).print(System.out);
  }

  /** Writes the table and a one-line summary. */
  public void print(PrintStream out) {
    List<String[]> rows = new ArrayList<>();
    for (ServiceInfo service : catalog.services()) {
      for (MethodInfo method : service.methods()) {
        rows.add(new String[] {service.name(), method.name(), method.subject(),
            method.route().toString(), flags(method)});
      }
    }
    int[] widths = new int[HEADER.length];
    for (int i = 0; i < HEADER.length; i++) {
      widths[i] = HEADER[i].length();
      for (String[] row : rows) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    printRow(out, HEADER, widths);
    String previous = "";
    for (String[] row : rows) {
      String[] shown = row.clone();
      if (row[0].equals(previous)) {
        shown[0] = "";
      }
      previous = row[0];
      printRow(out, shown, widths);
    }
    out.printf("%d services, %d methods, %d events, %d schema files%n", catalog.services().size(),
        catalog.methods().size(), catalog.events().size(), catalog.schemaFiles().size());
    out.println("flags: S = server streaming, K = requires Idempotency-Key, R = read only (no side effects)");
  }

  private static String flags(MethodInfo method) {
    StringBuilder flags = new StringBuilder();
    if (method.serverStreaming()) {
      flags.append('S');
    }
    if (method.requiresIdempotencyKey()) {
      flags.append('K');
    }
    if (method.hasNoSideEffects()) {
      flags.append('R');
    }
    return flags.toString();
  }

  private static void printRow(PrintStream out, String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      line.append(String.format("%-" + widths[i] + "s", cells[i]));
      if (i < cells.length - 1) {
        line.append("  ");
      }
    }
    out.println(line.toString().stripTrailing());
  }
}
