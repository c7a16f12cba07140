package io.natsharness.conformance.shadow.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.rpc.Code;
import io.natsharness.conformance.runner.CheckSelection;
import io.natsharness.conformance.runner.CheckStatus;
import io.natsharness.conformance.runner.KnownFailures;
import io.natsharness.conformance.runner.RunResult;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.diff.Answer;
import io.natsharness.proto.diff.DiffRules;
import io.natsharness.proto.diff.MessageDiff;
import io.natsharness.proto.util.payment.v1.Wallet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("shadow reports")
class ShadowReportsTest {

  private static final ServiceCatalog CATALOG = ServiceCatalog.load();
  private static final MethodInfo GET = CATALOG.method("svc.util.payment.v1.get_balance").orElseThrow();
  private static final MethodInfo CREATE = CATALOG.method("svc.util.payment.v1.create_wallet").orElseThrow();

  private ShadowReport report;

  private static Observation observe(MethodInfo m, Answer p, Answer s, Answer c) {
    return new Observation(m, m.name(), "req-" + m.name(), "{\"wallet_id\":\"wal-1\"}", p, Optional.of(s), c,
        MessageDiff.compare(m, p, c, DiffRules.none()), Optional.of(MessageDiff.compare(m, p, s, DiffRules.none())));
  }

  @BeforeEach
  void run() {
    ShadowTally tally = new ShadowTally();
    Answer ann = Answer.of(Wallet.newBuilder().setWalletId("wal-1").setOwnerId("ann").build());
    tally.add(observe(GET, ann, ann, Answer.of(Wallet.newBuilder().setWalletId("wal-1").setOwnerId("<b>o</b>").build())));
    tally.add(observe(CREATE, ann, ann, Answer.error(Code.ALREADY_EXISTS, "taken")));
    tally.add(observe(CREATE, ann, ann, ann));
    report = tally.report(Thresholds.of(0, java.util.Map.of(CREATE.subject(), 0.5)), "primary a, candidate b",
        "generated, seed 1", "secondary", Instant.parse("2026-11-28T10:00:00Z"), List.of("a warning"));
  }

  @Test
  @DisplayName("methods come in catalog order, with counts, rates and their thresholds")
  void figures() {
    assertThat(report.methods()).extracting(MethodReport::subject).containsExactly(CREATE.subject(), GET.subject());
    MethodReport create = report.methods().get(0);
    assertThat(create.compared()).isEqualTo(2);
    assertThat(create.mismatched()).isEqualTo(1);
    assertThat(create.mismatchRate()).isEqualTo(0.5);
    assertThat(create.passed()).isTrue();
    assertThat(create.regressions()).extracting(FieldReport::field).containsExactly("@status");
    assertThat(report.methods().get(1).passed()).isFalse();
    assertThat(report.passed()).isFalse();
    assertThat(report.exitCode()).isEqualTo(1);
    assertThat(report.summary()).isEqualTo("2 methods, 3 requests, 1 method over the threshold (2 fields with regressions)");
  }

  @Test
  @DisplayName("the JSON report holds every figure, samples as JSON documents")
  void json(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("r/shadow.json");
    ShadowJsonReport.write(report, file);
    JsonNode root = new ObjectMapper().readTree(Files.readString(file));
    assertThat(root.get("format").asText()).isEqualTo("natsharness.shadow/v1");
    assertThat(root.get("passed").asBoolean()).isFalse();
    JsonNode get = root.get("methods").get(1);
    assertThat(get.get("id").asText()).isEqualTo("shadow.payment.get_balance");
    assertThat(get.get("mismatchRate").asDouble()).isEqualTo(1.0);
    JsonNode owner = get.get("fields").get(0);
    assertThat(owner.get("field").asText()).isEqualTo("owner_id");
    assertThat(owner.get("verdict").asText()).isEqualTo("REGRESSION");
    assertThat(owner.get("kinds").get("VALUE").asInt()).isEqualTo(1);
    JsonNode sample = owner.get("samples").get(0);
    assertThat(sample.get("request").get("wallet_id").asText()).isEqualTo("wal-1");
    assertThat(sample.get("primary").get("message").get("owner_id").asText()).isEqualTo("ann");
    assertThat(sample.get("candidate").get("message").get("owner_id").asText()).isEqualTo("<b>o</b>");
    assertThat(sample.get("difference").get("kind").asText()).isEqualTo("VALUE");
    assertThat(root.get("warnings").get(0).asText()).isEqualTo("a warning");
  }

  @Test
  @DisplayName("the HTML report shows the failing method and escapes what the sides sent")
  void html(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("shadow.html");
    ShadowHtmlReport.write(report, file);
    String html = Files.readString(file);
    assertThat(html).contains("<h1>shadow comparison: FAILED</h1>")
        .contains("<td class=\"FAIL\">FAIL</td>")
        .contains("&lt;b&gt;o&lt;/b&gt;")
        .doesNotContain("<b>o</b>");
  }

  @Test
  @DisplayName("as a run result, methods are checks that selection and known failures apply to")
  void runResult() {
    RunResult all = ShadowRunResults.of(report, CheckSelection.all(), KnownFailures.none());
    assertThat(all.results()).extracting(r -> r.id() + " " + r.status()).containsExactly(
        "shadow.payment.create_wallet PASSED", "shadow.payment.get_balance FAILED");
    assertThat(all.results().get(1).message()).isEqualTo("1 of 1 requests mismatched (100.0% > 0.0%)\n"
        + "  owner_id [VALUE]: the primaries never differ here\n"
        + "    e.g. req-get_balance: VALUE owner_id: \"ann\" -> \"<b>o</b>\"");
    assertThat(all.exitCode()).isEqualTo(1);
    RunResult known = ShadowRunResults.of(report, CheckSelection.all(),
        KnownFailures.parse(List.of("shadow.payment.get_balance # owner ids are fixed in v2", "shadow.nope.*")));
    assertThat(known.results()).extracting(r -> r.status()).containsExactly(CheckStatus.PASSED, CheckStatus.KNOWN_FAILURE);
    assertThat(known.exitCode()).isZero();
    assertThat(known.warnings()).contains("known-failure entry 'shadow.nope.*' matches no method");
    RunResult selected = ShadowRunResults.of(report, CheckSelection.of(List.of("*.create_wallet"), List.of()),
        KnownFailures.none());
    assertThat(selected.results()).hasSize(1);
    assertThat(selected.exitCode()).isZero();
  }
}
