package io.natsharness.conformance.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.natsharness.conformance.shadow.generate.RequestGenerators;
import io.natsharness.conformance.shadow.generate.Scenario;
import io.natsharness.conformance.shadow.report.FieldReport;
import io.natsharness.conformance.shadow.report.MethodReport;
import io.natsharness.conformance.shadow.report.ShadowHtmlReport;
import io.natsharness.conformance.shadow.report.ShadowJsonReport;
import io.natsharness.conformance.shadow.report.ShadowReport;
import io.natsharness.conformance.shadow.report.Thresholds;
import io.natsharness.conformance.shadow.report.Verdict;
import io.natsharness.conformance.shadow.sides.ShadowSide;
import io.natsharness.conformance.target.HarnessTarget;
import io.natsharness.gateway.traffic.TrafficReader;
import io.natsharness.gateway.traffic.TrafficWriter;
import io.natsharness.harness.Backend;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The reference HTTP side against the reference NATS side, every method, two rounds: three
 * deployments of the reference services (primary, secondary, candidate), each on its own NATS and
 * Redis.
 */
@DisplayName("shadow: reference HTTP against reference NATS")
class ShadowReferenceTest {

  private static final ServiceCatalog CATALOG = ServiceCatalog.load();
  /** The reference time_manager's configuration of its worlds and their epochs. */
  private static final String TIME_WORLDS = "natsharness.time.worlds";
  private static final List<AutoCloseable> OPEN = new ArrayList<>();
  private static ShadowReport report;
  private static List<String> warnings;
  private static Path traffic;

  /** A reference deployment on its own servers, its clock {@code skew} ahead (see SkewedReference). */
  static HarnessTarget deployment(long skewMillis) throws Exception {
    HarnessTarget t = HarnessTarget.start(Backend.EMBEDDED, SkewedReference.ahead(java.time.Duration.ofMillis(skewMillis)),
        Optional.empty(), new PrintStream(PrintStream.nullOutputStream()));
    OPEN.add(t);
    return t;
  }

  private static String worlds;

  @BeforeAll
  static void run() throws Exception {
    // The deployments of one game share its world configuration: the same epoch for the default
    // world, so game time agrees across sides (unconfigured, each deployment's epoch would be the
    // instant it first ran, and game times would differ by when each one started).
    worlds = System.getProperty(TIME_WORLDS);
    System.setProperty(TIME_WORLDS, "default@" + Instant.now());
    HarnessTarget primary = deployment(0);
    HarnessTarget secondary = deployment(8);
    HarnessTarget candidate = deployment(3);
    traffic = Files.createTempDirectory("shadow").resolve("generated.ndjson");
    List<Scenario> scenarios = new ArrayList<>();
    RequestGenerators generators = RequestGenerators.create();
    for (long seed = 1; seed <= 2; seed++) {
      scenarios.addAll(generators.scenarios(Set.of(), seed, "ref"));
    }
    Instant started = Instant.now();
    try (ShadowSide p = ShadowSide.http(primary.httpBaseUri().orElseThrow());
         ShadowSide s = ShadowSide.http(secondary.httpBaseUri().orElseThrow());
         ShadowSide c = ShadowSide.nats(candidate.nats(), "reference");
         TrafficWriter recorder = TrafficWriter.create(traffic, false);
         ShadowRun run = ShadowRun.builder().withPrimary(p).withSecondary(s).withCandidate(c).withRecorder(recorder)
             .withRules(ShadowConfig.defaults().rules())
             .withProgress(System.out::println).build()) {
      report = run.generated(scenarios).report(Thresholds.strict(), run.target(), "generated", run.noise().description(),
          started, run.warnings());
      warnings = run.warnings();
    }
    System.out.println(report.summary() + " in " + report.duration().toMillis() + " ms");
    report.warnings().forEach(w -> System.out.println("warning: " + w));
    for (MethodReport m : report.methods()) {
      for (FieldReport f : m.regressions()) {
        System.out.println("REGRESSION " + m.subject() + " " + f.field() + " " + f.kinds() + ": " + f.reason()
            + f.samples().stream().findFirst().map(x -> " e.g. " + x.difference() + "\n   p=" + x.primary()
                + "\n   c=" + x.candidate()).orElse(""));
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : OPEN) {
      c.close();
    }
    if (worlds == null) {
      System.clearProperty(TIME_WORLDS);
    } else {
      System.setProperty(TIME_WORLDS, worlds);
    }
  }

  @Test
  @DisplayName("every method of the catalog is compared, and none has a regression")
  void zeroRegressions() {
    assertThat(report.methods()).extracting(MethodReport::subject)
        .containsExactlyElementsOf(CATALOG.methods().stream().map(MethodInfo::subject).toList());
    assertThat(report.methods()).allSatisfy(m -> {
      assertThat(m.compared()).as(m.subject()).isGreaterThanOrEqualTo(2);
      assertThat(m.noiseMeasured()).as(m.subject()).isEqualTo(m.compared());
      assertThat(m.regressions()).as(m.subject()).isEmpty();
    });
    assertThat(report.passed()).isTrue();
    assertThat(report.exitCode()).isZero();
  }

  @Test
  @DisplayName("every generated request is valid: the primary answers each step as the contract says")
  void requestsAreValid() {
    assertThat(warnings).isEmpty();
  }

  @Test
  @DisplayName("generated ids and clocks are reported as noise, not as regressions")
  void noiseByDesign() {
    assertThat(field("svc.infra.auth.v1.issue_token", "claims.token_id").verdict()).isEqualTo(Verdict.NOISE);
    assertThat(field("svc.infra.auth.v1.issue_token", "claims.token_id").candidateRequests()).isEqualTo(2);
    assertThat(field("svc.util.payment.v1.charge", "created_at").verdict()).isEqualTo(Verdict.NOISE);
    assertThat(field("svc.util.payment.v1.create_wallet", "meta.created_at").verdict()).isEqualTo(Verdict.NOISE);
  }

  @Test
  @DisplayName("the JSON and HTML reports hold the run, and the recorded traffic file holds every request")
  void reportsAndRecording(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    ShadowJsonReport.write(report, dir.resolve("shadow.json"));
    ShadowHtmlReport.write(report, dir.resolve("shadow-comparison.html"));
    JsonNode json = new ObjectMapper().readTree(dir.resolve("shadow.json").toFile());
    assertThat(json.get("passed").asBoolean()).isTrue();
    assertThat(json.get("methods")).hasSize(CATALOG.methods().size());
    assertThat(Files.readString(dir.resolve("shadow-comparison.html"))).contains("shadow comparison: passed");
    assertThat(TrafficReader.read(traffic)).hasSize(report.requests());
  }

  private static FieldReport field(String subject, String field) {
    MethodReport m = report.methods().stream().filter(x -> x.subject().equals(subject)).findFirst().orElseThrow();
    return m.fields().stream().filter(f -> f.field().equals(field)).findFirst()
        .orElseThrow(() -> new AssertionError(subject + " has no field " + field + ": "
            + m.fields().stream().map(FieldReport::field).toList()));
  }
}
