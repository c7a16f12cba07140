package io.natsharness.gateway.support;

import com.google.protobuf.Message;
import io.natsharness.gateway.routing.RouteLookup;
import io.natsharness.gateway.routing.RouteTable;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.sdk.http.HttpTranscoder;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.service.ServiceDefinition;
import io.natsharness.sdk.service.StreamSink;
import io.natsharness.sdk.status.RpcException;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A legacy HTTP/JSON side for test services: the same handlers as over NATS, called through
 * {@link ServiceDefinition#callUnary}, on the routes of the catalog, with JSON bodies and
 * {@code google.rpc.Status} errors, and SSE for streams. It counts what it serves and announces
 * itself with a {@code Server} banner (which the gateway must not pass on).
 */
public final class LegacyHttp implements AutoCloseable {

  private final Undertow server;
  private final RouteTable table;
  private final Map<String, ServiceDefinition> services = new LinkedHashMap<>();
  private final HttpTranscoder transcoder = HttpTranscoder.create();
  public final AtomicInteger requests = new AtomicInteger();
  public final Map<String, AtomicInteger> bySubject = new ConcurrentHashMap<>();
  public final AtomicReference<Map<String, String>> lastHeaders = new AtomicReference<>(Map.of());

  private LegacyHttp(NatsService... impls) {
    List<MethodInfo> methods = new ArrayList<>();
    for (NatsService s : impls) {
      ServiceDefinition d = ServiceDefinition.of(s);
      services.put(s.name(), d);
      methods.addAll(d.info().methods());
    }
    this.table = RouteTable.of(methods);
    this.server = Undertow.builder().addHttpListener(0, "127.0.0.1")
        .setServerOption(UndertowOptions.DECODE_URL, false)
        .setHandler(this::handle).build();
    server.start();
  }

  public static LegacyHttp start(NatsService... services) {
    return new LegacyHttp(services);
  }

  public URI uri() {
    InetSocketAddress a = (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    return URI.create("http://127.0.0.1:" + a.getPort());
  }

  public int served(String subject) {
    AtomicInteger n = bySubject.get(subject);
    return n == null ? 0 : n.get();
  }

  private void handle(HttpServerExchange ex) throws Exception {
    if (ex.isInIoThread()) {
      ex.dispatch(this::handle);
      return;
    }
    ex.startBlocking();
    requests.incrementAndGet();
    Map<String, String> headers = new LinkedHashMap<>();
    ex.getRequestHeaders().forEach(h -> headers.put(h.getHeaderName().toString().toLowerCase(), h.getFirst()));
    lastHeaders.set(headers);
    ex.getResponseHeaders().put(Headers.SERVER, "LegacyServer/1.0 (secret build 42)");
    byte[] body = ex.getInputStream().readAllBytes();
    RouteLookup lookup = table.lookup(ex.getRequestMethod().toString(), ex.getRequestPath());
    if (!(lookup instanceof RouteLookup.Found found)) {
      send(ex, 404, transcoder.errorJson(RpcException.notFound("no legacy route " + ex.getRequestPath())));
      return;
    }
    MethodInfo m = found.method();
    bySubject.computeIfAbsent(m.subject(), k -> new AtomicInteger()).incrementAndGet();
    ServiceDefinition service = services.get(m.service());
    CallContext ctx = CallContext.builder().method(m).timeout(Duration.ofSeconds(10))
        .requestId(headers.getOrDefault("nh-request-id", "legacy")).build();
    try {
      Message request = transcoder.decodeRequest(m, found.pathVariables(), query(ex.getQueryString()),
          m.route().hasBody() ? body : new byte[0]);
      if (m.serverStreaming()) {
        stream(ex, service, m, request, ctx);
      } else {
        send(ex, 200, transcoder.encodeJson(service.callUnary(m.name(), request, ctx)));
      }
    } catch (RpcException e) {
      send(ex, e.httpStatus(), transcoder.errorJson(e));
    }
  }

  private void stream(HttpServerExchange ex, ServiceDefinition service, MethodInfo m, Message request,
      CallContext ctx) throws IOException {
    ex.setStatusCode(200);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream; charset=UTF-8");
    OutputStream out = ex.getOutputStream();
    long[] seq = {0};
    StreamSink<Message> sink = new StreamSink<>() {
      @Override
      public void send(Message chunk) {
        write(out, "id:" + (++seq[0]) + "\ndata:" + transcoder.encodeJson(chunk).replace("\n", "") + "\n\n");
      }

      @Override
      public boolean isCancelled() {
        return false;
      }
    };
    try {
      service.callStream(m.name(), request, ctx, sink);
      write(out, "event:end\ndata:{}\n\n");
    } catch (RpcException e) {
      write(out, "event:error\ndata:" + transcoder.errorJson(e).replace("\n", "") + "\n\n");
    }
    out.close();
  }

  private static void write(OutputStream out, String text) {
    try {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(HttpServerExchange ex, int status, String json) {
    ex.setStatusCode(status);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    ex.getResponseSender().send(json);
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  @Override
  public void close() {
    server.stop();
  }

  /** The catalog, for tests that need method infos. */
  public static ServiceCatalog catalog() {
    return ServiceCatalog.load();
  }
}
