package io.natsharness.gateway.traffic;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One recorded HTTP request: a line of a traffic file (see conformance/README-shadow.md). The
 * gateway writes them in SHADOW mode ({@code shadow.record-file}); the shadow suite reads and replays
 * them.
 *
 * <pre>{@code
 * {"v":1,"ts":"2026-11-28T10:00:00.123Z","id":"req-7","method":"POST","path":"/v1/util/payment/wallets",
 *  "query":"","headers":{"Content-Type":"application/json"},"body":"{\"ownerId\":\"ann\"}"}
 * }</pre>
 *
 * @param timestamp when the request arrived
 * @param requestId its Nh-Request-Id (the gateway's, or one it made up)
 * @param method upper-case HTTP method
 * @param path raw path, percent-encoded as received
 * @param query raw query string without '?', empty for none
 * @param headers the kept headers (see {@link TrafficWriter#KEPT_HEADERS})
 * @param body the body as UTF-8 text, empty for none
 */
public record TrafficRecord(Instant timestamp, String requestId, String method, String path, String query,
    Map<String, String> headers, String body) {

  /** The version of the line format this code writes and reads. */
  public static final int VERSION = 1;

  public TrafficRecord {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    query = query == null ? "" : query;
    TreeMap<String, String> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    sorted.putAll(headers);
    headers = java.util.Collections.unmodifiableMap(sorted);
    body = body == null ? "" : body;
  }
}
