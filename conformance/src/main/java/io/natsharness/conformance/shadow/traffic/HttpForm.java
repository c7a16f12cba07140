package io.natsharness.conformance.shadow.traffic;

import io.natsharness.gateway.traffic.TrafficRecord;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An HTTP request as it goes on the wire to a legacy HTTP/JSON side: verb, raw (percent-encoded)
 * path and query, the headers that matter to the services, and the body.
 *
 * @param verb upper-case HTTP method
 * @param path raw path, e.g. {@code /v1/util/payment/wallets/wal-1/balance}
 * @param query raw query string without '?', empty for none
 * @param headers request headers (Content-Type, Idempotency-Key, Nh-Request-Id, Authorization)
 * @param body the body, empty for none
 */
public record HttpForm(String verb, String path, String query, Map<String, String> headers, String body) {

  public HttpForm {
    Objects.requireNonNull(verb, "verb");
    Objects.requireNonNull(path, "path");
    query = query == null ? "" : query;
    TreeMap<String, String> sorted = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    sorted.putAll(headers);
    headers = java.util.Collections.unmodifiableMap(sorted);
    body = body == null ? "" : body;
  }

  /** Path and query, as the request line has them. */
  public String target() {
    return query.isEmpty() ? path : path + "?" + query;
  }

  /** The request of a recorded line, as it goes to an HTTP side again. */
  public static HttpForm of(TrafficRecord record) {
    return new HttpForm(record.method(), record.path(), record.query(), record.headers(), record.body());
  }

  /** This request as a line of a traffic file. */
  public TrafficRecord record(Instant timestamp, String requestId) {
    return new TrafficRecord(timestamp, requestId, verb, path, query, headers, body);
  }
}
