package io.natsharness.conformance.load.transport;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsharness.gateway.Gateway;
import io.natsharness.gateway.config.GatewayConfig;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The reference gateway started in this process on a free loopback port, on a NATS connection of
 * its own, every route in NATS mode (no router sync, no auth), so the gateway transport measures
 * HTTP → gateway → NATS → service. Its in-flight bounds are raised above the generator's, so they
 * never refuse what the generator sends.
 *
 * <pre>{@code
 * try (InProcessGateway gw = InProcessGateway.start(info.natsOptions(), Optional.of(legacyUri), Duration.ofSeconds(5), 256)) {
 *   endpoints = endpoints.withGateway(gw.uri());
 * }
 * }</pre>
 */
public final class InProcessGateway implements AutoCloseable {

  private final Connection connection;
  private final Gateway gateway;

  private InProcessGateway(Connection connection, Gateway gateway) {
    this.connection = connection;
    this.gateway = gateway;
  }

  /**
   * @param legacy the legacy upstream, when there is one (unused in NATS mode, but configured)
   * @param deadline the gateway's default deadline of a call
   * @param maxInFlight the generator's in-flight bound
   * @throws IOException when NATS cannot be reached
   */
  public static InProcessGateway start(Options.Builder nats, Optional<URI> legacy, Duration deadline, int maxInFlight)
      throws IOException {
    Connection c;
    try {
      c = Nats.connect(nats.connectionName("nh-load-gateway").connectionTimeout(Duration.ofSeconds(5)).build());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting the gateway", e);
    }
    try {
      GatewayConfig.Builder config = GatewayConfig.builder().withHost("127.0.0.1").withPort(0).withRouterSync(false)
          .withDefaultDeadline(deadline).withMaxInFlight(Math.max(1024, 4 * maxInFlight))
          .withMaxInFlightPerRoute(Math.max(256, 2 * maxInFlight));
      legacy.ifPresent(config::withLegacyUrl);
      Gateway g = Gateway.builder().withConnection(c).withConfig(config.build()).build().start();
      return new InProcessGateway(c, g);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** The base URI, e.g. {@code http://127.0.0.1:41517}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + gateway.port());
  }

  @Override
  public void close() {
    try {
      gateway.close();
    } finally {
      closeQuietly(connection);
    }
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
