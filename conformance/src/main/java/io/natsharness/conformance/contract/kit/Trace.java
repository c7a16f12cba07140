package io.natsharness.conformance.contract.kit;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A W3C trace context a check sends, to find it again on the downstream hops ({@link HopSpy}).
 *
 * <pre>{@code
 * Trace trace = Trace.random();
 * router.call("infer").header("traceparent", trace.traceparent()).ok(request);   // 00-<trace id>-<parent id>-01
 * }</pre>
 *
 * @param traceId 32 lower-case hex digits
 * @param parentId 16 lower-case hex digits: the caller's span
 */
public record Trace(String traceId, String parentId) {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A fresh trace context: random trace id and parent id. */
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
}
