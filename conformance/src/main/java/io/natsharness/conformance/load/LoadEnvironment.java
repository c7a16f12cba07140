package io.natsharness.conformance.load;

import io.nats.client.Options;
import io.natsharness.conformance.load.distributed.RemoteEndpoints;
import io.natsharness.conformance.load.transport.EchoResponder;
import io.natsharness.conformance.load.transport.Endpoints;
import io.natsharness.conformance.load.transport.InProcessGateway;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the transports need around an implementation: the raw echo's responder, and a gateway in
 * front of it (the one given, or the reference gateway started here). Closing stops what was
 * started.
 *
 * <pre>{@code
 * try (LoadEnvironment env = LoadEnvironment.open(info::natsOptions, info.natsUrl(), legacy, Optional.empty(), true,
 *     Duration.ofSeconds(5), 256)) {
 *   new LocalExecutor(env.endpoints());
 * }
 * }</pre>
 */
public final class LoadEnvironment implements AutoCloseable {

  private final EchoResponder echo;
  private final Optional<InProcessGateway> gateway;
  private final Endpoints endpoints;
  private final RemoteEndpoints remote;

  private LoadEnvironment(EchoResponder echo, Optional<InProcessGateway> gateway, Endpoints endpoints,
      RemoteEndpoints remote) {
    this.echo = echo;
    this.gateway = gateway;
    this.endpoints = endpoints;
    this.remote = remote;
  }

  /**
   * @param nats options of the implementation's NATS (fresh builder per call)
   * @param natsUrl the same NATS as a plain URL, for remote generators
   * @param legacy the implementation's legacy HTTP side, if any
   * @param gatewayUrl a gateway already running in front of it, if any
   * @param startGateway start the reference gateway when none is given
   * @throws IOException when NATS cannot be reached
   */
  public static LoadEnvironment open(Supplier<Options.Builder> nats, String natsUrl, Optional<URI> legacy,
      Optional<URI> gatewayUrl, boolean startGateway, Duration timeout, int maxInFlight) throws IOException {
    Objects.requireNonNull(nats, "nats");
    EchoResponder echo = EchoResponder.start(nats.get(), EchoResponder.newSubject());
    Optional<InProcessGateway> started;
    try {
      started = gatewayUrl.isEmpty() && startGateway
          ? Optional.of(InProcessGateway.start(nats.get(), legacy, timeout, maxInFlight)) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      echo.close();
      throw e;
    }
    Optional<URI> gw = gatewayUrl.or(() -> started.map(InProcessGateway::uri));
    Endpoints endpoints = new Endpoints(nats, legacy, gw, echo.subject());
    return new LoadEnvironment(echo, started, endpoints, new RemoteEndpoints(natsUrl, legacy, gw, echo.subject()));
  }

  public Endpoints endpoints() {
    return endpoints;
  }

  /** The same endpoints as plain URLs, for generator processes. */
  public RemoteEndpoints remote() {
    return remote;
  }

  /** Whether the gateway was started here (rather than given). */
  public boolean gatewayStarted() {
    return gateway.isPresent();
  }

  @Override
  public void close() {
    try {
      gateway.ifPresent(InProcessGateway::close);
    } finally {
      echo.close();
    }
  }
}
