package io.natsharness.gateway.http;

import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.diff.DiffRules;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A route as the gateway serves it: the catalog method plus the settings resolved from
 * configuration (defaults and per-route overrides), computed once at start.
 *
 * <pre>{@code
 * new RouteRuntime(method, Duration.ofSeconds(5), Optional.of("game:play"), OptionalInt.empty(),
 *     DiffRules.none(), Optional.of(URI.create("http://127.0.0.1:9000")));
 * }</pre>
 *
 * @param method the catalog method
 * @param deadline how long the service may take (streams: how long the stream may last)
 * @param scope the scope a bearer token needs, or empty for a public route
 * @param maxInFlight the route's in-flight bound
 * @param shadowRules what SHADOW's comparison of the legacy and NATS answers tolerates on this route
 * @param legacy the legacy upstream of the route's service, if one is configured
 */
public record RouteRuntime(
    MethodInfo method,
    Duration deadline,
    Optional<String> scope,
    OptionalInt maxInFlight,
    DiffRules shadowRules,
    Optional<URI> legacy) {

  public RouteRuntime {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(shadowRules, "shadowRules");
    Objects.requireNonNull(legacy, "legacy");
  }

  public String subject() {
    return method.subject();
  }
}
