package io.natsharness.conformance.load.transport;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The ways a load phase reaches a method. The raw echo is no transport of the services: a jnats
 * request/reply to an echo of the same bytes, the ceiling of what NATS on this machine can do, to
 * read the other figures against.
 *
 * <pre>{@code
 * TransportKind.parse("gateway");   // GATEWAY
 * }</pre>
 */
public enum TransportKind {
  NATS("nats", "NATS direct (SDK RpcClient, protobuf)", false),
  GATEWAY("gateway", "HTTP/JSON through the gateway to NATS", true),
  LEGACY("legacy", "legacy HTTP/JSON side of the implementation", true),
  RAW("raw", "raw jnats request/reply echo (the ceiling)", false);

  private final String id;
  private final String description;
  private final boolean http;

  TransportKind(String id, String description, boolean http) {
    this.id = id;
    this.description = description;
    this.http = http;
  }

  /** The short name used in options, file names and reports. */
  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  public boolean http() {
    return http;
  }

  /**
   * @throws IllegalArgumentException naming the known transports
   */
  public static TransportKind parse(String text) {
    String wanted = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(k -> k.id.equals(wanted)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown transport '" + text + "'; known: "
            + Arrays.stream(values()).map(TransportKind::id).collect(Collectors.joining(", "))));
  }
}
