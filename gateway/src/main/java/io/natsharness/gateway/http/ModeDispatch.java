package io.natsharness.gateway.http;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.natsharness.gateway.cutover.CanarySplit;
import io.natsharness.gateway.cutover.CutoverMode;
import io.natsharness.gateway.routing.RouteLookup;
import io.natsharness.gateway.shadow.ShadowRecorder;
import io.natsharness.gateway.traffic.TrafficRecord;
import io.natsharness.gateway.traffic.TrafficWriter;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends a request whose body is in to where its route's cutover mode says: NATS, the legacy
 * upstream (HTTP), the legacy upstream with a mirror over NATS (SHADOW), or one of the two by the
 * sticky player split (CANARY).
 */
final class ModeDispatch implements AutoCloseable {

  private static final HttpString AUTHORIZATION = new HttpString(WireHeaders.AUTHORIZATION);
  private static final HttpString IDEMPOTENCY_KEY = new HttpString(WireHeaders.IDEMPOTENCY_KEY);
  private static final HttpString DEADLINE = new HttpString(WireHeaders.NH_DEADLINE);
  /** Room left in max_payload for the NATS headers the client adds (ids, deadline, trace, token). */
  static final int HEADER_ALLOWANCE = 4096;

  private final Wiring w;
  private final Responses responses;
  private final NatsForwarder nats;
  private final SseForwarder sse;
  private final LegacyForwarder legacy;

  ModeDispatch(Wiring w, Responses responses) {
    this.w = w;
    this.responses = responses;
    this.nats = new NatsForwarder(w.client(), responses);
    this.sse = new SseForwarder(w.client(), responses, w.config().sseKeepAlive());
    this.legacy = new LegacyForwarder(responses, w.config().legacyTimeout(),
        (int) Math.min(Integer.MAX_VALUE, Math.max(w.maxPayload(), w.maxBodyBytes()) * 2));
  }

  void dispatch(HttpServerExchange ex, RequestContext rc, RouteLookup.Found found, RouteRuntime route, byte[] body)
      throws Exception {
    CutoverMode mode = w.modes().get(route.subject());
    rc.mode = mode.mode().name();
    switch (mode.mode()) {
      case NATS -> toNats(ex, rc, found, route, body);
      case HTTP -> toLegacy(ex, rc, found, route, body, false);
      case SHADOW -> toLegacy(ex, rc, found, route, body, true);
      case CANARY -> {
        String key = GatewayHandler.playerKey(ex, rc, found, w.config().playerKeyHeader());
        if (CanarySplit.toNats(key, mode.canaryPercent())) {
          toNats(ex, rc, found, route, body);
        } else {
          toLegacy(ex, rc, found, route, body, false);
        }
      }
      default -> responses.error(ex, 500, Code.INTERNAL, "route " + route.subject() + " has no usable mode");
    }
  }

  private void toNats(HttpServerExchange ex, RequestContext rc, RouteLookup.Found found, RouteRuntime route,
      byte[] body) {
    Message request;
    CallOptions options;
    try {
      request = decode(ex, found, route.method(), body);
      options = options(ex, rc, route, true);
    } catch (RpcException e) {
      responses.error(ex, e);
      return;
    }
    Optional<String> tooLarge = tooLarge(request);
    if (tooLarge.isPresent()) {
      w.metrics().rejected(rc.route, "too_large");
      responses.error(ex, 413, Code.RESOURCE_EXHAUSTED, tooLarge.get());
      return;
    }
    if (route.method().serverStreaming()) {
      sse.forward(ex, rc, route, request, options);
    } else {
      nats.forward(ex, rc, route, request, options);
    }
  }

  private void toLegacy(HttpServerExchange ex, RequestContext rc, RouteLookup.Found found, RouteRuntime route,
      byte[] body, boolean shadow) throws Exception {
    Optional<URI> upstream = route.legacy();
    if (upstream.isEmpty()) {
      responses.error(ex, 503, Code.UNAVAILABLE, "no legacy upstream is configured for service "
          + route.method().service());
      return;
    }
    Optional<ShadowRecorder.Mirror> mirror = shadow ? mirror(ex, rc, found, route, body) : Optional.empty();
    legacy.forward(ex, rc, route, upstream.get(), body, mirror);
  }

