package io.natsharness.sdk.service;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.nats.client.impl.Headers;
import io.nats.service.ServiceMessage;
import io.nats.service.ServiceMessageHandler;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.context.Deadlines;
import io.natsharness.sdk.internal.Telemetry;
import io.natsharness.sdk.internal.WireCodec;
import io.natsharness.sdk.internal.WireErrors;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one method over NATS: decodes by content type, checks the deadline, runs the handler
 * through {@link ServiceDefinition} (the same mapping as direct invocation), answers, traces and
 * meters. An error reply is followed by a throw so that jnats counts it in {@code num_errors}.
 */
final class MethodEndpoint implements ServiceMessageHandler {

  private static final Logger LOG = LoggerFactory.getLogger(MethodEndpoint.class);

  private final HostRuntime host;
  private final ServiceDefinition definition;
  private final MethodInfo method;

  MethodEndpoint(HostRuntime host, ServiceDefinition definition, MethodInfo method) {
    this.host = host;
    this.definition = definition;
    this.method = method;
  }

  @Override
  public void onMessage(ServiceMessage ignored) {
    io.nats.client.Message msg = ConcurrentDispatcher.CURRENT.get();
    if (msg == null) {
      throw new IllegalStateException("MethodEndpoint runs only behind ConcurrentDispatcher");
    }
    Optional<RpcException> error = serve(msg, Boolean.TRUE.equals(ConcurrentDispatcher.REJECTED.get()));
    if (error.isPresent()) {
      throw new CountedError(error.get());
    }
  }

  /** Handles one request and answers it; returns the error it answered, if any. */
  private Optional<RpcException> serve(io.nats.client.Message msg, boolean rejected) {
    long start = System.nanoTime();
    Headers in = msg.getHeaders();
    String requestId = WireErrors.first(in, WireHeaders.NH_REQUEST_ID)
        .filter(id -> !id.isBlank()).orElseGet(() -> UUID.randomUUID().toString());
    Context parent = host.telemetry().extract(Context.root(), in);
    Span span = host.telemetry().start(SpanKind.SERVER, method, parent, requestId);
    String contentType = WireHeaders.APPLICATION_PROTOBUF;
    RpcException error = null;
    try {
      contentType = WireCodec.contentType(WireErrors.first(in, WireHeaders.CONTENT_TYPE).orElse(null));
      Instant deadline = deadline(in);
      try (Scope ignored = Deadlines.with(parent.with(span), deadline).makeCurrent()) {
        if (rejected) {
          throw RpcException.unavailable(method.service() + " is overloaded: every worker is busy and the queue is full");
        }
        CallContext ctx = CallContext.builder().method(method).deadline(deadline).requestId(requestId)
            .headers(firstValues(in)).contentType(contentType).build();
        if (ctx.isExpired()) {
          throw RpcException.deadlineExceeded("deadline of " + method.subject() + " passed before the handler ran");
        }
        Message request = WireCodec.decode(method.requestPrototype(), contentType, msg.getData());
        if (method.serverStreaming()) {
          NatsStreamSink sink = new NatsStreamSink(host, msg.getReplyTo(), requestId, contentType, ctx);
          definition.callStream(method.name(), request, ctx, sink);
          sink.end();
        } else {
          Message response = definition.callUnary(method.name(), request, ctx);
          reply(msg.getReplyTo(), replyHeaders(requestId, contentType), WireCodec.encode(response, contentType));
        }
      }
    } catch (RpcException e) {
      error = e;
    } catch (RuntimeException e) {
      // A failure of ours (encoding, publishing), not of the handler: still no stack trace out.
      LOG.error("serving {} failed (request id {})", method.subject(), requestId, e);
      error = new RpcException(Code.INTERNAL, String.format(Invocations.INTERNAL_MESSAGE, requestId));
    }
    if (error != null) {
      RpcException answered = error;
      String type = contentType;
      // Sent by ConcurrentDispatcher after jnats has counted the error (see ANSWER_AFTER).
      ConcurrentDispatcher.ANSWER_AFTER.set(() -> answerError(msg.getReplyTo(), requestId, type, answered));
    }
    String status = error == null ? "OK" : error.code().name();
    Telemetry.end(span, status, error == null ? "" : error.statusMessage());
    host.telemetry().recordServer(method, status, System.nanoTime() - start);
    return Optional.ofNullable(error);
  }

  private Instant deadline(Headers in) {
    Optional<String> header = WireErrors.first(in, WireHeaders.NH_DEADLINE);
    if (header.isEmpty()) {
      return Instant.now().plus(host.defaultDeadline());
    }
    try {
      return Instant.ofEpochMilli(Long.parseLong(header.get().strip()));
    } catch (NumberFormatException e) {
      throw RpcException.invalidArgument(WireHeaders.NH_DEADLINE,
          "must be Unix epoch milliseconds, got '" + header.get() + "'");
    }
  }

  private void answerError(String replyTo, String requestId, String contentType, RpcException error) {
    Headers headers = replyHeaders(requestId, contentType);
    if (method.serverStreaming()) {
      headers.put(WireHeaders.STREAM_END, "true");
    }
    byte[] body = WireErrors.writeError(error, headers, contentType);
    try {
      reply(replyTo, headers, body);
    } catch (RuntimeException e) {
      LOG.warn("cannot answer {} with {} (request id {}): {}", method.subject(), error.code(), requestId, e.toString());
    }
  }

  private void reply(String replyTo, Headers headers, byte[] body) {
    if (replyTo == null || replyTo.isEmpty()) {
      LOG.debug("request on {} has no reply subject; answer dropped", method.subject());
      return;
    }
    host.connection().publish(replyTo, headers, body);
  }

  static Headers replyHeaders(String requestId, String contentType) {
    Headers headers = new Headers();
    headers.put(WireHeaders.CONTENT_TYPE, contentType);
    headers.put(WireHeaders.NH_REQUEST_ID, WireErrors.headerSafe(requestId));
    return headers;
  }

  private static java.util.Map<String, String> firstValues(Headers in) {
    java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
    if (in != null) {
      for (String key : in.keySet()) {
        List<String> v = in.get(key);
        if (v != null && !v.isEmpty() && v.get(0) != null) {
          values.putIfAbsent(key, v.get(0));
        }
      }
    }
    return values;
  }

  /**
   * Thrown after an error reply so that jnats counts it. Its {@code toString()} is what jnats
   * keeps as {@code last_error} in {@code $SRV.STATS}: the code and message, no class name.
   */
  static final class CountedError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CountedError(RpcException error) {
      super(error.code().name() + ": " + error.statusMessage(), null, false, false);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
