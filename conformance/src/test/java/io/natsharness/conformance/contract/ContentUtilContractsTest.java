package io.natsharness.conformance.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.contract.kit.ContractCheck;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.runner.CheckResult;
import io.natsharness.conformance.runner.CheckRunner;
import io.natsharness.conformance.runner.CheckSelection;
import io.natsharness.conformance.runner.CheckStatus;
import io.natsharness.conformance.runner.ConsoleProgress;
import io.natsharness.conformance.runner.RunResult;
import io.natsharness.conformance.target.HarnessTarget;
import io.natsharness.conformance.target.TargetContext;
import io.natsharness.harness.Backend;
import io.natsharness.harness.Implementation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

@DisplayName("The content and util contract checks")
class ContentUtilContractsTest {

  /** The checks that need a target without time_manager; on a full target they skip. */
  static final String UNAVAILABLE = "*.time_manager_unavailable";

  /**
   * Documented codes no wire check can provoke, with the reason. Anything else the catalog
   * documents must have an error check.
   */
  static final Map<String, String> UNPROVOKABLE = Map.of(
      "state_manager.load DATA_LOSS",
      "needs a stored payload that no longer matches its checksum: only a write behind the service's back makes one");

  static RunResult run(HarnessTarget target, CheckSelection selection) {
    try (TargetContext context = new TargetContext(target, Long.toString(System.currentTimeMillis(), 36),
        Duration.ofSeconds(5))) {
      RunResult result = CheckRunner.builder().withSelection(selection).withListener(new ConsoleProgress(System.out))
          .build().run("conformance", target.description(), ContentUtilContracts.checks(), context);
      System.out.println(result.summary() + " in " + result.duration().toMillis() + " ms");
      result.results().stream().sorted(Comparator.comparing(CheckResult::duration).reversed()).limit(5)
          .forEach(r -> System.out.printf("  slowest: %-70s %5d ms%n", r.id(), r.duration().toMillis()));
      return result;
    }
  }

  static Stream<DynamicTest> expect(RunResult result, CheckStatus status) {
    return result.results().stream().map(r -> DynamicTest.dynamicTest(r.id(),
        () -> assertThat(r.status()).as("%s: %s", r.id(), r.message()).isEqualTo(status)));
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @DisplayName("on the reference services")
  class OnTheReference {

    HarnessTarget target;
    RunResult result;

    @BeforeAll
    void runEveryCheck() throws Exception {
      List<String> services = new ArrayList<>(ContentUtilContracts.services());
      services.add("ai_integration"); // story_teller's downstream hop
      target = HarnessTarget.start(Backend.EMBEDDED,
          Implementation.provider("reference").services(services.toArray(String[]::new)), Optional.empty(), System.out);
      result = run(target, CheckSelection.of(List.of(), List.of(UNAVAILABLE)));
    }

    @AfterAll
    void stop() throws Exception {
      if (target != null) {
        target.close();
      }
    }

    @TestFactory
    @DisplayName("every check passes")
    Stream<DynamicTest> everyCheckPasses() {
      return expect(result, CheckStatus.PASSED);
    }

    @Test
    @DisplayName("every service of the registry is covered")
    void everyServiceIsCovered() {
      assertThat(result.byService().keySet()).containsExactlyInAnyOrderElementsOf(ContentUtilContracts.services());
      assertThat(result.passed()).as(result.summary()).isTrue();
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @DisplayName("on weather_manager without time_manager")
  class WithoutTimeManager {

    HarnessTarget target;
    RunResult result;

    @BeforeAll
    void runTheUnavailableChecks() throws Exception {
      target = HarnessTarget.start(Backend.EMBEDDED, Implementation.provider("reference").services("weather_manager"),
          Optional.empty(), System.out);
      result = run(target, CheckSelection.of(List.of(UNAVAILABLE), List.of()));
    }

    @AfterAll
    void stop() throws Exception {
      if (target != null) {
        target.close();
      }
    }

    @TestFactory
    @DisplayName("a missing game hour is UNAVAILABLE")
    Stream<DynamicTest> unavailable() {
      assertThat(result.results()).as("checks selected by %s", UNAVAILABLE).hasSize(3);
      return expect(result, CheckStatus.PASSED);
    }
  }

  @Nested
  @DisplayName("hold to the catalog")
  class Coverage {

    final List<ContractCheck> checks = ContractCoverage.contractChecks(ContentUtilContracts.checks());

    @Test
    @DisplayName("every documented error code of every method has a check")
    void everyDocumentedCode() {
      assertThat(ContractCoverage.uncheckedErrorCodes(ContentUtilContracts.services(), checks))
          .as("documented codes without a check, which must be exactly the unprovokable ones")
          .containsExactlyInAnyOrderElementsOf(UNPROVOKABLE.keySet());
    }

    @Test
    @DisplayName("every mutating method has an expired-deadline check")
    void everyMutatingMethodHasADeadlineCheck() {
      assertThat(ContractCoverage.mutatingWithoutDeadlineCheck(ContentUtilContracts.services(), checks)).isEmpty();
    }

    @Test
    @DisplayName("ids follow contract.<service>.<method>.<behaviour> and are unique; descriptions are sentences")
    void ids() {
      assertThat(checks).extracting(Check::id).doesNotHaveDuplicates()
          .allSatisfy(id -> assertThat(id).matches("contract\\.[a-z_]+\\.[a-z_]+\\.[a-z0-9_]+"));
      assertThat(checks).allSatisfy(c -> assertThat(c.id()).startsWith("contract." + c.service() + "." + c.method() + "."));
      // The content and util checks describe themselves in sentences; the shared kit does not require it.
      assertThat(checks).allSatisfy(c -> assertThat(c.description()).as("description of %s", c.id()).endsWith("."));
    }

    @Test
    @DisplayName("an error check must name a code its method documents")
    void undocumentedCodeIsRefused() {
      var builder = ContractChecks.forService("payment");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.error("get_balance", "aborted", Code.ABORTED,
              "get_balance is ABORTED.", ctx -> { }))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("svc.util.payment.v1.get_balance does not document ABORTED (it documents [INVALID_ARGUMENT, "
              + "NOT_FOUND]): the check aborted asks for something the contract never promised");
    }
  }
}