  private Optional<ShadowRecorder.Mirror> mirror(HttpServerExchange ex, RequestContext rc, RouteLookup.Found found,
      RouteRuntime route, byte[] body) {
    if (route.method().serverStreaming()) {
      w.shadow().skip(route.subject(), rc.requestId, "streaming route");
      return Optional.empty();
    }
    Message request;
    CallOptions options;
    try {
      request = decode(ex, found, route.method(), body);
      options = options(ex, rc, route, true);
    } catch (RpcException e) {
      w.shadow().skip(route.subject(), rc.requestId, "not sent over NATS: " + e.statusMessage());
      return Optional.empty();
    }
    Optional<String> tooLarge = tooLarge(request);
    if (tooLarge.isPresent()) {
      w.shadow().skip(route.subject(), rc.requestId, "not sent over NATS: " + tooLarge.get());
      return Optional.empty();
    }
    Optional<ShadowRecorder.Mirror> mirror = w.shadow().begin(route.method(), rc.requestId, route.shadowRules(), request,
        () -> trafficRecord(ex, rc, body));
    mirror.ifPresent(m -> m.nats(nats.mirror(rc, route, request, options)));
    return mirror;
  }

  /** The request as the legacy side got it, for the recording (raw path and query, as sent). */
  private static TrafficRecord trafficRecord(HttpServerExchange ex, RequestContext rc, byte[] body) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : TrafficWriter.KEPT_HEADERS) {
      String value = ex.getRequestHeaders().getFirst(name);
      if (value != null) {
        headers.put(name, value);
      }
    }
    headers.put(WireHeaders.NH_REQUEST_ID, rc.requestId);
    String path = ex.getRequestURI();
    if (!path.startsWith("/")) {
      path = URI.create(path).getRawPath(); // an absolute-form request target
    }
    return new TrafficRecord(Instant.now(), rc.requestId, ex.getRequestMethod().toString(), path,
        ex.getQueryString(), headers, new String(body, StandardCharsets.UTF_8));
  }

  private Message decode(HttpServerExchange ex, RouteLookup.Found found, MethodInfo method, byte[] body) {
    byte[] payload = method.route().hasBody() ? body : new byte[0];
    return responses.transcoder().decodeRequest(method, found.pathVariables(), query(ex.getQueryString()), payload);
  }

  private CallOptions options(HttpServerExchange ex, RequestContext rc, RouteRuntime route, boolean needKey) {
    try {
      return buildOptions(ex, rc, route, needKey);
    } catch (IllegalArgumentException e) {
      // A header value NATS cannot carry (the client checks them): the caller's input, so 400.
      throw RpcException.invalidArgument("headers", e.getMessage());
    }
  }

  private CallOptions buildOptions(HttpServerExchange ex, RequestContext rc, RouteRuntime route, boolean needKey) {
    CallOptions.Builder b = CallOptions.builder().requestId(rc.requestId);
    Instant deadline = Instant.now().plus(route.deadline());
    String given = ex.getRequestHeaders().getFirst(DEADLINE);
    if (given != null) {
      try {
        Instant asked = Instant.ofEpochMilli(Long.parseLong(given.trim()));
        deadline = asked.isBefore(deadline) ? asked : deadline;
      } catch (NumberFormatException e) {
        throw RpcException.invalidArgument(WireHeaders.NH_DEADLINE,
            "must be Unix epoch milliseconds, not '" + given + "'");
      }
    }
    b.deadline(deadline);
    String authorization = ex.getRequestHeaders().getFirst(AUTHORIZATION);
    if (authorization != null && !authorization.isEmpty()) {
      b.authorization(authorization);
    }
    String key = ex.getRequestHeaders().getFirst(IDEMPOTENCY_KEY);
    if (key != null && !key.isBlank()) {
      b.idempotencyKey(key.trim());
    } else if (needKey && route.method().requiresIdempotencyKey()) {
      throw RpcException.invalidArgument(WireHeaders.IDEMPOTENCY_KEY,
          "header required by route " + route.method().route());
    }
    if (route.method().serverStreaming()) {
      b.streamIdleTimeout(w.config().streamIdleTimeout());
    }
    return b.build();
  }

  /** Why the encoded request cannot be published, if it cannot. */
  private Optional<String> tooLarge(Message request) {
    long size = request.getSerializedSize();
    if (size + HEADER_ALLOWANCE > w.maxPayload()) {
      return Optional.of("request of " + size + " bytes does not fit in a NATS message (max_payload "
          + w.maxPayload() + " bytes)");
    }
    return Optional.empty();
  }

  /** Query parameters, decoded as a form ('+' is a space), in order. */
  static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
      } catch (IllegalArgumentException e) {
        throw RpcException.invalidArgument(pair.substring(0, Math.max(0, eq < 0 ? pair.length() : eq)),
            "malformed percent-encoding in query parameter '" + pair + "'");
      }
    }
    return out;
  }

  @Override
  public void close() {
    legacy.close();
  }
}
