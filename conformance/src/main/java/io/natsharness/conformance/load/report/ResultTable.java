package io.natsharness.conformance.load.report;

import io.natsharness.conformance.load.LoadReport;
import io.natsharness.conformance.load.LoadResult;
import io.natsharness.conformance.load.MaxRate;
import io.natsharness.conformance.load.requests.PayloadSizes;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The console summary of a load report: one row per method and transport (response times in ms,
 * from the intended start), the scheduling precision, payload sizes and max rates.
 *
 * <pre>{@code
 * ResultTable.print(report, System.out);
 * }</pre>
 */
public final class ResultTable {

  private ResultTable() {}

  public static void print(LoadReport report, PrintStream out) {
    out.println();
    out.println("response time in ms from each request's intended start (" + report.mode().label() + ")");
    out.printf("%-36s %-8s %-13s %9s %9s %9s %9s %9s %9s %7s %6s  %s%n", "METHOD", "VIA", "LOAD", "ACHIEVED",
        "P50", "P90", "P99", "P99.9", "MAX", "ERRORS", "LATE", "SLO");
    for (LoadResult r : report.results()) {
      List<String> breaches = report.breaches(r);
      String verdict = !LoadReport.gated(r) ? "(ceiling)" : breaches.isEmpty() ? "met" : "BREACHED: " + String.join("; ", breaches);
      out.printf("%-36s %-8s %-13s %9s %9s %9s %9s %9s %9s %7d %6d  %s%n", r.subject(), r.transport().id(),
          Figures.load(r), Figures.rate(r.achievedRate()) + "/s", Figures.ms(r.response(), 50), Figures.ms(r.response(), 90),
          Figures.ms(r.response(), 99), Figures.ms(r.response(), 99.9), Figures.ms(r.response(), 100),
          r.counts().errorCount(), r.counts().lateStarts(), verdict);
    }
    printPrecision(report, out);
    printPayloads(report.payloads(), out);
    printMaxRates(report.maxRates(), out);
    report.warnings().forEach(w -> out.println("warning: " + w));
  }

  private static void printPrecision(LoadReport report, PrintStream out) {
    if (!report.mode().open()) {
      return;
    }
    out.println();
    out.println("scheduling precision: how late each request left after its intended start (ms)");
    for (LoadResult r : report.results()) {
      out.printf(Locale.ROOT, "  %-36s %-8s p50 %s  p99 %s  p99.9 %s  max %s  (%d waited for an in-flight slot)%n",
          r.subject(), r.transport().id(), Figures.ms(r.lag(), 50), Figures.ms(r.lag(), 99), Figures.ms(r.lag(), 99.9),
          Figures.ms(r.lag(), 100), r.counts().inFlightWaits());
    }
  }

  private static void printPayloads(List<PayloadSizes> payloads, PrintStream out) {
    if (payloads.isEmpty()) {
      return;
    }
    out.println();
    out.println("payload sizes (bytes): protobuf vs JSON");
    for (PayloadSizes p : payloads) {
      out.printf(Locale.ROOT, "  %-36s request %.0f vs %.0f (x%.2f)   response %s vs %s%n", p.subject(),
          p.requestProtobuf(), p.requestJson(), p.requestProtobuf() == 0 ? 0 : p.requestJson() / p.requestProtobuf(),
          p.responseProtobuf().isPresent() ? String.valueOf(p.responseProtobuf().getAsLong()) : "-",
          p.responseJson().isPresent() ? String.valueOf(p.responseJson().getAsLong()) : "-");
    }
  }

  private static void printMaxRates(List<MaxRate> rates, PrintStream out) {
    if (rates.isEmpty()) {
      return;
    }
    out.println();
    out.println("max sustainable rate (" + rates.get(0).criterion() + ")");
    for (MaxRate m : rates) {
      out.printf("  %-36s %-8s %s%n", m.subject(), m.transport().id(),
          m.rate() == 0 ? "none (the first probe failed)" : (m.atLimit() ? "≥ " : "") + Figures.rate(m.rate()) + " req/s");
    }
  }
}
