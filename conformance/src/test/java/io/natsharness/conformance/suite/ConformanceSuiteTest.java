package io.natsharness.conformance.suite;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.conformance.ConformanceSuite;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.runner.CheckResult;
import io.natsharness.conformance.runner.CheckRunner;
import io.natsharness.conformance.runner.CheckStatus;
import io.natsharness.conformance.runner.RunResult;
import io.natsharness.conformance.target.HarnessTarget;
import io.natsharness.harness.Backend;
import io.natsharness.harness.Implementation;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The whole conformance suite, wire and contract checks of all 22 services, against the reference services. */
@DisplayName("The conformance suite against the reference services")
class ConformanceSuiteTest {

  @Test
  @DisplayName("covers every service and passes with no failure")
  void passesOnTheReference() throws Exception {
    List<Check> checks = ConformanceSuite.checks(Set.of());
    Set<String> covered = checks.stream().map(Check::service).collect(Collectors.toSet());
    assertThat(covered).containsAll(ServiceCatalog.load().services().stream().map(ServiceInfo::name).toList());

    RunResult result;
    try (HarnessTarget target = HarnessTarget.start(Backend.EMBEDDED, Implementation.provider("reference"),
        Optional.empty(), System.out)) {
      result = ConformanceSuite.run(target, Set.of(), CheckRunner.builder().build());
    }
    System.out.printf("conformance against the reference: %s in %.1f s%n", result.summary(),
        result.duration().toMillis() / 1000.0);
    assertThat(result.results().stream().filter(r -> r.status().failsRun()).map(CheckResult::toString))
        .as("failing checks").isEmpty();
    // Skips are reasons, not silence: every one says why.
    assertThat(result.results()).filteredOn(r -> r.status() == CheckStatus.SKIPPED)
        .allSatisfy(r -> assertThat(r.message()).isNotBlank());
    assertThat(result.count(CheckStatus.PASSED)).isGreaterThan(checks.size() * 9L / 10);
  }
}
