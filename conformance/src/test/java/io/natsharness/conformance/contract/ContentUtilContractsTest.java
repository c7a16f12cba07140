package io.natsharness.conformance.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.contract.util.kit.ContractCheck;
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
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
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
      "state_manager.load.DATA_LOSS",
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

    final List<ContractCheck> checks = ContentUtilContracts.checks().stream().map(ContractCheck.class::cast).toList();

    @Test
    @DisplayName("every documented error code of every method has a check")
    void everyDocumentedCode() {
      Set<String> covered = checks.stream().filter(c -> c.errorCode().isPresent())
          .map(c -> c.service() + "." + c.method() + "." + c.errorCode().get()).collect(Collectors.toSet());
      List<String> missing = new ArrayList<>();
      for (String service : ContentUtilContracts.services()) {
        for (MethodInfo m : ServiceCatalog.load().service(service).orElseThrow().methods()) {
          for (Code code : m.errorCodes()) {
            String key = service + "." + m.name() + "." + code;
            if (!covered.contains(key) && !UNPROVOKABLE.containsKey(key)) {
              missing.add(key);
            }
          }
        }
      }
      assertThat(missing).as("documented codes without a check").isEmpty();
      assertThat(covered).as("codes listed as unprovokable that have a check")
          .doesNotContainAnyElementsOf(UNPROVOKABLE.keySet());
    }

    @Test
    @DisplayName("every mutating method has an expired-deadline check")
    void everyMutatingMethodHasADeadlineCheck() {
      Set<String> covered = checks.stream().filter(c -> c.errorCode().equals(Optional.of(Code.DEADLINE_EXCEEDED)))
          .map(c -> c.service() + "." + c.method()).collect(Collectors.toSet());
      List<String> mutating = ContentUtilContracts.services().stream()
          .flatMap(s -> ServiceCatalog.load().service(s).orElseThrow().methods().stream())
          .filter(m -> !m.hasNoSideEffects()).map(m -> m.service() + "." + m.name()).toList();
      assertThat(covered).containsAll(mutating);
    }

    @Test
    @DisplayName("ids follow contract.<service>.<method>.<behaviour> and are unique")
    void ids() {
      assertThat(checks).extracting(Check::id).doesNotHaveDuplicates()
          .allSatisfy(id -> assertThat(id).matches("contract\\.[a-z_]+\\.[a-z_]+\\.[a-z0-9_]+"));
      assertThat(checks).allSatisfy(c -> assertThat(c.id()).startsWith("contract." + c.service() + "." + c.method() + "."));
    }

    @Test
    @DisplayName("an error check must name a code its method documents")
    void undocumentedCodeIsRefused() {
      var builder = io.natsharness.conformance.contract.util.kit.ContractChecks.forService("payment");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.error("get_balance", "aborted", Code.ABORTED,
              "get_balance is ABORTED.", ctx -> { }))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("svc.util.payment.v1.get_balance does not document ABORTED (it documents [INVALID_ARGUMENT, "
              + "NOT_FOUND]): check aborted asks for a promise the contract never made");
    }
  }
}
