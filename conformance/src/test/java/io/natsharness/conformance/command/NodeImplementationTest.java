package io.natsharness.conformance.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.natsharness.conformance.ConformanceSuite;
import io.natsharness.conformance.runner.CheckResult;
import io.natsharness.conformance.runner.CheckRunner;
import io.natsharness.conformance.runner.CheckStatus;
import io.natsharness.conformance.runner.KnownFailures;
import io.natsharness.conformance.runner.RunResult;
import io.natsharness.conformance.target.HarnessTarget;
import io.natsharness.conformance.wire.WireProbe;
import io.natsharness.harness.Backend;
import io.natsharness.harness.Implementation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The suite against an implementation in another language, started as a command: performance_mode
 * written in Node.js (src/test/node/performance-mode) with the nats and protobufjs packages from
 * npm. It holds to the same checks as the Java reference service, apart from the known failures
 * listed here with their reasons.
 */
@DisplayName("The conformance suite against performance_mode in Node.js, started as a command")
class NodeImplementationTest {

  private static final Path FOLDER = Path.of("src/test/node/performance-mode").toAbsolutePath();
  private static final String SERVICE = "performance_mode";

  /** Exact: a listed check that passes fails the run. */
  private static final List<String> KNOWN_FAILURES = List.of();

  @Test
  @DisplayName("passes every performance_mode check that is not a listed known failure")
  void passesTheSuite() throws Exception {
    npmCi();
    Implementation node = Implementation.command("node", FOLDER.resolve("index.js").toString()).services(SERVICE);
    try (HarnessTarget target = HarnessTarget.start(Backend.EMBEDDED, node, Optional.empty(), System.out);
        AutoCloseable second = target.harness().startAnother(node)) {
      awaitInstances(target, 2);
      RunResult result = ConformanceSuite.run(target, Set.of(SERVICE),
          CheckRunner.builder().withKnownFailures(KnownFailures.parse(KNOWN_FAILURES)).build());
      result.results().stream().filter(r -> r.status() != CheckStatus.PASSED)
          .forEach(r -> System.out.println(line(r)));
      System.out.println(result.summary());
      List<String> failing = result.results().stream().filter(r -> r.status().failsRun())
          .map(NodeImplementationTest::line).toList();
      assertThat(result.byService()).as("services the checks covered").containsKey(SERVICE);
      assertThat(failing).as("checks that fail the run (%s)", result.summary()).isEmpty();
      assertThat(result.passed()).isTrue();
    }
  }

  /**
   * The harness's startAnother returns once PING is answered, which the first instance already
   * does; a Node process needs 0.2-0.5 s to register, about the 0.4 s in which the queue_group
   * check gathers STATS. So a second instance is started here and awaited before the suite runs:
   * the check's own extra instance then makes a third, and the two ready ones share its requests.
   */
  private static void awaitInstances(HarnessTarget target, int count) {
    WireProbe probe = new WireProbe(target.nats(), Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
        assertThat(probe.discover("$SRV.PING." + SERVICE, Duration.ofMillis(300)))
            .as("instances of %s answering PING", SERVICE).hasSizeGreaterThanOrEqualTo(count));
  }

  private static String line(CheckResult r) {
    return r.id() + " " + r.status() + ": " + r.message();
  }

  /** Installs the locked dependencies; bounded so a registry that does not answer fails the test. */
  private static void npmCi() throws IOException, InterruptedException {
    Path log = Files.createTempFile("npm-ci", ".log");
    Process npm;
    try {
      npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(FOLDER.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("npm is needed to install the Node implementation's packages and was not "
          + "found on the PATH (" + e.getMessage() + "); install Node.js 20 or later with npm", e);
    }
    if (!npm.waitFor(180, TimeUnit.SECONDS)) {
      npm.destroyForcibly();
      throw new AssertionError("npm ci in " + FOLDER + " did not finish in 180 s: "
          + Files.readString(log, StandardCharsets.UTF_8));
    }
    assertThat(npm.exitValue()).as("npm ci in %s exit code; output:%n%s", FOLDER,
        Files.readString(log, StandardCharsets.UTF_8)).isZero();
  }
}
