package io.natsharness.conformance.load.distributed;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsharness.conformance.load.generate.SampleSink;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code natsharness load worker}: a generator process that a coordinator ({@code natsharness
 * load --workers N}) drives over NATS. Start one per core or host you want to generate load from.
 * Exit code 0 when the coordinator finished the run, 1 when none came or it went away.
 *
 * <pre>
 * java -cp … io.natsharness.conformance.load.distributed.WorkerCommand --control nats://10.0.0.5:4222 --id gen-1
 * </pre>
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Generates load for a coordinator that drives it over NATS (natsharness load --workers N).")
public final class WorkerCommand implements Callable<Integer> {

  @Option(names = "--control", paramLabel = "URL", required = true,
      description = "The NATS the coordinator listens on.")
  String control;

  @Option(names = "--id", paramLabel = "NAME", description = "This worker's name (default: host-pid).")
  String id;

  @Option(names = "--prefix", paramLabel = "SUBJECT", defaultValue = "nh.load",
      description = "Subject prefix of the coordination (default: ${DEFAULT-VALUE}).")
  String prefix;

  @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
      description = "How long to wait for a coordinator (default: ${DEFAULT-VALUE}).")
  int waitSeconds;

  @Option(names = "--idle", paramLabel = "SECONDS", defaultValue = "300",
      description = "How long to wait between phases before giving up (default: ${DEFAULT-VALUE}).")
  int idleSeconds;

  @Option(names = "--sample-log", paramLabel = "FILE",
      description = "Also write every response time (µs) to this file, one a line (an audit trail; costs time).")
  Path sampleLog;

  public static void main(String[] args) {
    System.exit(new CommandLine(new WorkerCommand())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          return 2;
        })
        .execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String name = id != null ? id : ManagementFactory.getRuntimeMXBean().getName().replace('@', '-').replace('.', '-');
    Options options = new Options.Builder().server(control).connectionName("nh-load-worker-" + name)
        .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(10).build();
    SampleSink.FileSink file = sampleLog == null ? null : SampleSink.toFile(sampleLog);
    try (Connection nats = Nats.connect(options);
         Worker worker = Worker.start(nats, prefix, name, file == null ? SampleSink.NONE : file)) {
      boolean finished = worker.serve(Duration.ofSeconds(waitSeconds), Duration.ofSeconds(idleSeconds));
      System.err.println(finished ? "worker " + name + ": run finished" : "worker " + name + ": no coordinator (timed out)");
      return finished ? 0 : 1;
    } finally {
      if (file != null) {
        file.close();
      }
    }
  }
}
