package io.natsharness.conformance.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsharness.conformance.shadow.generate.RequestGenerators;
import io.natsharness.conformance.shadow.generate.Scenario;
import io.natsharness.conformance.shadow.report.FieldReport;
import io.natsharness.conformance.shadow.report.MethodReport;
import io.natsharness.conformance.shadow.report.ShadowReport;
import io.natsharness.conformance.shadow.report.Thresholds;
import io.natsharness.conformance.shadow.report.Verdict;
import io.natsharness.conformance.shadow.sides.ShadowSide;
import io.natsharness.conformance.shadow.traffic.Replay;
import io.natsharness.conformance.target.HarnessTarget;
import io.natsharness.gateway.traffic.TrafficReader;
import io.natsharness.gateway.traffic.TrafficWriter;
import io.natsharness.harness.Backend;
import io.natsharness.harness.Implementation;
import io.natsharness.harness.NatsHarness;
import io.natsharness.harness.NatsHarnessExtension;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.util.payment.v1.Transaction;
import io.natsharness.proto.util.payment.v1.Wallet;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.service.ServiceHost;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The reference legacy side against a mutant NATS side: a real payment service on its own NATS
 * that forwards to a reference payment service and changes one field of one answer.
 */
@DisplayName("shadow: a mutant NATS side")
class ShadowMutantTest {

  private static final ServiceCatalog CATALOG = ServiceCatalog.load();
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
  private static final List<AutoCloseable> OPEN = new ArrayList<>();

  /** get_balance answers the owner in upper case: one field of one method. */
  static final BiFunction<MethodInfo, Message, Message> SHOUTED_OWNER = (m, a) -> m.name().equals("get_balance")
      ? ((Wallet) a).toBuilder().setOwnerId(((Wallet) a).getOwnerId().toUpperCase()).build() : a;
  /** charge answers a created_at one day late: a noisy field broken as no primary ever does. */
  static final BiFunction<MethodInfo, Message, Message> DAY_LATE = (m, a) -> m.name().equals("charge")
      ? ((Transaction) a).toBuilder().setCreatedAt(Timestamp.newBuilder(((Transaction) a).getCreatedAt())
          .setSeconds(((Transaction) a).getCreatedAt().getSeconds() + 86_400)).build() : a;

  private static Sides live;
  private static Path recorded;
  private static ShadowReport shouted;

  /** A primary, a secondary and a mutant candidate, each on servers of its own. */
  record Sides(ShadowSide primary, ShadowSide secondary, ShadowSide candidate, MutantPayment mutant) {}

  static <T extends AutoCloseable> T open(T resource) {
    OPEN.add(resource);
    return resource;
  }

  static Sides deploy() throws Exception {
    // Clocks a little apart, as on separate hosts (see SkewedReference).
    HarnessTarget primary = open(HarnessTarget.start(Backend.EMBEDDED,
        SkewedReference.ahead(Duration.ZERO).services("payment"), Optional.empty(), QUIET));
    HarnessTarget secondary = open(HarnessTarget.start(Backend.EMBEDDED,
        SkewedReference.ahead(Duration.ofMillis(40)).services("payment"), Optional.empty(), QUIET));
    HarnessTarget backend = open(HarnessTarget.start(Backend.EMBEDDED,
        SkewedReference.ahead(Duration.ofMillis(15)).services("payment"), Optional.empty(), QUIET));
    NatsHarness candidateServers = open(NatsHarness.start(NatsHarnessExtension.builder().withBackend(Backend.EMBEDDED)));
    Connection candidateNats = open(Nats.connect(candidateServers.info().natsOptions().build()));
    RpcClient toBackend = open(RpcClient.builder().connection(backend.nats()).build());
    MutantPayment mutant = new MutantPayment(toBackend);
    open(ServiceHost.builder().connection(candidateNats).add(mutant).build().start());
    return new Sides(open(ShadowSide.http(primary.httpBaseUri().orElseThrow())),
        open(ShadowSide.http(secondary.httpBaseUri().orElseThrow())),
        open(ShadowSide.nats(candidateNats, "mutant payment")), mutant);
  }

  static ShadowReport run(Sides sides, BiFunction<MethodInfo, Message, Message> mutation, String namespace,
      Optional<TrafficWriter> recorder, Optional<Replay> replay) {
    sides.mutant().mutate(mutation);
    Instant started = Instant.now();
    ShadowRun.Builder b = ShadowRun.builder().withPrimary(sides.primary()).withSecondary(sides.secondary())
        .withCandidate(sides.candidate());
    recorder.ifPresent(b::withRecorder);
    try (ShadowRun run = b.build()) {
      List<Scenario> scenarios = new ArrayList<>();
      for (long seed = 1; seed <= 2; seed++) {
        scenarios.addAll(RequestGenerators.create().scenarios(Set.of("payment"), seed, namespace));
      }
      return (replay.isPresent() ? run.replayed(replay.get()) : run.generated(scenarios))
          .report(Thresholds.strict(), run.target(), namespace, run.noise().description(), started, run.warnings());
    }
  }

