package io.natsharness.gateway.http;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.natsharness.gateway.shadow.ShadowRecorder;
import io.natsharness.proto.diff.Answer;
import io.natsharness.proto.diff.AnswerJson;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.StatusCodes;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.LoadBalancingProxyClient;
import io.undertow.server.handlers.proxy.ProxyHandler;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPInputStream;

/**
 * Sends a request to the legacy HTTP upstream of its service with Undertow's proxy handler (one
 * per upstream URL), and in SHADOW mode keeps a copy of the legacy answer for the comparison.
 * The proxy's own failures (upstream down, upstream too slow) get the same JSON error bodies as
 * every other gateway error, and no upstream {@code Server} banner reaches the client.
 */
final class LegacyForwarder implements AutoCloseable {

  private static final HttpString POWERED_BY = new HttpString("X-Powered-By");

  private final Responses responses;
  private final Duration timeout;
  private final int captureLimit;
  private final Map<URI, Proxy> proxies = new ConcurrentHashMap<>();

  private record Proxy(LoadBalancingProxyClient client, ProxyHandler handler) {}

  LegacyForwarder(Responses responses, Duration timeout, int captureLimit) {
    this.responses = responses;
    this.timeout = timeout;
    this.captureLimit = captureLimit;
  }

  /** Proxies the exchange; its body (already read) is put back for the proxy to send. */
  void forward(HttpServerExchange ex, RequestContext rc, RouteRuntime route, URI upstream, byte[] body,
      Optional<ShadowRecorder.Mirror> mirror) throws Exception {
    rc.upstream = "legacy";
    ex.getRequestHeaders().put(Responses.REQUEST_ID, rc.requestId);
    ex.getResponseHeaders().put(Responses.UPSTREAM, "legacy");
    ex.addResponseCommitListener(e -> {
      e.getResponseHeaders().remove(Headers.SERVER);
      e.getResponseHeaders().remove(POWERED_BY);
      e.getResponseHeaders().put(Responses.REQUEST_ID, rc.requestId);
    });
    ex.addDefaultResponseListener(e -> {
      if (e.isResponseStarted() || e.getStatusCode() < 400) {
        return false;
      }
      int status = e.getStatusCode();
      String message = switch (status) {
        case 503 -> "legacy upstream unavailable";
        case 504 -> "legacy upstream timed out";
        default -> "legacy upstream failed with HTTP " + status;
      };
      responses.error(e, status, StatusCodes.fromHttpStatus(status), message);
      return true;
    });
    mirror.ifPresent(m -> capture(ex, route, m));
    BodyReader.unread(ex, body);
    proxy(upstream).handler.handleRequest(ex);
  }

  private void capture(HttpServerExchange ex, RouteRuntime route, ShadowRecorder.Mirror mirror) {
    AtomicReference<CapturingConduit> copy = new AtomicReference<>();
    ex.addResponseWrapper((factory, exchange) -> {
      CapturingConduit c = new CapturingConduit(factory.create(), captureLimit);
      copy.set(c);
      return c;
    });
    ex.addExchangeCompleteListener((exchange, next) -> {
      try {
        CapturingConduit c = copy.get();
        if (c == null) {
          mirror.skip("no legacy answer");
        } else if (c.truncated()) {
          mirror.skip("legacy answer larger than " + captureLimit + " bytes");
        } else {
          mirror.legacy(answer(route.method().responsePrototype(), exchange.getStatusCode(),
              decoded(exchange, c.captured())));
        }
      } catch (RuntimeException | IOException e) {
        mirror.skip("legacy answer unreadable: " + e.getMessage());
      } finally {
        next.proceed();
      }
    });
  }

  private Answer answer(Message prototype, int status, byte[] body) {
    if (status >= 200 && status < 300) {
      // The engine's reader keeps what does not fit the type as an Unreadable answer or as
      // unknown fields, so a legacy body that drifted from the schema is a difference, not a skip.
      return AnswerJson.read(prototype.getDescriptorForType(), new String(body, StandardCharsets.UTF_8));
    }
    RpcException error = responses.transcoder().fromHttp(status, body);
    return Answer.error(error.code(), error.statusMessage());
  }

  private static byte[] decoded(HttpServerExchange ex, byte[] body) throws IOException {
    String encoding = ex.getResponseHeaders().getFirst(Headers.CONTENT_ENCODING);
    if (encoding != null && encoding.equalsIgnoreCase("gzip")) {
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
        return in.readAllBytes();
      }
    }
    return body;
  }

  private Proxy proxy(URI upstream) {
    return proxies.computeIfAbsent(upstream, u -> {
      LoadBalancingProxyClient client = new LoadBalancingProxyClient()
          .setConnectionsPerThread(32)
          .setProblemServerRetry(1)
          .addHost(u);
      ProxyHandler handler = ProxyHandler.builder()
          .setProxyClient(client)
          .setMaxRequestTime((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
          .setRewriteHostHeader(true)
          .setNext(ex -> responses.error(ex, 503, Code.UNAVAILABLE, "legacy upstream unavailable"))
          .build();
      return new Proxy(client, handler);
    });
  }

  @Override
  public void close() {
    proxies.values().forEach(p -> p.client.closeCurrentConnections());
  }
}
