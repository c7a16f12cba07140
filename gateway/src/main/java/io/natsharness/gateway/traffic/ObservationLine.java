package io.natsharness.gateway.traffic;

import io.natsharness.proto.diff.Answer;
import io.natsharness.proto.diff.Difference;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One request compared live by the gateway's SHADOW mode: a line of an observations file (see
 * {@link ObservationFile} and conformance/README-shadow.md), from which {@code natsharness shadow
 * --observations FILE} builds the shadow suite's report.
 *
 * <pre>{@code
 * new ObservationLine(Instant.now(), "svc.util.payment.v1.get_balance", "req-7",
 *     "{\"wallet_id\":\"wal-1\"}", Answer.of(legacyWallet), Answer.of(natsWallet),
 *     MessageDiff.compare(method, Answer.of(legacyWallet), Answer.of(natsWallet), rules));
 * }</pre>
 *
 * @param timestamp when the comparison was made
 * @param route the route's NATS subject
 * @param requestId the request's Nh-Request-Id
 * @param request the request as the NATS side got it, proto3 JSON
 * @param primary the legacy answer
 * @param candidate the NATS answer
 * @param differences what the gateway's comparison found, candidate against primary
 */
public record ObservationLine(Instant timestamp, String route, String requestId, String request, Answer primary,
    Answer candidate, List<Difference> differences) {

  public ObservationLine {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(candidate, "candidate");
    differences = List.copyOf(differences);
  }
}
