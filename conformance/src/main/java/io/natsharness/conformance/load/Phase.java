package io.natsharness.conformance.load;

import io.natsharness.conformance.load.requests.LoadRequests;
import io.natsharness.conformance.load.transport.TransportKind;
import java.util.Objects;

/**
 * One method over one transport under one plan: the unit a {@link PhaseExecutor} runs.
 *
 * <pre>{@code
 * Phase phase = new Phase(requests, TransportKind.NATS, plan);
 * }</pre>
 *
 * @param requests the method and the bodies to send
 * @param transport how to reach it
 * @param plan the rate, warm-up, duration and bounds
 */
public record Phase(LoadRequests requests, TransportKind transport, LoadPlan plan) {

  public Phase {
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(plan, "plan");
  }

  public String subject() {
    return requests.method().subject();
  }

  /** E.g. "svc.util.settings.v1.get via nats". */
  public String label() {
    return subject() + " via " + transport.id();
  }
}
