package io.natsharness.conformance.contract.util.kit;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A W3C trace context a check sends, to find it again on the downstream hop.
 *
 * <pre>{@code
 * Trace trace = Trace.random();
 * headers.put("traceparent", trace.traceparent());   // 00-<trace id>-<parent id>-01
 * Trace.traceId(hopTraceparent);                      // Optional[<trace id>]
 * }</pre>
 *
 * @param traceId 32 lower-case hex digits
 * @param parentId 16 lower-case hex digits
 */
public record Trace(String traceId, String parentId) {

  private static final SecureRandom RANDOM = new SecureRandom();

  public static Trace random() {
    byte[] trace = new byte[16];
    byte[] parent = new byte[8];
    RANDOM.nextBytes(trace);
    RANDOM.nextBytes(parent);
    trace[0] |= 1; // never the invalid all-zero id
    parent[0] |= 1;
    return new Trace(HexFormat.of().formatHex(trace), HexFormat.of().formatHex(parent));
  }

  /** The {@code traceparent} header value: version 00, sampled. */
  public String traceparent() {
    return "00-" + traceId + "-" + parentId + "-01";
  }

  /** The trace id of a {@code traceparent} value, when it is well-formed. */
  public static Optional<String> traceId(String traceparent) {
    String[] parts = traceparent.strip().split("-");
    if (parts.length < 4 || parts[1].length() != 32 || parts[2].length() != 16) {
      return Optional.empty();
    }
    return Optional.of(parts[1].toLowerCase(java.util.Locale.ROOT));
  }
}
