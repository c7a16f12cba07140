package io.natsharness.gateway;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import io.natsharness.gateway.config.GatewayConfig;
import io.natsharness.gateway.cutover.CutoverMode;
import io.natsharness.gateway.cutover.ModeTable;
import io.natsharness.gateway.http.GatewayHandler;
import io.natsharness.gateway.metrics.GatewayMetrics;
import io.natsharness.gateway.shadow.ShadowResult;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The HTTP→NATS gateway: every route of the catalog on one Undertow listener, transcoded to the
 * NATS method of its {@code google.api.http} binding, or sent to the legacy HTTP upstream as the
 * route's cutover mode says. See gateway/README.md for behaviour and configuration.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.builder()
 *     .withConnection(nats)
 *     .withConfig(ConfigFile.load(Path.of("gateway.properties")))
 *     .build()
 *     .start()) {
 *   HttpClient.newHttpClient().send(HttpRequest.newBuilder(gateway.uri("/v1/util/time/now")).build(), ofString());
 *   gateway.modes().set("svc.util.time.v1.now", CutoverMode.canary(10), "operator");
 * }
 * }</pre>
 */
public final class Gateway implements AutoCloseable {

  private final GatewayParts parts;
  private final GatewayServer server;

  private Gateway(GatewayParts parts) {
    this.parts = parts;
    this.server = new GatewayServer(parts.config(), new GatewayHandler(parts.wiring()));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Opens the listener and starts following the router service. */
  public Gateway start() {
    parts.start();
    server.start();
    return this;
  }

  /** The port the gateway listens on (the picked one when configured with 0). */
  public int port() {
    return server.address().getPort();
  }

  public InetSocketAddress address() {
    return server.address();
  }

  /** An absolute URI on this gateway, e.g. {@code uri("/health")}. */
  public URI uri(String pathAndQuery) {
    InetSocketAddress a = server.address();
    return URI.create("http://" + a.getHostString() + ":" + a.getPort() + pathAndQuery);
  }

  /** The live cutover modes; a change applies from the next request. */
  public ModeTable modes() {
    return parts.wiring().modes();
  }

  public GatewayMetrics metrics() {
    return parts.wiring().metrics();
  }

  /** The request body limit in force (the configured one, lowered to NATS max_payload). */
  public long maxBodyBytes() {
    return parts.wiring().maxBodyBytes();
  }

  /** Re-reads every route's mode from the router service now; false when it did not answer. */
  public boolean refreshModes() {
    return parts.refreshModes();
  }

  /** Stops listening, then releases the RPC client and subscriptions; the NATS connection stays open. */
  @Override
  public void close() {
    try {
      server.close();
    } finally {
      parts.close();
    }
  }

  /** Builder of {@link Gateway}; the NATS connection is required. */
  public static final class Builder {
    private Connection connection;
    private GatewayConfig config = GatewayConfig.builder().build();
    private PrometheusMeterRegistry registry;
    private OpenTelemetry openTelemetry;
    private Consumer<ShadowResult> shadowListener = r -> { };
    private ServiceCatalog catalog;

    private Builder() {}

    public Builder withConnection(Connection c) {
      connection = Objects.requireNonNull(c, "connection");
      return this;
    }

    public Builder withConfig(GatewayConfig c) {
      config = Objects.requireNonNull(c, "config");
      return this;
    }

    /** Where the gateway's meters go (default: a new Prometheus registry served on /metrics). */
    public Builder withMeterRegistry(PrometheusMeterRegistry r) {
      registry = Objects.requireNonNull(r, "registry");
      return this;
    }

    /**
     * Traces NATS calls with this OpenTelemetry. Default: no spans, but W3C trace context (and
     * baggage) from the HTTP request is passed on to the service.
     */
    public Builder withOpenTelemetry(OpenTelemetry o) {
      openTelemetry = Objects.requireNonNull(o, "openTelemetry");
      return this;
    }

    /** Called with every SHADOW comparison (besides the metrics and the log). */
    public Builder withShadowListener(Consumer<ShadowResult> listener) {
      shadowListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The catalog whose routes are served (default {@link ServiceCatalog#load()}). */
    public Builder withCatalog(ServiceCatalog c) {
      catalog = Objects.requireNonNull(c, "catalog");
      return this;
    }

    /**
     * Checks the configuration against the catalog and the NATS server (max_payload) and wires
     * the gateway; nothing listens until {@link Gateway#start()}.
     *
     * @throws IllegalStateException without a connection
     * @throws IllegalArgumentException for a configuration that names an unknown route, asks for
     *     a legacy mode without a legacy upstream, or SHADOW on a method with side effects
     */
    public Gateway build() {
      if (connection == null) {
        throw new IllegalStateException("Gateway needs a NATS connection: call withConnection(..) before build()");
      }
      OpenTelemetry otel = openTelemetry != null ? openTelemetry
          : OpenTelemetry.propagating(ContextPropagators.create(TextMapPropagator.composite(
              W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())));
      PrometheusMeterRegistry r = registry != null ? registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      ServiceCatalog c = catalog != null ? catalog : ServiceCatalog.load();
      return new Gateway(GatewayParts.assemble(connection, config, c, r, otel, shadowListener));
    }
  }

  static boolean unsafeForShadow(io.natsharness.proto.catalog.MethodInfo m, CutoverMode mode) {
    return mode.mode() == io.natsharness.proto.infra.router.v1.RouteMode.SHADOW
        && !m.hasNoSideEffects() && !m.requiresIdempotencyKey();
  }
}
