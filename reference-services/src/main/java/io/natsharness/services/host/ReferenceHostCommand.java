package io.natsharness.services.host;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command-line entry point of the reference services.
 *
 * <pre>
 * java -cp … io.natsharness.services.host.ReferenceHostCommand --services all \
 *     --nats-url nats://127.0.0.1:4222 --redis-url redis://127.0.0.1:6379 --http-port 8080
 * </pre>
 *
 * Flags fall back to NATS_URL, REDIS_URL, HTTP_PORT (and NH_KEY_PREFIX, NH_SERVICES,
 * NH_WORLD_SEED); credentials and TLS come from the environment variables of
 * {@link io.natsharness.sdk.spi.ImplementationProvider}. Runs until SIGINT/SIGTERM, then drains.
 */
@Command(name = "reference-host", mixinStandardHelpOptions = true, version = "nats-harness reference host",
    description = "Runs the reference services on NATS and on their legacy HTTP/JSON routes.")
public final class ReferenceHostCommand implements Callable<Integer> {

  @Option(names = "--services", defaultValue = "${env:NH_SERVICES:-all}",
      description = "'all' or a comma list of catalog service names (default: ${DEFAULT-VALUE})")
  String services;

  @Option(names = "--nats-url", defaultValue = "${env:NATS_URL:-nats://127.0.0.1:4222}",
      description = "NATS server URL (env NATS_URL; default: ${DEFAULT-VALUE})")
  String natsUrl;

  @Option(names = "--redis-url", defaultValue = "${env:REDIS_URL:-redis://127.0.0.1:6379}",
      description = "Redis URI (env REDIS_URL; default: ${DEFAULT-VALUE})")
  String redisUrl;

  @Option(names = "--http-port", defaultValue = "${env:HTTP_PORT:-8080}",
      description = "HTTP port, 0 for a free one (env HTTP_PORT; default: ${DEFAULT-VALUE})")
  int httpPort;

  @Option(names = "--http-host", defaultValue = "127.0.0.1",
      description = "HTTP interface to bind (default: ${DEFAULT-VALUE})")
  String httpHost;

  @Option(names = "--key-prefix", defaultValue = "${env:NH_KEY_PREFIX:-nh:}",
      description = "prefix of every Redis key (env NH_KEY_PREFIX; default: ${DEFAULT-VALUE})")
  String keyPrefix;

  @Option(names = "--world-seed", defaultValue = "${env:NH_WORLD_SEED:-42}",
      description = "seed of the deterministic world (env NH_WORLD_SEED; default: ${DEFAULT-VALUE})")
  long worldSeed;

  private final CountDownLatch stopped = new CountDownLatch(1);

  public static void main(String[] args) {
    System.exit(run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args));
  }

  /**
   * Parses and runs, writing help and errors to the given writers; returns the exit code (0 after a
   * clean shutdown, 2 for bad usage, 1 when the host cannot start).
   */
  static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new ReferenceHostCommand());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println("reference host failed: " + e.getMessage());
      return 1;
    });
    return cli.execute(args);
  }

  @Override
  public Integer call() throws InterruptedException {
    ReferenceHost host = ReferenceHost.builder()
        .withEnvironment(System.getenv())
        .withNatsUrl(natsUrl)
        .withRedisUrl(redisUrl)
        .withHttpHost(httpHost)
        .withHttpPort(httpPort)
        .withKeyPrefix(keyPrefix)
        .withServices(services)
        .withWorldSeed(worldSeed)
        .start();
    Thread hook = new Thread(() -> {
      host.close();
      stopped.countDown();
    }, "nh-host-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    System.out.println("reference host: " + host.services().size() + " service(s) on " + natsUrl
        + ", HTTP " + host.httpUrl() + " (/metrics, /health); Ctrl-C stops");
    stopped.await();
    return 0;
  }
}
