package io.natsharness.conformance.load.transport;

import io.natsharness.conformance.load.generate.Caller;
import io.natsharness.conformance.load.requests.LoadRequests;

/**
 * One way of reaching the implementation, with the connections it needs (closed with it). It
 * prepares a {@link Caller} per method: the requests are encoded once, before the clock starts,
 * so the schedule only sends.
 *
 * <pre>{@code
 * try (Transport nats = Transports.open(TransportKind.NATS, endpoints, Duration.ofSeconds(5), 256)) {
 *   Caller caller = nats.caller(requests);
 *   caller.call(0).join();   // Outcome.OK
 * }
 * }</pre>
 */
public interface Transport extends AutoCloseable {

  TransportKind kind();

  /** What exactly it talks to, for reports: "NATS nats://127.0.0.1:4222". */
  String description();

  /**
   * A caller of the requests' method: call {@code n} sends request {@code n % size}, with a
   * fresh {@code Idempotency-Key} when the method needs one.
   *
   * @throws IllegalArgumentException when a request has no form on this transport (an HTTP route
   *     whose path variable is empty)
   */
  Caller caller(LoadRequests requests);

  @Override
  void close();
}
