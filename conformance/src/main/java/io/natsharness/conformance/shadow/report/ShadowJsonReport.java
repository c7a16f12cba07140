package io.natsharness.conformance.shadow.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.natsharness.proto.diff.Difference;
import io.natsharness.proto.diff.DifferenceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a {@link ShadowReport} as JSON (format {@code natsharness.shadow/v1}, documented in
 * conformance/README-shadow.md): for CI to read, and for the same figures the HTML shows.
 *
 * <pre>{@code
 * ShadowJsonReport.write(report, Path.of("reports/shadow.json"));
 * }</pre>
 */
public final class ShadowJsonReport {

  public static final String FORMAT = "natsharness.shadow/v1";

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ShadowJsonReport() {}

  public static void write(ShadowReport report, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(report));
  }

  public static String render(ShadowReport report) {
    try {
      return MAPPER.writeValueAsString(tree(report)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the shadow report as JSON", e);
    }
  }

  static ObjectNode tree(ShadowReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.put("suite", report.suite());
    root.put("target", report.target());
    root.put("source", report.source());
    root.put("noiseSource", report.noiseSource());
    root.put("startedAt", report.startedAt().toString());
    root.put("durationMs", report.duration().toMillis());
    root.put("passed", report.passed());
    root.put("summary", report.summary());
    ArrayNode warnings = root.putArray("warnings");
    report.warnings().forEach(warnings::add);
    ArrayNode methods = root.putArray("methods");
    for (MethodReport m : report.methods()) {
      ObjectNode mn = methods.addObject();
      mn.put("id", m.checkId());
      mn.put("service", m.service());
      mn.put("method", m.method());
      mn.put("subject", m.subject());
      mn.put("compared", m.compared());
      mn.put("noiseMeasured", m.noiseMeasured());
      mn.put("mismatched", m.mismatched());
      mn.put("mismatchRate", m.mismatchRate());
      mn.put("threshold", m.threshold());
      mn.put("passed", m.passed());
      ArrayNode notes = mn.putArray("notes");
      m.notes().forEach(notes::add);
      ArrayNode fields = mn.putArray("fields");
      for (FieldReport f : m.fields()) {
        ObjectNode fn = fields.addObject();
        fn.put("field", f.field());
        fn.put("verdict", f.verdict().name());
        fn.put("candidateRequests", f.candidateRequests());
        fn.put("candidateRate", f.candidateRate());
        fn.put("noiseRequests", f.noiseRequests());
        fn.put("noiseRate", f.noiseRate());
        fn.put("regressions", f.regressions());
        fn.set("kinds", kinds(f.kinds()));
        fn.set("noiseKinds", kinds(f.noiseKinds()));
        fn.put("reason", f.reason());
        ArrayNode samples = fn.putArray("samples");
        for (Sample s : f.samples()) {
          ObjectNode sn = samples.addObject();
          sn.put("requestId", s.requestId());
          sn.put("step", s.step());
          sn.set("request", json(s.request()));
          sn.set("primary", json(s.primary()));
          sn.set("secondary", s.secondary().map(ShadowJsonReport::json).orElse(MAPPER.nullNode()));
          sn.set("candidate", json(s.candidate()));
          sn.set("difference", difference(s.difference()));
        }
      }
    }
    return root;
  }

  private static ObjectNode kinds(Map<DifferenceKind, Integer> kinds) {
    ObjectNode n = MAPPER.createObjectNode();
    for (DifferenceKind k : DifferenceKind.values()) {
      if (kinds.containsKey(k)) {
        n.put(k.name(), kinds.get(k));
      }
    }
    return n;
  }

  private static ObjectNode difference(Difference d) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("path", d.path());
    n.put("kind", d.kind().name());
    n.put("primary", d.primaryValue());
    n.put("candidate", d.candidateValue());
    return n;
  }

  /** A JSON document as a tree; text that is not JSON (never expected) as a string. */
  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return MAPPER.getNodeFactory().textNode(text);
    }
  }
}
