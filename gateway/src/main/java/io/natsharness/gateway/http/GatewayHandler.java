package io.natsharness.gateway.http;

import com.google.rpc.Code;
import io.natsharness.gateway.config.GatewayConfig;
import io.natsharness.gateway.cutover.CanarySplit;
import io.natsharness.gateway.cutover.CutoverMode;
import io.natsharness.gateway.limits.InFlightLimiter;
import io.natsharness.gateway.routing.RouteLookup;
import io.natsharness.sdk.status.RpcException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's front door. For each request, in this order: route (404, 405), in-flight bounds
 * (429, 503), declared size (413) and content type (415), bearer token (401, 403), body with its
 * limit and read timeout (413, 408), then the route's cutover mode decides between NATS and the
 * legacy upstream ({@link ModeDispatch}). Nothing here blocks the IO thread: the token check and
 * the body arrive asynchronously and the request resumes where it stopped.
 *
 * <p>Made by {@link io.natsharness.gateway.Gateway}; not meant to be used on its own:
 * <pre>{@code
 * Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(new GatewayHandler(wiring)).build();
 * }</pre>
 */
public final class GatewayHandler implements HttpHandler, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayHandler.class);
  private static final HttpString AUTHORIZATION = new HttpString("Authorization");
  private static final TextMapGetter<HeaderMap> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(HeaderMap carrier) {
      List<String> keys = new ArrayList<>();
      carrier.getHeaderNames().forEach(h -> keys.add(h.toString()));
      return keys;
    }

    @Override
    public String get(HeaderMap carrier, String key) {
      return carrier == null ? null : carrier.getFirst(key);
    }
  };

  private final Wiring w;
  private final GatewayConfig config;
  private final Responses responses;
  private final ModeDispatch dispatch;
  private final OpsEndpoints ops;

  public GatewayHandler(Wiring wiring) {
    this.w = wiring;
    this.config = wiring.config();
    this.responses = new Responses(wiring.transcoder());
    this.dispatch = new ModeDispatch(wiring, responses);
    this.ops = new OpsEndpoints(wiring, responses);
  }

  @Override
  public void handleRequest(HttpServerExchange ex) {
    String path = ex.getRequestPath();
    if (ops.handles(ex, path)) {
      return;
    }
    RequestContext rc = RequestContext.begin(ex, w.metrics());
    responses.run(ex, e -> route(e, rc, ex.getRequestMethod().toString(), path));
  }

  private void route(HttpServerExchange ex, RequestContext rc, String verb, String path) {
    RouteLookup lookup = w.table().lookup(verb, path);
    if (lookup instanceof RouteLookup.Found found) {
      admit(ex, rc, found);
    } else if (lookup instanceof RouteLookup.WrongMethod wrong) {
      ex.getResponseHeaders().put(Headers.ALLOW, String.join(", ", wrong.allowed()));
      refuseUnread(ex, 405, Code.UNIMPLEMENTED, "method " + verb + " is not allowed on " + path
          + " (allowed: " + String.join(", ", wrong.allowed()) + ")");
    } else if (lookup instanceof RouteLookup.MalformedPath bad) {
      refuseUnread(ex, 400, Code.INVALID_ARGUMENT, bad.reason());
    } else {
      refuseUnread(ex, 404, Code.NOT_FOUND, "no route for " + verb + " " + path);
    }
  }

  private void admit(HttpServerExchange ex, RequestContext rc, RouteLookup.Found found) {
    RouteRuntime route = w.routes().get(found.method().subject());
    rc.route = route.subject();
    rc.mode = w.modes().get(route.subject()).mode().name();
    InFlightLimiter.Result slot = w.limiter().tryAcquire(route.subject());
    if (slot.rejection().isPresent()) {
      long seconds = Math.max(1, config.retryAfter().toSeconds());
      ex.getResponseHeaders().put(Responses.RETRY_AFTER, Long.toString(seconds));
      if (slot.rejection().get() == InFlightLimiter.Rejection.ROUTE_FULL) {
        w.metrics().rejected(rc.route, "route_full");
        refuseUnread(ex, 429, Code.RESOURCE_EXHAUSTED, "too many requests in flight on " + route.subject()
            + "; retry after " + seconds + " s");
      } else {
        w.metrics().rejected(rc.route, "gateway_full");
        refuseUnread(ex, 503, Code.UNAVAILABLE, "the gateway is at its in-flight limit; retry after "
            + seconds + " s");
      }
      return;
    }
    rc.hold(slot.permit().orElseThrow());
    String declared = ex.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
    long length = -1;
    if (declared != null) {
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        refuseUnread(ex, 400, Code.INVALID_ARGUMENT, "Content-Length is not a number: " + declared);
        return;
      }
      if (length > w.maxBodyBytes()) {
        tooLarge(ex, rc, "request body of " + length + " bytes exceeds the limit of " + w.maxBodyBytes() + " bytes");
        return;
      }
    }
    boolean hasBody = length > 0 || (length < 0 && ex.getRequestHeaders().contains(Headers.TRANSFER_ENCODING));
    if (hasBody && found.method().route().hasBody() && !isJson(ex)) {
      String type = Optional.ofNullable(ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE)).orElse("none");
      refuseUnread(ex, 415, Code.INVALID_ARGUMENT, "Content-Type must be application/json, not " + type);
      return;
    }
    rc.trace = W3CTraceContextPropagator.getInstance().extract(Context.root(), ex.getRequestHeaders(), HEADERS);
    Optional<String> scope = route.scope();
    if (scope.isEmpty() || w.auth().isEmpty()) {
      readBody(ex, rc, found, route);
      return;
    }
    Optional<String> header = Optional.ofNullable(ex.getRequestHeaders().getFirst(AUTHORIZATION));
    CompletableFuture<?> check = w.auth().get().check(header, scope.get(), rc.requestId);
    if (check.isDone()) {
      afterAuth(ex, rc, found, route, check);
    } else {
      ex.dispatch(SameThreadExecutor.INSTANCE, () -> check.whenComplete((ok, error) ->
          responses.resume(ex, e -> afterAuth(e, rc, found, route, check))));
    }
  }

  private void afterAuth(HttpServerExchange ex, RequestContext rc, RouteLookup.Found found, RouteRuntime route,
      CompletableFuture<?> check) {
    if (!check.isCompletedExceptionally()) {
      readBody(ex, rc, found, route);
      return;
    }
    RpcException e = NatsForwarder.asRpc(check.handle((ok, error) -> error).join(), rc);
    if (e.code() == Code.UNAUTHENTICATED) {
      ex.getResponseHeaders().put(Responses.WWW_AUTHENTICATE, "Bearer realm=\"nats-harness\", error=\"invalid_token\"");
    } else if (e.code() == Code.PERMISSION_DENIED) {
      ex.getResponseHeaders().put(Responses.WWW_AUTHENTICATE,
          "Bearer realm=\"nats-harness\", error=\"insufficient_scope\", scope=\"" + route.scope().orElse("") + "\"");
    }
    refuseUnread(ex, e.httpStatus(), e);
  }

  private void readBody(HttpServerExchange ex, RequestContext rc, RouteLookup.Found found, RouteRuntime route) {
    BodyReader.read(ex, w.maxBodyBytes(), config.bodyReadTimeout(), new BodyReader.Callback() {
      @Override
      public void complete(HttpServerExchange e, byte[] body) {
        responses.run(e, x -> dispatch.dispatch(x, rc, found, route, body));
      }

      @Override
      public void tooLarge(HttpServerExchange e, long limit) {
        GatewayHandler.this.tooLarge(e, rc, "request body exceeds the limit of " + limit + " bytes");
      }

      @Override
      public void tooSlow(HttpServerExchange e, Duration timeout) {
        w.metrics().rejected(rc.route, "slow_body");
        Responses.closeAfterResponse(e);
        responses.error(e, 408, Code.DEADLINE_EXCEEDED, "request body not received within " + timeout.toMillis() + " ms");
      }

      @Override
      public void failed(HttpServerExchange e, IOException error) {
        LOG.debug("request {}: reading the body failed: {}", rc.requestId, error.toString());
        e.setStatusCode(499);
        e.endExchange();
      }
    });
  }

  private void tooLarge(HttpServerExchange ex, RequestContext rc, String message) {
    w.metrics().rejected(rc.route, "too_large");
    Responses.lingerOnUnreadBody(ex, config.bodyReadTimeout());
    responses.error(ex, 413, Code.RESOURCE_EXHAUSTED, message);
  }

  /** Refuses before the body was read; the unread body is drained for a bounded time. */
  private void refuseUnread(HttpServerExchange ex, int status, Code code, String message) {
    refuseUnread(ex, status, new RpcException(code, message));
  }

  private void refuseUnread(HttpServerExchange ex, int status, RpcException error) {
    Responses.lingerOnUnreadBody(ex, config.bodyReadTimeout());
    responses.error(ex, status, error);
  }

  private static boolean isJson(HttpServerExchange ex) {
    String type = ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
    if (type == null) {
      return false;
    }
    String media = type.split(";", 2)[0].trim();
    return media.equalsIgnoreCase("application/json");
  }

  /** The key that keeps a player on one side of a CANARY split. */
  static String playerKey(HttpServerExchange ex, RequestContext rc, RouteLookup.Found found, String header) {
    String explicit = ex.getRequestHeaders().getFirst(header);
    if (explicit != null && !explicit.isBlank()) {
      return explicit.trim();
    }
    String pathPlayer = found.pathVariables().get("player_id");
    if (pathPlayer != null) {
      return pathPlayer;
    }
    if (rc.clientRequestId) {
      return rc.requestId;
    }
    String traceId = Span.fromContext(rc.trace).getSpanContext().getTraceId();
    return Span.fromContext(rc.trace).getSpanContext().isValid() ? traceId : rc.requestId;
  }

  static boolean toNats(CutoverMode mode, String key) {
    return CanarySplit.toNats(key, mode.canaryPercent());
  }

  @Override
  public void close() {
    dispatch.close();
  }
}
