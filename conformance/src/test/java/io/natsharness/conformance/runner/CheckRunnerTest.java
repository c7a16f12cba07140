package io.natsharness.conformance.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.check.CheckSkipped;
import io.natsharness.conformance.report.HtmlReport;
import io.natsharness.conformance.report.JUnitXmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

@DisplayName("The check runner")
class CheckRunnerTest {

  /** The runner never touches the context itself; these checks do not either. */
  static final CheckContext NO_TARGET = null;

  static final Check PASSES = Check.of("wire.payment.ok", "payment", "passes", ctx -> { });
  static final Check FAILS = Check.of("wire.payment.bad", "payment", "fails",
      ctx -> assertThat(1).as("answer").isEqualTo(2));
  static final Check THROWS = Check.of("contract.auth.boom", "auth", "throws",
      ctx -> { throw new IllegalStateException("no reply <b>&</b>"); });
  static final Check SKIPS = Check.of("wire.auth.http", "auth", "skips",
      ctx -> { throw new CheckSkipped("no HTTP side"); });
  static final Check HANGS = Check.of("wire.auth.hang", "auth", "hangs",
      ctx -> Thread.sleep(60_000));

  static RunResult run(CheckRunner runner, List<Check> checks) {
    return runner.run("conformance", "test target", checks, NO_TARGET);
  }

  @Test
  void reportsEachOutcomeAndTheSummaryLine() {
    RunResult result = run(CheckRunner.builder().withCheckTimeout(Duration.ofSeconds(3)).build(),
        List.of(PASSES, FAILS, THROWS, SKIPS, HANGS));
    assertThat(result.results()).extracting(CheckResult::status).containsExactly(
        CheckStatus.PASSED, CheckStatus.FAILED, CheckStatus.FAILED, CheckStatus.SKIPPED, CheckStatus.FAILED);
    assertThat(result.results().get(1).message()).contains("[answer]").contains("expected: 2");
    assertThat(result.results().get(2).message()).isEqualTo("IllegalStateException: no reply <b>&</b>");
    assertThat(result.results().get(4).message()).isEqualTo("did not finish within 3000 ms");
    assertThat(result.summary()).isEqualTo("5 checks, 1 passed, 3 failed, 1 skipped");
    assertThat(result.exitCode()).isEqualTo(1);
  }

  @Test
  void passesWhenEveryCheckPasses() {
    RunResult result = run(CheckRunner.builder().build(), List.of(PASSES));
    assertThat(result.summary()).isEqualTo("1 check, 1 passed");
    assertThat(result.exitCode()).isZero();
  }

  @Nested
  @DisplayName("with known failures")
  class Known {

    @Test
    void aKnownFailureDoesNotFailTheRun() {
      RunResult result = run(CheckRunner.builder()
          .withKnownFailures(KnownFailures.parse(List.of("wire.payment.bad  # rounding, fixed in 2.1")))
          .build(), List.of(PASSES, FAILS));
      assertThat(result.results().get(1).status()).isEqualTo(CheckStatus.KNOWN_FAILURE);
      assertThat(result.results().get(1).message()).endsWith("(known failure: rounding, fixed in 2.1)");
      assertThat(result.summary()).isEqualTo("2 checks, 1 passed, 1 known failure");
      assertThat(result.exitCode()).isZero();
    }

    @Test
    void aKnownFailureThatPassesFailsTheRun() {
      RunResult result = run(CheckRunner.builder()
          .withKnownFailures(KnownFailures.parse(List.of("wire.payment.*"))).build(), List.of(PASSES));
      assertThat(result.results().get(0).status()).isEqualTo(CheckStatus.UNEXPECTED_PASS);
      assertThat(result.results().get(0).message())
          .isEqualTo("listed as a known failure (listed as a known failure) but passed: remove it from the list");
      assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void anEntryThatMatchesNothingIsAWarning() {
      RunResult result = run(CheckRunner.builder()
          .withKnownFailures(KnownFailures.parse(List.of("# comment", "", "wire.paymnet.bad"))).build(),
          List.of(PASSES));
      assertThat(result.warnings()).containsExactly("known-failure entry 'wire.paymnet.bad' matches no check");
    }
  }

  @Test
  void selectsByRunAndSkipGlobs() {
    CheckSelection selection = CheckSelection.of(List.of("*.payment.*", "contract.*"), List.of("*.bad"));
    assertThat(selection.selects("wire.payment.ok")).isTrue();
    assertThat(selection.selects("wire.payment.bad")).isFalse();
    assertThat(selection.selects("contract.auth.boom")).isTrue();
    assertThat(selection.selects("wire.auth.http")).isFalse();
    assertThat(CheckSelection.all().selects("anything.at.all")).isTrue();
    assertThat(CheckSelection.of(List.of("wire.pay(ment"), List.of()).selects("wire.pay(ment")).isTrue();
  }

  @Nested
  @DisplayName("writes reports")
  class Reports {

    @Test
    void junitXmlThatCiToolsRead(@TempDir Path dir) throws Exception {
      RunResult result = run(CheckRunner.builder()
          .withKnownFailures(KnownFailures.parse(List.of("contract.auth.boom # flaky upstream"))).build(),
          List.of(PASSES, FAILS, THROWS, SKIPS));
      Path xml = dir.resolve("r.xml");
      JUnitXmlReport.write(result, xml);
      Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
      Element root = doc.getDocumentElement();
      assertThat(root.getAttribute("tests")).isEqualTo("4");
      assertThat(root.getAttribute("failures")).isEqualTo("1");
      assertThat(root.getAttribute("skipped")).isEqualTo("2");
      assertThat(doc.getElementsByTagName("testsuite").getLength()).isEqualTo(2);
      Element failure = (Element) doc.getElementsByTagName("failure").item(0);
      assertThat(failure.getAttribute("message")).contains("[answer]");
      assertThat(doc.getElementsByTagName("skipped").getLength()).isEqualTo(2);
    }

    @Test
    void htmlWithEscapedMessages(@TempDir Path dir) throws Exception {
      RunResult result = run(CheckRunner.builder().build(), List.of(PASSES, THROWS));
      Path html = dir.resolve("r.html");
      HtmlReport.write(result, html);
      String page = Files.readString(html);
      assertThat(page).contains("conformance: FAILED").contains("2 checks, 1 passed, 1 failed")
          .contains("no reply &lt;b&gt;&amp;&lt;/b&gt;").doesNotContain("<b>&</b>");
    }
  }
}
