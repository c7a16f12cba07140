package io.natsharness.gateway;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsharness.gateway.config.ConfigFile;
import io.natsharness.gateway.config.GatewayConfig;
import io.natsharness.gateway.cutover.CutoverMode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nh-gateway}: runs the gateway until interrupted (SIGTERM/SIGINT close it cleanly).
 * Settings come from {@code --config} (a properties file, keys in gateway/README.md); the few
 * options below override it.
 *
 * <pre>{@code
 * java -cp ... io.natsharness.gateway.GatewayCommand --config gateway.properties --port 8080
 * }</pre>
 */
@Command(name = "nh-gateway", mixinStandardHelpOptions = true, version = "nats-harness gateway 0.1.0",
    description = "HTTP/JSON to NATS gateway with cutover modes (HTTP, SHADOW, CANARY, NATS).")
public final class GatewayCommand implements Callable<Integer> {

  @Option(names = "--config", description = "properties file with the gateway settings")
  Path config;

  @Option(names = "--host", description = "listen address (overrides listen.host)")
  String host;

  @Option(names = "--port", description = "listen port, 0 = any free one (overrides listen.port)")
  Integer port;

  @Option(names = "--nats-url", description = "NATS server URL (overrides nats.url; env NATS_URL)")
  String natsUrl;

  @Option(names = "--legacy-url", description = "legacy HTTP upstream (overrides legacy.url)")
  URI legacyUrl;

  @Option(names = "--default-mode", description = "HTTP, SHADOW, CANARY or NATS (overrides cutover.default-mode)")
  String defaultMode;

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile Gateway running;

  public static void main(String[] args) {
    System.exit(commandLine(new GatewayCommand()).execute(args));
  }

  /** The command line of {@code cmd}: a bad configuration is one line on stderr and exit code 2. */
  static CommandLine commandLine(GatewayCommand cmd) {
    return new CommandLine(cmd).setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println("nh-gateway: " + e.getMessage());
      return 2;
    });
  }

  /** The configuration the options describe (file first, then the overriding options). */
  GatewayConfig resolvedConfig() {
    GatewayConfig.Builder b = (config == null ? GatewayConfig.builder().build() : ConfigFile.load(config)).toBuilder();
    String envNats = System.getenv("NATS_URL");
    if (natsUrl != null) {
      b.withNatsUrl(natsUrl);
    } else if (config == null && envNats != null && !envNats.isBlank()) {
      b.withNatsUrl(envNats);
    }
    if (host != null) {
      b.withHost(host);
    }
    if (port != null) {
      b.withPort(port);
    }
    if (legacyUrl != null) {
      b.withLegacyUrl(legacyUrl);
    }
    if (defaultMode != null) {
      b.withDefaultMode(CutoverMode.parse(defaultMode, 0));
    }
    return b.build();
  }

  @Override
  public Integer call() throws Exception {
    GatewayConfig cfg = resolvedConfig();
    Options options = new Options.Builder().server(cfg.natsUrl()).connectionName("nh-gateway")
        .maxReconnects(-1).reconnectWait(Duration.ofMillis(500)).build();
    try (Connection nats = Nats.connect(options);
         Gateway gateway = Gateway.builder().withConnection(nats).withConfig(cfg).build().start()) {
      running = gateway;
      // On SIGTERM the JVM exits once the hook returns: let call() close the gateway first.
      Thread hook = new Thread(() -> {
        stop.countDown();
        awaitQuietly(finished, Duration.ofSeconds(10));
      }, "nh-gateway-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      System.out.println("nh-gateway listening on " + gateway.uri("/") + " (NATS " + nats.getConnectedUrl() + ")");
      stop.await();
      return 0;
    } finally {
      running = null;
      finished.countDown();
    }
  }

  private static void awaitQuietly(CountDownLatch latch, Duration max) {
    try {
      latch.await(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The running gateway, once {@link #call()} has started it (for tests and embedding). */
  java.util.Optional<Gateway> gateway() {
    return java.util.Optional.ofNullable(running);
  }

  /** Makes {@link #call()} return (closing the gateway). */
  void stop() {
    stop.countDown();
  }
}
