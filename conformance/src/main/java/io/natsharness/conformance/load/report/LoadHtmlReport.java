package io.natsharness.conformance.load.report;

import io.natsharness.conformance.load.LoadReport;
import io.natsharness.conformance.load.LoadResult;
import io.natsharness.conformance.load.MaxRate;
import io.natsharness.conformance.load.requests.PayloadSizes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One self-contained HTML page: per method a latency-by-percentile chart with every transport
 * (and rate) on it (PNG drawn by XChart, embedded), the table of figures with SLO verdicts, the
 * scheduling precision, payload sizes (protobuf vs JSON) and max rates.
 *
 * <pre>{@code
 * LoadHtmlReport.write(report, Path.of("reports/load-latency.html"));
 * }</pre>
 */
public final class LoadHtmlReport {

  private LoadHtmlReport() {}

  public static void write(LoadReport report, Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(file, render(report), StandardCharsets.UTF_8);
  }

  static String render(LoadReport report) throws IOException {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>load-latency report</title><style>")
        .append("body{font:14px system-ui,sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}")
        .append("td:first-child,th:first-child,td.l{text-align:left}.met{color:#17692b}.breached{color:#b00020;font-weight:bold}")
        .append(".ceiling{color:#666}.note{color:#555;max-width:60em}</style></head><body>\n");
    h.append("<h1>Load-latency report</h1><p>").append(esc(report.target())).append("<br>")
        .append(esc(report.mode().label())).append(", ").append(report.generators())
        .append(report.generators() == 1 ? " generator" : " generators (histograms merged)")
        .append(", started ").append(esc(report.startedAt().toString())).append(", took ")
        .append(report.took().toSeconds()).append(" s</p><p class=\"").append(report.passed() ? "met" : "breached")
        .append("\">").append(esc(report.summary())).append("</p>\n");
    if (!report.mode().open()) {
      h.append("<p class=\"breached\">Closed loop: each caller waits for its answer before sending again, so a stall ")
          .append("holds the load back and hides from these percentiles (coordinated omission).</p>\n");
    }
    // One chart per method and load, so the transports at one rate sit together (HTTP vs NATS).
    Map<String, List<LoadResult>> bySubject = new LinkedHashMap<>();
    report.results().forEach(r -> bySubject.computeIfAbsent(r.subject(), k -> new java.util.ArrayList<>()).add(r));
    for (Map.Entry<String, List<LoadResult>> e : bySubject.entrySet()) {
      h.append("<h2>").append(esc(e.getKey())).append("</h2>\n");
      Map<String, List<LoadResult>> byLoad = new LinkedHashMap<>();
      e.getValue().forEach(r -> byLoad.computeIfAbsent(Figures.load(r), k -> new java.util.ArrayList<>()).add(r));
      for (Map.Entry<String, List<LoadResult>> l : byLoad.entrySet()) {
        Map<String, Histogram> series = new LinkedHashMap<>();
        l.getValue().forEach(r -> series.put(r.transport().id(), r.response()));
        byte[] png = PercentileChart.png(e.getKey() + " at " + l.getKey() + ": response time by percentile", series);
        h.append("<img alt=\"response time by percentile\" src=\"data:image/png;base64,")
            .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
      }
      table(report, e.getValue(), h);
    }
    payloads(report.payloads(), h);
    maxRates(report.maxRates(), h);
    for (String w : report.warnings()) {
      h.append("<p class=\"breached\">warning: ").append(esc(w)).append("</p>\n");
    }
    h.append("<p class=\"note\">Response time counts from each request's intended start (coordinated omission ")
        .append("corrected in open loop); service time from the moment it was actually sent. Send lag is how late ")
        .append("the generator sent each request: the scheduling precision it achieved. The raw echo is a plain ")
        .append("jnats request/reply of the same bytes, the ceiling of this machine, and is not gated.</p>");
    return h.append("</body></html>\n").toString();
  }

