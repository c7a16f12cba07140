package io.natsharness.gateway.http;

import com.google.rpc.Code;
import io.nats.client.Connection;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /health} (200 when NATS is connected, 503 otherwise, with a small JSON body) and
 * {@code GET /metrics} (Prometheus text). Neither path can clash with a catalog route, which all
 * start with {@code /v1/}.
 */
final class OpsEndpoints {

  static final String HEALTH = "/health";
  static final String METRICS = "/metrics";

  private final Wiring w;
  private final Responses responses;

  OpsEndpoints(Wiring w, Responses responses) {
    this.w = w;
    this.responses = responses;
  }

  /** Answers the exchange when its path is an operations endpoint; false otherwise. */
  boolean handles(HttpServerExchange ex, String path) {
    if (!path.equals(HEALTH) && !path.equals(METRICS)) {
      return false;
    }
    if (!ex.getRequestMethod().equals(Methods.GET)) {
      ex.getResponseHeaders().put(Headers.ALLOW, "GET");
      responses.error(ex, 405, Code.UNIMPLEMENTED, "method " + ex.getRequestMethod() + " is not allowed on " + path
          + " (allowed: GET)");
      return true;
    }
    if (path.equals(HEALTH)) {
      Connection.Status status = w.nats().getStatus();
      boolean up = status == Connection.Status.CONNECTED;
      responses.send(ex, up ? 200 : 503, "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"nats\":\"" + status
          + "\",\"routes\":" + w.routes().size() + ",\"in_flight\":" + w.limiter().inFlight() + "}");
    } else {
      // Rendering walks every meter: off the IO thread.
      ex.dispatch(() -> {
        byte[] text = w.scrape().get().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        ex.getResponseSender().send(java.nio.ByteBuffer.wrap(text));
      });
    }
    return true;
  }
}
