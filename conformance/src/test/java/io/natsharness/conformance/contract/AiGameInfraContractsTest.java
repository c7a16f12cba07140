package io.natsharness.conformance.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.runner.CheckRunner;
import io.natsharness.conformance.runner.CheckStatus;
import io.natsharness.conformance.runner.ConsoleProgress;
import io.natsharness.conformance.runner.RunResult;
import io.natsharness.conformance.target.HarnessTarget;
import io.natsharness.conformance.target.TargetContext;
import io.natsharness.harness.Backend;
import io.natsharness.harness.Implementation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@DisplayName("The contract checks of the ai, game and infra services")
class AiGameInfraContractsTest {

  @Nested
  @DisplayName("against the reference services on the embedded backend")
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class AgainstReference {

    private HarnessTarget target;

    @BeforeAll
    void start() throws Exception {
      String[] services = AiGameInfraContracts.services().toArray(String[]::new);
      target = HarnessTarget.start(Backend.EMBEDDED, Implementation.provider("reference").services(services),
          Optional.empty(), System.out);
    }

    @AfterAll
    void stop() throws Exception {
      if (target != null) {
        target.close();
      }
    }

    @Test
    @DisplayName("every check passes")
    void everyCheckPasses() {
      List<Check> checks = AiGameInfraContracts.checks();
      RunResult result;
      try (TargetContext context = new TargetContext(target, Long.toString(System.currentTimeMillis(), 36),
          Duration.ofSeconds(5))) {
        result = CheckRunner.builder().withListener(new ConsoleProgress(System.out)).build()
            .run("contract", target.description(), checks, context);
      }
      System.out.println(result.summary() + " in " + result.duration().toMillis() + " ms");
      String failures = result.results().stream().filter(r -> r.status() != CheckStatus.PASSED)
          .map(r -> r.id() + " " + r.status() + ": " + r.message()).collect(Collectors.joining("\n"));
      assertThat(failures).as("checks that did not pass").isEmpty();
      assertThat(result.results()).as("results").hasSize(checks.size());
    }
  }
}
