package io.natsharness.gateway.shadow;

import io.natsharness.proto.diff.Difference;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one SHADOW comparison.
 *
 * <pre>{@code
 * gateway = Gateway.builder()...withShadowListener(r -> {
 *   if (!r.matched()) System.out.println(r.route() + " " + r.differences());
 * }).build();
 * }</pre>
 *
 * @param route the route's NATS subject
 * @param requestId the request's Nh-Request-Id (the same on both sides and in the log)
 * @param differences the differences found by the shared engine ({@code MessageDiff}), legacy as
 *     primary and NATS as candidate; empty when the answers agree or nothing was compared
 * @param skipped why nothing was compared (overload, request not transcodable, answer too large...)
 */
public record ShadowResult(String route, String requestId, List<Difference> differences, Optional<String> skipped) {

  public ShadowResult {
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(requestId, "requestId");
    differences = List.copyOf(differences);
    Objects.requireNonNull(skipped, "skipped");
  }

  /** True when both answers were compared and agree. */
  public boolean matched() {
    return skipped.isEmpty() && differences.isEmpty();
  }
}
