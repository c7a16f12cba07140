package io.natsharness.conformance.target;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsharness.conformance.check.CheckContext;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** An implementation that already runs somewhere: the suite only connects. */
public final class ExternalTarget implements Target {

  private final String natsUrl;
  private final Optional<URI> http;
  private final Connection connection;

  private ExternalTarget(String natsUrl, Optional<URI> http, Connection connection) {
    this.natsUrl = natsUrl;
    this.http = http;
    this.connection = connection;
  }

  /**
   * Connects to {@code natsUrl}.
   *
   * @throws IOException with a message naming the URL when the server does not answer in 5 s
   */
  public static ExternalTarget connect(String natsUrl, Optional<URI> http) throws IOException {
    Options options = Options.builder().server(natsUrl).connectionTimeout(Duration.ofSeconds(5))
        .reportNoResponders().maxReconnects(10).build();
    try {
      return new ExternalTarget(natsUrl, http, Nats.connect(options));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to " + natsUrl, e);
    } catch (IOException e) {
      throw new IOException("cannot connect to NATS at " + natsUrl + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String description() {
    return "external implementation at " + natsUrl + http.map(u -> " and " + u).orElse("");
  }

  @Override
  public Connection nats() {
    return connection;
  }

  @Override
  public Optional<URI> httpBaseUri() {
    return http;
  }

  @Override
  public Optional<CheckContext.InstanceControl> instances() {
    return Optional.empty();
  }

  @Override
  public void close() throws InterruptedException {
    connection.close();
  }
}
