package io.natsharness.gateway.http;

import io.natsharness.gateway.limits.InFlightLimiter;
import io.natsharness.gateway.metrics.GatewayMetrics;
import io.opentelemetry.context.Context;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What the gateway knows about one exchange as it moves through the handlers: its id, route,
 * mode and upstream (the metric tags), its in-flight permit, and its trace context. The permit is
 * released and the request counted when the exchange completes, whatever path it took.
 */
final class RequestContext {

  static final AttachmentKey<RequestContext> KEY = AttachmentKey.create(RequestContext.class);
  private static final Pattern SAFE_ID = Pattern.compile("[\\x21-\\x7e]{1,128}");

  final String requestId;
  final boolean clientRequestId;
  final long startNanos = System.nanoTime();
  volatile String route = GatewayMetrics.NO_ROUTE;
  volatile String mode = "none";
  volatile String upstream = "gateway";
  volatile Context trace = Context.root();
  private volatile InFlightLimiter.Permit permit;

  private RequestContext(String requestId, boolean clientRequestId) {
    this.requestId = requestId;
    this.clientRequestId = clientRequestId;
  }

  /** Starts tracking an exchange: id from the client's Nh-Request-Id when it is sane, else new. */
  static RequestContext begin(HttpServerExchange ex, GatewayMetrics metrics) {
    String given = ex.getRequestHeaders().getFirst(Responses.REQUEST_ID);
    boolean usable = given != null && SAFE_ID.matcher(given).matches();
    RequestContext rc = new RequestContext(usable ? given : UUID.randomUUID().toString(), usable);
    ex.putAttachment(KEY, rc);
    ex.getResponseHeaders().put(Responses.REQUEST_ID, rc.requestId);
    ex.addExchangeCompleteListener((exchange, next) -> {
      try {
        rc.release();
        metrics.answered(rc.route, exchange.getStatusCode(), rc.mode, rc.upstream,
            Duration.ofNanos(System.nanoTime() - rc.startNanos));
      } finally {
        next.proceed();
      }
    });
    return rc;
  }

  static RequestContext of(HttpServerExchange ex) {
    return ex.getAttachment(KEY);
  }

  void hold(InFlightLimiter.Permit p) {
    this.permit = p;
  }

  void release() {
    InFlightLimiter.Permit p = permit;
    if (p != null) {
      p.close();
    }
  }
}
