package io.natsharness.conformance.mutants;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.runner.CheckResult;
import io.natsharness.conformance.runner.CheckStatus;
import io.natsharness.conformance.runner.RunResult;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proof that the conformance suite bites: each mutant of a reference service fails the suite's
 * checks of that service, and the checks that fail are the ones the mutant's fault is about; the
 * same hosts without a fault pass. One embedded environment serves every run; runs of disjoint
 * services go side by side ({@code -Dnh.mutants.parallelism}, default 3).
 */
@DisplayName("The conformance suite against deliberately broken reference services")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MutantsTest {

  private MutantRuns runs;
  private final Map<String, CompletableFuture<RunResult>> results = new ConcurrentHashMap<>();
  private long started;

  @BeforeAll
  void startEveryRun() throws Exception {
    started = System.nanoTime();
    runs = MutantRuns.start(Integer.getInteger("nh.mutants.parallelism", 3), System.out);
    // Controls first: they take the services that mutants queue for after them.
    Stream.concat(Mutants.controls().stream(), Mutants.all().stream())
        .forEach(m -> results.put(m.name(), runs.submit(m)));
  }

  @AfterAll
  void stop() throws Exception {
    if (runs != null) {
      System.out.printf("%d runs (%d mutants, %d controls) in %d ms%n", results.size(), Mutants.all().size(),
          Mutants.controls().size(), (System.nanoTime() - started) / 1_000_000);
      runs.close();
    }
  }

  static Stream<Mutant> mutants() {
    return Mutants.all().stream();
  }

  static Stream<Mutant> controls() {
    return Mutants.controls().stream();
  }

  private RunResult resultOf(Mutant mutant) {
    return results.get(mutant.name()).join();
  }

  @Nested
  @DisplayName("the table of mutants")
  class Table {

    @Test
    @DisplayName("holds at least 15 mutants, each a distinct fault with a unique name")
    void atLeastFifteenDistinctFaults() {
      List<Mutant> all = Mutants.all();
      assertThat(all).hasSizeGreaterThanOrEqualTo(15);
      assertThat(all.stream().map(Mutant::name).collect(Collectors.toSet())).hasSize(all.size());
      assertThat(all.stream().map(Mutant::fault).collect(Collectors.toSet())).hasSize(all.size());
    }

    @Test
    @DisplayName("uses both techniques: handler faults on the SDK host and wire faults on a jnats host")
    void usesBothTechniques() {
      assertThat(Mutants.all()).anyMatch(m -> m.provider() instanceof SdkHost)
          .anyMatch(m -> m.provider() instanceof WireHost);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.natsharness.conformance.mutants.MutantsTest#mutants")
    @DisplayName("names only checks that the suite has for the mutated service")
    void namesExistingChecks(Mutant mutant) {
      Set<String> ids = SuiteChecks.forService(mutant.service()).stream().map(Check::id).collect(Collectors.toSet());
      assertThat(mutant.catches()).isNotEmpty()
          .allSatisfy(c -> assertThat(ids).as("checks of %s", mutant.service()).contains(c.checkId()));
    }
  }

  @Nested
  @DisplayName("each mutant")
  class EachMutant {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.natsharness.conformance.mutants.MutantsTest#mutants")
    @DisplayName("fails the run, caught by the checks its fault is about")
    void isCaught(Mutant mutant) {
      RunResult result = resultOf(mutant);
      Map<String, CheckResult> failed = result.results().stream().filter(r -> r.status().failsRun())
          .collect(Collectors.toMap(CheckResult::id, r -> r));
      assertThat(result.passed()).as("%s: %s", mutant.name(), result.summary()).isFalse();
      for (Mutant.Catch expected : mutant.catches()) {
        assertThat(failed).as("failed checks of %s", mutant.name()).containsKey(expected.checkId());
        assertThat(failed.get(expected.checkId()).message()).as("why %s failed on %s", expected.checkId(),
            mutant.name()).contains(expected.mentioning());
      }
    }
  }

  @Nested
  @DisplayName("each control (a mutants' host without a fault)")
  class EachControl {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.natsharness.conformance.mutants.MutantsTest#controls")
    @DisplayName("passes every check of its service")
    void passes(Mutant control) {
      RunResult result = resultOf(control);
      assertThat(result.results().stream().filter(r -> r.status().failsRun())
          .map(r -> r.id() + ": " + r.message()).toList()).as("%s: %s", control.name(), result.summary()).isEmpty();
      assertThat(result.count(CheckStatus.PASSED)).as("checks passed by %s", control.name()).isPositive();
    }

    @Test
    @DisplayName("exist for every host and service that a mutant breaks")
    void coverEveryMutatedService() {
      Set<String> covered = new HashSet<>();
      Mutants.controls().forEach(c -> covered.add(c.provider().getClass().getSimpleName() + "/" + c.service()));
      assertThat(covered).containsAll(Mutants.all().stream()
          .map(m -> m.provider().getClass().getSimpleName() + "/" + m.service()).toList());
    }
  }
}
