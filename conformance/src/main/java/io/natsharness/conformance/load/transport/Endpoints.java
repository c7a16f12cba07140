package io.natsharness.conformance.load.transport;

import io.nats.client.Options;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the transports find the implementation under load: options for fresh NATS connections
 * (each transport gets its own), the legacy HTTP side, the gateway, and the subject of the raw
 * echo.
 *
 * <pre>{@code
 * Endpoints endpoints = new Endpoints(() -> new Options.Builder().server(natsUrl),
 *     Optional.of(URI.create("http://127.0.0.1:8080")), Optional.of(gateway.uri("")), "_nh.load.echo.1");
 * }</pre>
 *
 * @param nats a fresh builder of connection options for each connection
 * @param legacy base URI of the legacy HTTP/JSON side, when there is one
 * @param gateway base URI of the HTTP→NATS gateway, when there is one
 * @param echoSubject the subject an echo responder answers on
 */
public record Endpoints(Supplier<Options.Builder> nats, Optional<URI> legacy, Optional<URI> gateway, String echoSubject) {

  public Endpoints {
    Objects.requireNonNull(nats, "nats");
    Objects.requireNonNull(legacy, "legacy");
    Objects.requireNonNull(gateway, "gateway");
    Objects.requireNonNull(echoSubject, "echoSubject");
  }

  /** Endpoints on one NATS server URL only. */
  public static Endpoints nats(String url, String echoSubject) {
    return new Endpoints(() -> new Options.Builder().server(url), Optional.empty(), Optional.empty(), echoSubject);
  }

  public Endpoints withGateway(URI uri) {
    return new Endpoints(nats, legacy, Optional.of(uri), echoSubject);
  }

  public Endpoints withLegacy(URI uri) {
    return new Endpoints(nats, Optional.of(uri), gateway, echoSubject);
  }

  /** Whether the transport can run against these endpoints. */
  public boolean supports(TransportKind kind) {
    return switch (kind) {
      case NATS, RAW -> true;
      case LEGACY -> legacy.isPresent();
      case GATEWAY -> gateway.isPresent();
    };
  }
}
