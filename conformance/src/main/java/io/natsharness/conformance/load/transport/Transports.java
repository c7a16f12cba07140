package io.natsharness.conformance.load.transport;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;

/**
 * Opens a {@link Transport} of a kind on given {@link Endpoints}; NATS transports get a connection
 * of their own, so they never queue behind one another.
 *
 * <pre>{@code
 * try (Transport t = Transports.open(TransportKind.GATEWAY, endpoints, Duration.ofSeconds(5), 256)) { ... }
 * }</pre>
 */
public final class Transports {

  private Transports() {}

  /**
   * @param timeout how long one call may take before it counts as unanswered
   * @param maxInFlight the most calls the generator will have out at once
   * @throws IllegalArgumentException when the endpoints lack what the kind needs (no legacy URL)
   * @throws IOException when NATS cannot be reached
   */
  public static Transport open(TransportKind kind, Endpoints endpoints, Duration timeout, int maxInFlight)
      throws IOException {
    return switch (kind) {
      case NATS -> new NatsTransport(connect(endpoints, "nh-load-nats"), timeout, maxInFlight);
      case RAW -> new RawEchoTransport(connect(endpoints, "nh-load-raw"), endpoints.echoSubject(), timeout);
      case GATEWAY -> new HttpTransport(kind, endpoints.gateway().orElseThrow(() -> new IllegalArgumentException(
          "transport 'gateway' needs a gateway: none was started or given")), timeout);
      case LEGACY -> new HttpTransport(kind, endpoints.legacy().orElseThrow(() -> new IllegalArgumentException(
          "transport 'legacy' needs the implementation's HTTP side: give its URL (--http-url)")), timeout);
    };
  }

  static Connection connect(Endpoints endpoints, String name) throws IOException {
    Options options = endpoints.nats().get().connectionName(name).reportNoResponders()
        .connectionTimeout(Duration.ofSeconds(5)).build();
    try {
      return Nats.connect(options);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to NATS", e);
    } catch (IOException e) {
      throw new IOException("cannot connect to NATS at " + options.getServers() + ": " + e.getMessage(), e);
    }
  }
}
