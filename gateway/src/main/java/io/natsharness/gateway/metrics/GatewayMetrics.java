package io.natsharness.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.natsharness.gateway.cutover.CutoverMode;
import io.natsharness.gateway.cutover.ModeTable;
import io.natsharness.gateway.limits.InFlightLimiter;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's meters. Every series is tagged by {@code route} (the NATS subject, or
 * {@code none} before a route is found), so the cardinality is bounded by the catalog.
 *
 * <ul>
 *   <li>{@code gateway_requests_seconds{route,status,mode,upstream}}: latency and count of answers</li>
 *   <li>{@code gateway_rejected_total{route,reason}}: refused before reaching an upstream</li>
 *   <li>{@code gateway_in_flight} and {@code gateway_route_in_flight{route}}</li>
 *   <li>{@code gateway_route_mode{route}} (RouteMode number) and {@code gateway_route_canary_percent{route}}</li>
 *   <li>{@code gateway_shadow_comparisons_total{route,result}} and
 *       {@code gateway_shadow_mismatches_total{route,field}}</li>
 *   <li>{@code gateway_auth_total{result}}</li>
 * </ul>
 *
 * <pre>{@code
 * GatewayMetrics metrics = new GatewayMetrics(registry, limiter, modes);
 * metrics.answered("svc.util.time.v1.now", 200, "NATS", "nats", Duration.ofMillis(3));
 * }</pre>
 */
public final class GatewayMetrics {

  /** The route tag of requests that matched no route. */
  public static final String NO_ROUTE = "none";

  private final MeterRegistry registry;
  private final InFlightLimiter limiter;
  private final ModeTable modes;
  private final Set<String> routeGauges = ConcurrentHashMap.newKeySet();

  public GatewayMetrics(MeterRegistry registry, InFlightLimiter limiter, ModeTable modes) {
    this.registry = registry;
    this.limiter = limiter;
    this.modes = modes;
    Gauge.builder("gateway.in_flight", limiter, InFlightLimiter::inFlight)
        .description("requests in flight over all routes").register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** One answered request. */
  public void answered(String route, int status, String mode, String upstream, Duration latency) {
    routeGauges(route);
    Timer.builder("gateway.requests")
        .description("answered requests by route, status, cutover mode and upstream")
        .tags("route", route, "status", Integer.toString(status), "mode", mode, "upstream", upstream)
        .publishPercentileHistogram(false)
        .register(registry)
        .record(latency);
  }

  /** A request refused by a limit (route_full, gateway_full, too_large, slow_body). */
  public void rejected(String route, String reason) {
    Counter.builder("gateway.rejected").tags("route", route, "reason", reason).register(registry).increment();
  }

  /** One SHADOW comparison: match, mismatch or skipped. */
  public void shadowCompared(String route, String result) {
    Counter.builder("gateway.shadow.comparisons").tags("route", route, "result", result)
        .register(registry).increment();
  }

  /** One differing field of a SHADOW comparison. */
  public void shadowMismatch(String route, String field) {
    Counter.builder("gateway.shadow.mismatches").tags("route", route, "field", field)
        .register(registry).increment();
  }

  /** One bearer-token check: ok, cached, unauthenticated, denied or unavailable. */
  public void auth(String result) {
    Counter.builder("gateway.auth").tags("result", result).register(registry).increment();
  }

  /** Current count of a counter (for tests and the benchmark); 0 when never incremented. */
  public double count(String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  private void routeGauges(String route) {
    if (NO_ROUTE.equals(route) || !routeGauges.add(route)) {
      return;
    }
    Gauge.builder("gateway.route.in_flight", limiter, l -> l.inFlight(route)).tag("route", route)
        .register(registry);
    Gauge.builder("gateway.route.mode", modes, m -> m.get(route).mode().getNumber()).tag("route", route)
        .description("cutover mode: 1 HTTP, 2 SHADOW, 3 CANARY, 4 NATS").register(registry);
    Gauge.builder("gateway.route.canary_percent", modes, m -> percent(m.get(route))).tag("route", route)
        .register(registry);
  }

  private static double percent(CutoverMode mode) {
    return mode.canaryPercent();
  }
}
