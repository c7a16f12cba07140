package io.natsharness.conformance.load.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsharness.conformance.load.LoadReport;
import io.natsharness.conformance.load.LoadResult;
import io.natsharness.conformance.load.MaxRate;
import io.natsharness.conformance.load.requests.PayloadSizes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;

/**
 * The report as JSON, for CI dashboards and for comparing runs: every figure of every result
 * (latencies in ms), payload sizes, max rates, and the SLO verdicts.
 *
 * <pre>{@code
 * LoadJsonReport.write(report, Path.of("reports/load.json"));
 * }</pre>
 */
public final class LoadJsonReport {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private LoadJsonReport() {}

  public static void write(LoadReport report, Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    JSON.writeValue(file.toFile(), toJson(report));
  }

  public static ObjectNode toJson(LoadReport report) {
    ObjectNode root = JSON.createObjectNode();
    root.put("target", report.target());
    root.put("startedAt", report.startedAt().toString());
    root.put("tookSeconds", report.took().toMillis() / 1000.0);
    root.put("mode", report.mode().label());
    root.put("generators", report.generators());
    root.put("passed", report.passed());
    ArrayNode results = root.putArray("results");
    for (LoadResult r : report.results()) {
      results.add(result(report, r));
    }
    ArrayNode payloads = root.putArray("payloads");
    for (PayloadSizes p : report.payloads()) {
      ObjectNode n = payloads.addObject();
      n.put("subject", p.subject());
      n.put("requestProtobufBytes", p.requestProtobuf());
      n.put("requestJsonBytes", p.requestJson());
      p.responseProtobuf().ifPresent(v -> n.put("responseProtobufBytes", v));
      p.responseJson().ifPresent(v -> n.put("responseJsonBytes", v));
    }
    ArrayNode rates = root.putArray("maxRates");
    for (MaxRate m : report.maxRates()) {
      ObjectNode n = rates.addObject();
      n.put("subject", m.subject());
      n.put("transport", m.transport().id());
      n.put("rate", m.rate());
      n.put("atLimit", m.atLimit());
      n.put("criterion", m.criterion());
      ArrayNode probes = n.putArray("probes");
      m.probes().forEach(p -> probes.add(result(report, p)));
    }
    ArrayNode warnings = root.putArray("warnings");
    report.warnings().forEach(warnings::add);
    return root;
  }

  private static ObjectNode result(LoadReport report, LoadResult r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("subject", r.subject());
    n.put("transport", r.transport().id());
    n.put("endpoint", r.endpoint());
    n.put("mode", r.mode().label());
    n.put("generators", r.generators());
    n.put("offeredRate", r.offeredRate());
    n.put("achievedRate", r.achievedRate());
    n.put("windowSeconds", r.windowSeconds());
    n.put("sent", r.counts().sent());
    n.put("answered", r.counts().answered());
    n.put("ok", r.counts().ok());
    n.put("errorRate", r.errorRate());
    ObjectNode errors = n.putObject("errors");
    r.counts().errors().forEach(errors::put);
    n.put("lateStarts", r.counts().lateStarts());
    n.put("inFlightWaits", r.counts().inFlightWaits());
    n.put("warmupRequests", r.counts().warmup());
    n.set("responseMillis", histogram(r.response()));
    n.set("serviceMillis", histogram(r.service()));
    n.set("sendLagMillis", histogram(r.lag()));
    n.put("gated", LoadReport.gated(r));
    n.put("slo", report.sloOf(r).describe());
    ArrayNode breaches = n.putArray("breaches");
    report.breaches(r).forEach(breaches::add);
    return n;
  }

  private static ObjectNode histogram(Histogram h) {
    ObjectNode n = JSON.createObjectNode();
    n.put("count", h.getTotalCount());
    if (h.getTotalCount() > 0) {
      for (int i = 0; i < Figures.PERCENTILES.length; i++) {
        n.put(Figures.NAMES[i], h.getValueAtPercentile(Figures.PERCENTILES[i]) / 1000.0);
      }
      n.put("max", h.getMaxValue() / 1000.0);
      n.put("mean", h.getMean() / 1000.0);
    }
    return n;
  }
}
