package io.natsharness.services.host.http;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.context.Deadlines;
import io.natsharness.sdk.http.HttpTranscoder;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.ServiceDefinition;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import io.natsharness.services.host.metrics.MethodMetrics;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one matched route in blocking mode: decodes the proto3 JSON request (path variables,
 * query parameters, body) with the SDK's {@link HttpTranscoder}, runs the same handler as NATS
 * through {@link ServiceDefinition}, and answers with JSON and WIRE.md's HTTP status, or SSE for
 * a server stream. Request headers are handed to the handler as on NATS ({@code Nh-Deadline},
 * {@code Nh-Request-Id}, {@code Idempotency-Key}, {@code Authorization}, {@code traceparent}).
 */
final class MethodHandler {

  private static final Logger LOG = LoggerFactory.getLogger(MethodHandler.class);
  private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private final HttpTranscoder transcoder;
  private final MethodMetrics metrics;
  private final int maxBodyBytes;

  MethodHandler(HttpTranscoder transcoder, MethodMetrics metrics, int maxBodyBytes) {
    this.transcoder = transcoder;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
  }

  void handle(HttpServerExchange exchange, RouteTable.Match match) {
    MethodInfo method = match.entry().method();
    long start = System.nanoTime();
    Map<String, String> headers = headers(exchange);
    String requestId = headers.getOrDefault(WireHeaders.NH_REQUEST_ID, "");
    if (requestId.isBlank()) {
      requestId = UUID.randomUUID().toString();
      headers.put(WireHeaders.NH_REQUEST_ID, requestId);
    }
    exchange.getResponseHeaders().put(new HttpString(WireHeaders.NH_REQUEST_ID), requestId);
    SseSink sink = null;
    // Recorded before the answer goes out, so a client that reads the answer then scrapes
    // /metrics sees its request counted.
    Recorder recorder = new Recorder(method, start);
    try {
      CallContext call = callContext(method, headers, requestId);
      Message request = decode(exchange, match, headers);
      Context otel = Deadlines.with(
          W3CTraceContextPropagator.getInstance().extract(Context.root(), headers, GETTER), call.deadline());
      try (Scope ignored = otel.makeCurrent()) {
        if (method.serverStreaming()) {
          sink = new SseSink(exchange, transcoder, call);
          match.entry().definition().callStream(method.name(), request, call, sink);
          recorder.record(Code.OK);
          sink.end();
        } else {
          Message response = match.entry().definition().callUnary(method.name(), request, call);
          String json = transcoder.encodeJson(response);
          recorder.record(Code.OK);
          HttpExchanges.send(exchange, 200, HttpExchanges.JSON, json);
        }
      }
    } catch (RpcException e) {
      recorder.record(e.code());
      answer(exchange, sink, e, e.httpStatus());
    } catch (HttpExchanges.BodyTooLargeException e) {
      recorder.record(Code.INVALID_ARGUMENT);
      HttpExchanges.drain(exchange, 8L * maxBodyBytes);
      answer(exchange, sink, RpcException.invalidArgument("body",
          "the request body is larger than " + maxBodyBytes + " bytes"), 413);
    } catch (IOException e) {
      recorder.record(Code.CANCELLED); // the client went away mid-request
      LOG.debug("HTTP client of {} went away (request id {})", method.subject(), requestId, e);
    } catch (RuntimeException e) {
      recorder.record(Code.INTERNAL);
      LOG.error("HTTP request {} of {} failed", requestId, method.subject(), e);
      answer(exchange, sink, RpcException.internal("internal error (request id " + requestId + ")"), 500);
    }
  }

  /** Records a request's outcome once (a failure while answering does not count it twice). */
  private final class Recorder {
    private final MethodInfo method;
    private final long start;
    private boolean done;

    Recorder(MethodInfo method, long start) {
      this.method = method;
      this.start = start;
    }

    void record(Code code) {
      if (!done) {
        done = true;
        metrics.record(method, MethodMetrics.HTTP, code, System.nanoTime() - start);
      }
    }
  }

  private Message decode(HttpServerExchange exchange, RouteTable.Match match, Map<String, String> headers)
      throws IOException {
    MethodInfo method = match.entry().method();
    byte[] body = HttpExchanges.readBody(exchange, maxBodyBytes);
    if (body.length > 0) {
      String contentType = headers.getOrDefault(WireHeaders.CONTENT_TYPE, "").toLowerCase(Locale.ROOT);
      String mediaType = contentType.split(";", 2)[0].strip();
      if (!mediaType.isEmpty() && !mediaType.equals(WireHeaders.APPLICATION_JSON)) {
        throw RpcException.invalidArgument(WireHeaders.CONTENT_TYPE, "unsupported content type '"
            + contentType + "': the HTTP side takes application/json");
      }
    }
    return transcoder.decodeRequest(method, match.pathVariables(),
        HttpExchanges.query(exchange.getQueryString()), body);
  }

  private static CallContext callContext(MethodInfo method, Map<String, String> headers, String requestId) {
    CallContext.Builder builder = CallContext.builder().method(method).requestId(requestId)
        .contentType(WireHeaders.APPLICATION_JSON);
    headers.forEach((name, value) -> {
      if (!value.isEmpty()) {
        builder.header(name, value);
      }
    });
    String deadline = headers.get(WireHeaders.NH_DEADLINE);
    if (deadline != null && !deadline.isBlank()) {
      try {
        builder.deadline(Instant.ofEpochMilli(Long.parseLong(deadline.strip())));
      } catch (NumberFormatException e) {
        throw RpcException.invalidArgument(WireHeaders.NH_DEADLINE, "must be Unix epoch milliseconds");
      }
    }
    return builder.build();
  }

  private void answer(HttpServerExchange exchange, SseSink sink, RpcException error, int status) {
    try {
      if (sink != null && sink.started()) {
        sink.fail(error);
      } else if (!exchange.isResponseStarted()) {
        HttpExchanges.sendError(exchange, transcoder, error, status);
      }
    } catch (IOException e) {
      LOG.debug("could not send the error to the HTTP client", e);
    }
  }

  private static Map<String, String> headers(HttpServerExchange exchange) {
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (HeaderValues values : exchange.getRequestHeaders()) {
      headers.put(values.getHeaderName().toString(), values.getFirst());
    }
    return headers;
  }
}