  @BeforeAll
  static void deployAndRecord() throws Exception {
    live = deploy();
    recorded = Files.createTempDirectory("shadow").resolve("mutant.ndjson");
    try (TrafficWriter writer = TrafficWriter.create(recorded, false)) {
      shouted = run(live, SHOUTED_OWNER, "shout", Optional.of(writer), Optional.empty());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (int i = OPEN.size() - 1; i >= 0; i--) {
      OPEN.get(i).close();
    }
  }

  private static List<String> failing(ShadowReport r) {
    return r.methods().stream().filter(m -> !m.passed()).map(MethodReport::subject).toList();
  }

  private static MethodReport method(ShadowReport r, String name) {
    return r.methods().stream().filter(m -> m.method().equals(name)).findFirst().orElseThrow();
  }

  private static FieldReport field(ShadowReport r, String method, String field) {
    return method(r, method).fields().stream().filter(f -> f.field().equals(field)).findFirst()
        .orElseThrow(() -> new AssertionError(method + " has no field " + field));
  }

  @Nested
  @DisplayName("a changed field")
  class ChangedField {

    @Test
    @DisplayName("exactly that method and field are flagged, with a sample of all three answers")
    void flaggedExactly() {
      assertThat(failing(shouted)).containsExactly("svc.util.payment.v1.get_balance");
      MethodReport get = method(shouted, "get_balance");
      assertThat(get.regressions()).extracting(FieldReport::field).containsExactly("owner_id");
      assertThat(get.mismatched()).isEqualTo(2);
      FieldReport owner = get.regressions().get(0);
      assertThat(owner.reason()).isEqualTo("the primaries never differ here");
      assertThat(owner.samples()).isNotEmpty();
      assertThat(owner.samples().get(0).difference().kind().name()).isEqualTo("VALUE");
      assertThat(owner.samples().get(0).candidate()).contains("\"owner_id\":\"OWNER-SHOUT");
      assertThat(owner.samples().get(0).primary()).contains("\"owner_id\":\"owner-shout");
      assertThat(owner.samples().get(0).secondary()).hasValueSatisfying(s -> assertThat(s).contains("\"owner_id\":\"owner-shout"));
      assertThat(shouted.exitCode()).isEqualTo(1);
    }

    @Test
    @DisplayName("every other method of the service passes")
    void othersPass() {
      assertThat(shouted.methods()).extracting(MethodReport::method)
          .containsExactlyElementsOf(CATALOG.service("payment").orElseThrow().methods().stream().map(MethodInfo::name).toList());
      assertThat(shouted.methods()).filteredOn(m -> !m.method().equals("get_balance"))
          .allSatisfy(m -> assertThat(m.regressions()).as(m.subject()).isEmpty());
    }
  }

  @Nested
  @DisplayName("a field that is noise by design")
  class NoiseByDesign {

    @Test
    @DisplayName("is noise while the candidate keeps it as the primaries do")
    void noiseWhenKept() {
      ShadowReport clean = run(live, MutantPayment.NONE, "clean", Optional.empty(), Optional.empty());
      assertThat(clean.passed()).isTrue();
      assertThat(field(clean, "charge", "created_at").verdict()).isEqualTo(Verdict.NOISE);
      assertThat(field(clean, "charge", "created_at").candidateRequests()).isPositive();
    }

    @Test
    @DisplayName("becomes a regression when the candidate breaks it in a way the primaries never do")
    void regressionWhenBroken() {
      ShadowReport late = run(live, DAY_LATE, "late", Optional.empty(), Optional.empty());
      assertThat(failing(late)).containsExactly("svc.util.payment.v1.charge");
      FieldReport createdAt = field(late, "charge", "created_at");
      assertThat(createdAt.verdict()).isEqualTo(Verdict.REGRESSION);
      assertThat(createdAt.reason()).startsWith("the candidate is 864");
      assertThat(method(late, "charge").regressions()).extracting(FieldReport::field).containsExactly("created_at");
    }
  }

  @Nested
  @DisplayName("a recorded file")
  class Recorded {

    @Test
    @DisplayName("replays to the same report on fresh deployments")
    void replaysToTheSameReport() throws Exception {
      Replay replay = Replay.plan(TrafficReader.read(recorded), CATALOG);
      assertThat(replay.warnings()).isEmpty();
      assertThat(replay.items()).hasSize(shouted.requests());
      ShadowReport replayed = run(deploy(), SHOUTED_OWNER, "shout", Optional.empty(), Optional.of(replay));
      assertThat(verdicts(replayed)).isEqualTo(verdicts(shouted));
      assertThat(noiseFields(replayed)).isEqualTo(noiseFields(shouted));
      assertThat(noiseFields(shouted)).contains("svc.util.payment.v1.charge created_at");
    }

    /** Methods, counts, pass or fail, and every regression with its kinds and count. */
    private List<String> verdicts(ShadowReport r) {
      List<String> out = new ArrayList<>();
      for (MethodReport m : r.methods()) {
        out.add(m.subject() + " compared=" + m.compared() + " mismatched=" + m.mismatched() + " passed=" + m.passed());
        m.regressions().forEach(f -> out.add("  " + f.field() + " " + f.kinds() + " regressions=" + f.regressions()));
      }
      return out;
    }

    private List<String> noiseFields(ShadowReport r) {
      return r.methods().stream().flatMap(m -> m.fields().stream().filter(f -> f.verdict() == Verdict.NOISE)
          .map(f -> m.subject() + " " + f.field())).toList();
    }
  }
}
