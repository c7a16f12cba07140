package io.natsharness.gateway.config;

import io.natsharness.gateway.cutover.CutoverMode;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Per-route overrides of the gateway's defaults, keyed by the route's NATS subject in
 * {@link GatewayConfig}. Every field is optional; an absent one falls back to the default.
 *
 * <pre>{@code
 * RouteSettings.none().withMode(CutoverMode.canary(10)).withScope("util.payment:write");
 * }</pre>
 *
 * @param mode the route's cutover mode at start (the router service may change it later)
 * @param deadline how long the gateway waits for the service (carried as {@code Nh-Deadline})
 * @param scope the scope a bearer token needs; present but empty means the route needs no token
 * @param maxInFlight the bound on concurrent requests of the route
 * @param shadowIgnoredFields response field paths that SHADOW comparison skips (ids, timestamps)
 */
public record RouteSettings(
    Optional<CutoverMode> mode,
    Optional<Duration> deadline,
    Optional<String> scope,
    OptionalInt maxInFlight,
    Set<String> shadowIgnoredFields) {

  public RouteSettings {
    shadowIgnoredFields = Set.copyOf(shadowIgnoredFields);
    deadline.ifPresent(d -> {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("deadline must be positive, not " + d);
      }
    });
    if (maxInFlight.isPresent() && maxInFlight.getAsInt() < 1) {
      throw new IllegalArgumentException("max in-flight must be at least 1, not " + maxInFlight.getAsInt());
    }
  }

  /** No overrides. */
  public static RouteSettings none() {
    return new RouteSettings(Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(), Set.of());
  }

  public RouteSettings withMode(CutoverMode m) {
    return new RouteSettings(Optional.of(m), deadline, scope, maxInFlight, shadowIgnoredFields);
  }

  public RouteSettings withDeadline(Duration d) {
    return new RouteSettings(mode, Optional.of(d), scope, maxInFlight, shadowIgnoredFields);
  }

  /** The scope a token needs; {@code ""} makes the route public even when a default scope is set. */
  public RouteSettings withScope(String s) {
    return new RouteSettings(mode, deadline, Optional.of(s.trim()), maxInFlight, shadowIgnoredFields);
  }

  public RouteSettings withMaxInFlight(int n) {
    return new RouteSettings(mode, deadline, scope, OptionalInt.of(n), shadowIgnoredFields);
  }

  public RouteSettings withShadowIgnoredFields(Set<String> fields) {
    return new RouteSettings(mode, deadline, scope, maxInFlight, fields);
  }
}