  private static void table(LoadReport report, List<LoadResult> results, StringBuilder h) {
    h.append("<table><tr><th>transport</th><th>load</th><th>achieved/s</th>");
    for (String n : Figures.NAMES) {
      h.append("<th>").append(n).append(" ms</th>");
    }
    h.append("<th>max ms</th><th>service p99 ms</th><th>send lag p99 ms</th><th>errors</th><th>late</th>")
        .append("<th>SLO</th></tr>\n");
    for (LoadResult r : results) {
      List<String> breaches = report.breaches(r);
      String css = !LoadReport.gated(r) ? "ceiling" : breaches.isEmpty() ? "met" : "breached";
      h.append("<tr><td>").append(esc(r.transport().id())).append("</td><td>").append(esc(Figures.load(r)))
          .append("</td><td>").append(Figures.rate(r.achievedRate())).append("</td>");
      for (double p : Figures.PERCENTILES) {
        h.append("<td>").append(Figures.ms(r.response(), p)).append("</td>");
      }
      h.append("<td>").append(Figures.ms(r.response(), 100)).append("</td><td>").append(Figures.ms(r.service(), 99))
          .append("</td><td>").append(Figures.ms(r.lag(), 99)).append("</td><td>").append(r.counts().errorCount())
          .append(r.counts().errors().isEmpty() ? "" : " " + esc(r.counts().errors().toString())).append("</td><td>")
          .append(r.counts().lateStarts()).append("</td><td class=\"l ").append(css).append("\">")
          .append(esc(!LoadReport.gated(r) ? "ceiling, not gated" : breaches.isEmpty() ? "met: " + report.sloOf(r).describe()
              : String.join("; ", breaches))).append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void payloads(List<PayloadSizes> payloads, StringBuilder h) {
    if (payloads.isEmpty()) {
      return;
    }
    h.append("<h2>Payload sizes</h2><table><tr><th>method</th><th>request protobuf B</th><th>request JSON B</th>")
        .append("<th>JSON/protobuf</th><th>response protobuf B</th><th>response JSON B</th><th>JSON/protobuf</th></tr>\n");
    for (PayloadSizes p : payloads) {
      h.append("<tr><td>").append(esc(p.subject())).append("</td><td>").append(fmt(p.requestProtobuf()))
          .append("</td><td>").append(fmt(p.requestJson())).append("</td><td>")
          .append(ratio(p.requestJson(), p.requestProtobuf())).append("</td><td>")
          .append(p.responseProtobuf().isPresent() ? p.responseProtobuf().getAsLong() : "-").append("</td><td>")
          .append(p.responseJson().isPresent() ? p.responseJson().getAsLong() : "-").append("</td><td>")
          .append(p.responseProtobuf().isPresent() ? ratio(p.responseJson().getAsLong(), p.responseProtobuf().getAsLong()) : "-")
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void maxRates(List<MaxRate> rates, StringBuilder h) {
    if (rates.isEmpty()) {
      return;
    }
    h.append("<h2>Max sustainable rate</h2><p>").append(esc(rates.get(0).criterion()))
        .append("</p><table><tr><th>method</th><th>transport</th><th>req/s</th><th>probes</th></tr>\n");
    for (MaxRate m : rates) {
      StringBuilder probes = new StringBuilder();
      m.probes().forEach(p -> probes.append(Figures.rate(p.offeredRate())).append("→p99 ")
          .append(Figures.ms(p.response(), 99)).append(" ms; "));
      h.append("<tr><td>").append(esc(m.subject())).append("</td><td>").append(esc(m.transport().id()))
          .append("</td><td>").append(m.rate() == 0 ? "none" : (m.atLimit() ? "≥ " : "") + Figures.rate(m.rate()))
          .append("</td><td class=\"l\">").append(esc(probes.toString())).append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static String ratio(double json, double proto) {
    return proto == 0 ? "-" : String.format(Locale.ROOT, "%.2f", json / proto);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
