package io.natsharness.conformance.load.transport;

import io.nats.client.Connection;
import io.natsharness.conformance.load.generate.Caller;
import io.natsharness.conformance.load.generate.Outcome;
import io.natsharness.conformance.load.requests.LoadRequests;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Plain jnats request/reply of the method's protobuf request bytes to an {@link EchoResponder}
 * that sends them back: no headers, no SDK, no service. What the other transports cost beyond it
 * is the cost of the stack.
 */
final class RawEchoTransport implements Transport {

  private final Connection connection;
  private final String subject;
  private final Duration timeout;

  RawEchoTransport(Connection connection, String subject, Duration timeout) {
    this.connection = connection;
    this.subject = subject;
    this.timeout = timeout;
  }

  @Override
  public TransportKind kind() {
    return TransportKind.RAW;
  }

  @Override
  public String description() {
    return "raw echo on " + subject + " at " + connection.getConnectedUrl();
  }

  @Override
  public Caller caller(LoadRequests requests) {
    byte[][] bodies = requests.messages().stream().map(m -> m.toByteArray()).toArray(byte[][]::new);
    // jnats notices a request's timeout only at its next cleanup sweep (every few seconds): time out here.
    return seq -> connection.requestWithTimeout(subject, bodies[(int) Math.floorMod(seq, (long) bodies.length)], timeout)
        .orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .handle((reply, error) -> {
          if (error != null) {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            // jnats reports no responders (reportNoResponders) as a status exception, a timeout as a cancellation.
            return cause instanceof io.nats.client.JetStreamStatusException ? Outcome.error("UNAVAILABLE")
                : Outcome.noAnswer("DEADLINE_EXCEEDED");
          }
          // With no responders the server answers a 503 status message at once.
          return reply.isStatusMessage() ? Outcome.error("UNAVAILABLE") : Outcome.OK;
        });
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
