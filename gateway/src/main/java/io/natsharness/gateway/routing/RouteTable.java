package io.natsharness.gateway.routing;

import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The gateway's HTTP surface, built from every method's {@code google.api.http} binding in the
 * catalog. Nothing is listed by hand: a method added to a schema is routable on the next build.
 *
 * <p>When several templates match a path, the one with more literal characters wins (as
 * grpc-gateway and Envoy's transcoder do), so {@code /items/latest} beats {@code /items/{id}}.
 *
 * <pre>{@code
 * RouteTable table = RouteTable.fromCatalog(ServiceCatalog.load());
 * RouteLookup r = table.lookup("GET", "/v1/ai/llm/generations/gen-1");
 * // Found[method=svc.ai.llm.v1.get_generation, pathVariables={generation_id=gen-1}]
 * }</pre>
 */
public final class RouteTable {

  private final List<Entry> entries;

  private RouteTable(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** One route per method of the catalog. */
  public static RouteTable fromCatalog(ServiceCatalog catalog) {
    return of(catalog.methods());
  }

  /** A table over the given methods (all of them must have a route). */
  public static RouteTable of(List<MethodInfo> methods) {
    List<Entry> entries = new ArrayList<>();
    for (MethodInfo m : methods) {
      String template = m.route().path().template();
      int brace = template.indexOf('{');
      // The literal text before the first variable is a cheap filter before the regex.
      String prefix = brace < 0 ? template : template.substring(0, brace);
      entries.add(new Entry(m, prefix));
    }
    // Most literal characters first, so the first match under a verb is the best one.
    entries.sort(Comparator.comparingInt((Entry e) -> -e.method.route().path().literalLength())
        .thenComparing(e -> e.method.subject()));
    return new RouteTable(entries);
  }

  /** Every method in the table, most specific template first. */
  public List<MethodInfo> methods() {
    return entries.stream().map(e -> e.method).toList();
  }

  /**
   * Resolves a request.
   *
   * @param verb the HTTP method, upper case
   * @param rawPath the path as sent (still percent-encoded, without the query string)
   */
  public RouteLookup lookup(String verb, String rawPath) {
    TreeSet<String> allowed = new TreeSet<>();
    for (Entry e : entries) {
      if (!rawPath.startsWith(e.prefix)) {
        continue;
      }
      Optional<Map<String, String>> vars;
      try {
        vars = e.method.route().path().match(rawPath);
      } catch (IllegalArgumentException badEscape) {
        return new RouteLookup.MalformedPath("malformed percent-encoding in path " + rawPath);
      }
      if (vars.isEmpty()) {
        continue;
      }
      if (e.method.route().verb().equals(verb)) {
        return new RouteLookup.Found(e.method, vars.get());
      }
      allowed.add(e.method.route().verb());
    }
    return allowed.isEmpty() ? new RouteLookup.NotFound() : new RouteLookup.WrongMethod(allowed);
  }

  private record Entry(MethodInfo method, String prefix) {}
}
