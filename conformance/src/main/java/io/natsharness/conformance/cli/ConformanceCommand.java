package io.natsharness.conformance.cli;

import io.natsharness.conformance.ConformanceSuite;
import io.natsharness.conformance.runner.CheckRunner;
import io.natsharness.conformance.runner.ConsoleProgress;
import io.natsharness.conformance.runner.RunResult;
import io.natsharness.conformance.target.Target;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code natsharness conformance}: runs the conformance suite against an implementation and exits
 * non-zero on any failure, so it can gate a release.
 */
@Command(name = "conformance", mixinStandardHelpOptions = true,
    description = "Checks that an implementation of the services honours the contract and the wire conventions.")
public final class ConformanceCommand implements Callable<Integer> {

  @Mixin TargetOptions target;
  @Mixin SelectionOptions selection;
  @Mixin ReportOptions reports;

  @Option(names = "--check-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "Time one check may take before it fails (default: ${DEFAULT-VALUE}).")
  int checkTimeoutSeconds;

  private final PrintStream out;

  public ConformanceCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    CheckRunner runner = CheckRunner.builder()
        .withSelection(selection.selection())
        .withKnownFailures(selection.knownFailures())
        .withListener(new ConsoleProgress(out))
        .withCheckTimeout(Duration.ofSeconds(checkTimeoutSeconds))
        .build();
    RunResult result;
    try (Target t = target.open(selection.services(), out)) {
      out.println("target: " + t.description());
      result = ConformanceSuite.run(t, selection.services(), runner);
    }
    result.warnings().forEach(w -> out.println("warning: " + w));
    reports.write(result, out);
    out.printf("%s in %.1f s%n", result.summary(), result.duration().toMillis() / 1000.0);
    return result.exitCode();
  }
}
