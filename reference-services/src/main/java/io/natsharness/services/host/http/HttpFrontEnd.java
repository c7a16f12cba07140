package io.natsharness.services.host.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.natsharness.sdk.http.HttpTranscoder;
import io.natsharness.sdk.service.ServiceDefinition;
import io.natsharness.services.host.metrics.MethodMetrics;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.GracefulShutdownHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's HTTP side on Undertow: every hosted method on its {@code google.api.http} route
 * (proto3 JSON in and out, WIRE.md's HTTP status, server streams as Server-Sent Events), plus
 * {@code GET /metrics} (Prometheus text) and {@code GET /health} (200 or 503). Requests run off
 * the IO threads (handlers block on Redis and NATS); above {@link #MAX_IN_FLIGHT} concurrent
 * requests the answer is 429 RESOURCE_EXHAUSTED.
 *
 * <pre>{@code
 * HttpFrontEnd http = HttpFrontEnd.start("127.0.0.1", 0, definitions, metrics, registry, health);
 * http.port();
 * http.close(Duration.ofSeconds(10));
 * }</pre>
 */
public final class HttpFrontEnd {

  /** Largest accepted request body (a 512 KiB payload inflates by a third in base64 JSON). */
  public static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
  /** Requests served at once; more are refused with 429. */
  public static final int MAX_IN_FLIGHT = 256;

  private static final Logger LOG = LoggerFactory.getLogger(HttpFrontEnd.class);

  private final Undertow server;
  private final GracefulShutdownHandler shutdown;
  private final RootHandler root;
  private final int port;

  private HttpFrontEnd(Undertow server, GracefulShutdownHandler shutdown, RootHandler root, int port) {
    this.server = server;
    this.shutdown = shutdown;
    this.root = root;
    this.port = port;
  }

  /** Starts listening on {@code host:port} (0 picks a free port). */
  public static HttpFrontEnd start(String host, int port, List<ServiceDefinition> definitions,
      MethodMetrics metrics, PrometheusMeterRegistry registry, HealthCheck health) {
    RouteTable routes = new RouteTable(definitions);
    HttpTranscoder transcoder = HttpTranscoder.create();
    RootHandler root = new RootHandler(routes, new MethodHandler(transcoder, metrics, MAX_BODY_BYTES),
        transcoder, registry, health, MAX_IN_FLIGHT);
    GracefulShutdownHandler shutdown = new GracefulShutdownHandler(root);
    Undertow server = Undertow.builder()
        .addHttpListener(port, host)
        // Paths stay percent-encoded: the path templates decode the variables they bind.
        .setServerOption(UndertowOptions.DECODE_URL, false)
        .setHandler(shutdown)
        .build();
    server.start();
    int bound = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    LOG.info("HTTP side on http://{}:{} with {} routes", host, bound, routes.size());
    return new HttpFrontEnd(server, shutdown, root, bound);
  }

  public int port() {
    return port;
  }

  /** Stops taking requests, waits up to {@code drain} for those in flight, then stops. */
  public void close(Duration drain) {
    shutdown.shutdown();
    try {
      if (!shutdown.awaitShutdown(Math.max(1, drain.toMillis()))) {
        LOG.warn("HTTP requests still in flight after {}; stopping anyway", drain);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.stop();
    root.shutdownWorkers();
  }
}
