package io.natsharness.conformance.shadow.sides;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsharness.proto.diff.Answer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * One deployment that answers the suite's requests: a legacy HTTP/JSON side or a NATS/protobuf
 * side. Each side must have state of its own (its own Redis or key prefix, and for NATS its own
 * server, so its service-to-service hops stay inside it): mutating requests go to every side.
 *
 * <pre>{@code
 * try (ShadowSide legacy = ShadowSide.open(URI.create("http://127.0.0.1:8080"));
 *      ShadowSide nats = ShadowSide.open(URI.create("nats://127.0.0.1:4222"))) {
 *   Answer a = legacy.call(call);
 * }
 * }</pre>
 */
public interface ShadowSide extends AutoCloseable {

  /** What the side is, for reports: "HTTP http://127.0.0.1:8080". */
  String description();

  /** Whether the side speaks HTTP/JSON (sent recorded requests as they were) or NATS/protobuf. */
  boolean speaksHttp();

  /**
   * Sends one request and returns the answer. Never throws for what the side does: an
   * unreachable side, a timeout or a broken body are answers (UNAVAILABLE, DEADLINE_EXCEEDED,
   * unreadable), compared like any other.
   */
  Answer call(Call call);

  @Override
  void close();

  /**
   * A side from its URL: {@code http://} or {@code https://} for a legacy HTTP side,
   * {@code nats://} or {@code tls://} for a NATS side (connected here, closed with the side).
   *
   * @throws IllegalArgumentException for another scheme
   * @throws IOException when the HTTP side or the NATS server does not answer within 5 s
   */
  static ShadowSide open(URI uri) throws IOException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "http", "https" -> {
        reachable(uri);
        return new HttpSide(uri);
      }
      case "nats", "tls" -> {
        Options options = Options.builder().server(uri.toString()).connectionTimeout(Duration.ofSeconds(5))
            .reportNoResponders().maxReconnects(10).build();
        try {
          return new NatsSide(Nats.connect(options), true, uri.toString());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while connecting to " + uri, e);
        } catch (IOException e) {
          throw new IOException("cannot connect to NATS at " + uri + ": " + e.getMessage(), e);
        }
      }
      default -> throw new IllegalArgumentException("a side is an http://, https://, nats:// or tls:// URL, not '" + uri + "'");
    }
  }

  /** Fails fast, with the address, when nothing listens at an HTTP side's host and port. */
  private static void reachable(URI uri) throws IOException {
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("an HTTP side needs a host: '" + uri + "'");
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(uri.getHost(), port), 5_000);
    } catch (IOException e) {
      throw new IOException("cannot reach the HTTP side at " + uri + ": " + e.getMessage(), e);
    }
  }

  /** A NATS side on a connection the caller owns (it stays open when the side closes). */
  static ShadowSide nats(Connection connection, String description) {
    return new NatsSide(connection, false, description);
  }

  /** A legacy HTTP side at a base URL. */
  static ShadowSide http(URI base) {
    return new HttpSide(base);
  }
}
