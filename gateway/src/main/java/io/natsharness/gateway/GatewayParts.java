package io.natsharness.gateway;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import io.natsharness.gateway.auth.TokenValidator;
import io.natsharness.gateway.config.GatewayConfig;
import io.natsharness.gateway.config.RouteSettings;
import io.natsharness.gateway.cutover.CutoverMode;
import io.natsharness.gateway.cutover.ModeTable;
import io.natsharness.gateway.cutover.RouterSync;
import io.natsharness.gateway.http.RouteRuntime;
import io.natsharness.gateway.http.Wiring;
import io.natsharness.gateway.limits.InFlightLimiter;
import io.natsharness.gateway.metrics.GatewayMetrics;
import io.natsharness.gateway.routing.RouteTable;
import io.natsharness.gateway.shadow.ShadowFiles;
import io.natsharness.gateway.shadow.ShadowRecorder;
import io.natsharness.gateway.shadow.ShadowResult;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.diff.DiffRules;
import io.natsharness.sdk.client.RetryPolicy;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.http.HttpTranscoder;
import io.opentelemetry.api.OpenTelemetry;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a configuration into the gateway's working parts, checking it against the catalog and
 * the NATS server first, and owns the parts that hold resources (RPC client, subscriptions).
 */
final class GatewayParts implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayParts.class);

  private final Wiring wiring;
  private final RpcClient client;
  private final Optional<TokenValidator> auth;
  private final Optional<RouterSync> sync;

  private GatewayParts(Wiring wiring, RpcClient client, Optional<TokenValidator> auth, Optional<RouterSync> sync) {
    this.wiring = wiring;
    this.client = client;
    this.auth = auth;
    this.sync = sync;
  }

  static GatewayParts assemble(Connection nats, GatewayConfig config, ServiceCatalog catalog,
      PrometheusMeterRegistry registry, OpenTelemetry otel, Consumer<ShadowResult> shadowListener) {
    Map<String, MethodInfo> methods = new LinkedHashMap<>();
    catalog.methods().forEach(m -> methods.put(m.subject(), m));
    validate(config, methods);

    long maxPayload = nats.getServerInfo().getMaxPayload();
    long maxBody = Math.min(config.maxBodyBytes(), maxPayload);
    if (maxBody < config.maxBodyBytes()) {
      LOG.warn("limits.max-body-bytes {} is above the NATS server's max_payload; using {}",
          config.maxBodyBytes(), maxBody);
    }

    ModeTable modes = new ModeTable(config.defaultMode());
    Map<String, RouteRuntime> routes = new LinkedHashMap<>();
    for (MethodInfo m : methods.values()) {
      RouteSettings s = config.route(m.subject());
      s.mode().ifPresent(mode -> modes.set(m.subject(), mode, "config"));
      if (s.mode().isEmpty() && Gateway.unsafeForShadow(m, config.defaultMode())) {
        // SHADOW would apply the method's side effects twice: such routes stay on legacy alone.
        modes.set(m.subject(), CutoverMode.http(), "config (SHADOW unsafe for a method with side effects)");
      }
      Optional<String> scope = s.scope().isPresent()
          ? s.scope().filter(x -> !x.isEmpty()) : config.defaultScope();
      routes.put(m.subject(), new RouteRuntime(m,
          s.deadline().orElse(m.serverStreaming() ? config.streamDeadline() : config.defaultDeadline()),
          scope, s.maxInFlight(),
          shadowRules(s),
          config.legacyUrlFor(m.service())));
    }

    InFlightLimiter limiter = new InFlightLimiter(config.maxInFlight(),
        subject -> Optional.ofNullable(routes.get(subject)).flatMap(r -> r.maxInFlight().isPresent()
            ? Optional.of(r.maxInFlight().getAsInt()) : Optional.empty()).orElse(config.maxInFlightPerRoute()));
    GatewayMetrics metrics = new GatewayMetrics(registry, limiter, modes);
    RpcClient client = RpcClient.builder()
        .connection(nats)
        .defaultDeadline(config.defaultDeadline())
        // The HTTP client decides about retries; the gateway forwards each request once.
        .retry(RetryPolicy.none())
        // A failing service is answered 503 at once for a short while, then probed again.
        .circuitBreaker(CircuitBreakerConfig.custom()
            .slidingWindowSize(100).minimumNumberOfCalls(50).failureRateThreshold(50)
            .waitDurationInOpenState(java.time.Duration.ofSeconds(5))
            .permittedNumberOfCallsInHalfOpenState(5).build())
        .maxInFlight(config.maxInFlight() + config.shadowMaxInFlight() + 64)
        .openTelemetry(otel)
        .build();
    boolean needsAuth = routes.values().stream().anyMatch(r -> r.scope().isPresent());
    Optional<TokenValidator> auth = needsAuth
        ? Optional.of(TokenValidator.builder().withClient(client).withConnection(nats)
            .withTtl(config.authCacheTtl()).withMaxEntries(config.authCacheMaxEntries())
            .withTimeout(config.authTimeout()).withMetrics(metrics).build())
        : Optional.empty();
    Optional<RouterSync> sync = config.routerSync()
        ? Optional.of(new RouterSync(nats, client, modes, config.routerRefreshInterval(),
            (subject, mode) -> acceptable(methods.get(subject), mode, config)))
        : Optional.empty();
    Wiring wiring = new Wiring(config, RouteTable.of(catalog.methods()), routes, limiter, modes, auth, nats,
        client, HttpTranscoder.create(), metrics,
        new ShadowRecorder(metrics, config.shadowMaxInFlight(), shadowListener, ShadowFiles.open(config)), maxBody, maxPayload,
        registry::scrape);
    return new GatewayParts(wiring, client, auth, sync);
  }

  /**
   * The engine's rules for a route: the route's {@code shadow-ignore} paths, plus the wording of
   * error messages, which a rewrite is free to change (two errors agree when their codes and
   * details do).
   */
  static DiffRules shadowRules(RouteSettings s) {
    DiffRules.Builder b = DiffRules.builder().withIgnored("@status.message");
    s.shadowIgnoredFields().stream().sorted().forEach(b::withIgnored);
    return b.build();
  }

  private static void validate(GatewayConfig config, Map<String, MethodInfo> methods) {
    if (config.defaultMode().needsLegacy() && config.legacyUrl().isEmpty()) {
      throw new IllegalArgumentException("cutover.default-mode " + config.defaultMode()
          + " needs legacy.url (the legacy HTTP upstream)");
    }
    config.routes().forEach((subject, s) -> {
      MethodInfo m = methods.get(subject);
      if (m == null) {
        throw new IllegalArgumentException("route " + subject + ": no method of the catalog has this subject");
      }
      s.mode().ifPresent(mode -> {
        if (mode.needsLegacy() && config.legacyUrlFor(m.service()).isEmpty()) {
          throw new IllegalArgumentException("route " + subject + ": mode " + mode
              + " needs legacy.url or legacy.service." + m.service() + ".url");
        }
        if (Gateway.unsafeForShadow(m, mode)) {
          throw new IllegalArgumentException("route " + subject + ": SHADOW would run the method's side effects "
              + "twice (it has side effects and no Idempotency-Key)");
        }
      });
    });
  }

  private static boolean acceptable(MethodInfo m, CutoverMode mode, GatewayConfig config) {
    if (m == null) {
      LOG.warn("router named a route the catalog does not have; ignored");
      return false;
    }
    if (mode.needsLegacy() && config.legacyUrlFor(m.service()).isEmpty()) {
      LOG.error("ignored router mode {} for {}: no legacy upstream is configured for {}", mode, m.subject(), m.service());
      return false;
    }
    if (Gateway.unsafeForShadow(m, mode)) {
      LOG.error("ignored router mode SHADOW for {}: the method has side effects and no Idempotency-Key", m.subject());
      return false;
    }
    return true;
  }

  Wiring wiring() {
    return wiring;
  }

  GatewayConfig config() {
    return wiring.config();
  }

  void start() {
    auth.ifPresent(TokenValidator::start);
    sync.ifPresent(RouterSync::start);
  }

  boolean refreshModes() {
    return sync.map(RouterSync::refresh).orElse(false);
  }

  @Override
  public void close() {
    sync.ifPresent(RouterSync::close);
    auth.ifPresent(TokenValidator::close);
    client.close();
    wiring.shadow().close();
  }
}
