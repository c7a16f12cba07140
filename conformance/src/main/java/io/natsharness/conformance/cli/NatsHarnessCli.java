package io.natsharness.conformance.cli;

import java.io.PrintStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line runner of the suites: {@code natsharness conformance|shadow|load …}. Exit code 0
 * when the suite passed, 1 when it failed, 2 for a usage error.
 *
 * <pre>
 * java -jar natsharness-conformance.jar conformance --impl reference --report-dir build/reports
 * java -jar natsharness-conformance.jar conformance --nats-url nats://staging:4222 --services payment
 * </pre>
 */
@Command(name = "natsharness", mixinStandardHelpOptions = true, version = "nats-harness 0.1.0",
    description = "Runs the nats-harness suites against an implementation of the services.")
public final class NatsHarnessCli {

  private NatsHarnessCli() {}

  public static void main(String[] args) {
    System.exit(run(System.out, args));
  }

  /** Runs the command line and returns its exit code. */
  public static int run(PrintStream out, String... args) {
    CommandLine cli = new CommandLine(new NatsHarnessCli())
        .addSubcommand(new ConformanceCommand(out))
        .addSubcommand(new ShadowCommand(out))
        .addSubcommand(new LoadCommand(out))
        .addSubcommand(new QuickStartCommand(out));
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      // A clear message, not a stack trace: the user fixes the input, not our code.
      cmd.getErr().println("error: " + e.getMessage());
      return 2;
    });
    return cli.execute(args);
  }
}
