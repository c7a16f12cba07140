package io.natsharness.conformance.mutants;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.service.ServiceMessage;
import io.nats.service.ServiceMessageHandler;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.context.Deadlines;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.ServiceDefinition;
import io.natsharness.sdk.service.StreamSink;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Serves one method on the wire of WIRE.md, written straight on jnats: reads the headers, decodes
 * the body, calls the reference handler through {@link ServiceDefinition}, and answers, chunk by
 * chunk for a stream. Every rule is kept but the one {@link WireFault} the host was given.
 *
 * <p>The message comes from {@link #CURRENT}, not from jnats' {@link ServiceMessage}: see
 * {@link WireHost} for how errors are counted in {@code $SRV.STATS}.
 */
final class WireEndpoint implements ServiceMessageHandler {

  /** The request being served on this thread, with its reply subject. */
  static final ThreadLocal<io.nats.client.Message> CURRENT = new ThreadLocal<>();
  /** An error reply to send once jnats has counted the error (see {@link WireHost}). */
  static final ThreadLocal<Runnable> ANSWER_AFTER = new ThreadLocal<>();

  private static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);
  private static final TextMapGetter<Headers> HEADERS =
      (carrier, key) -> carrier == null ? null : carrier.getFirst(key);

  private final Connection nats;
  private final ServiceDefinition definition;
  private final MethodInfo method;
  private final WireFault fault;

  WireEndpoint(Connection nats, ServiceDefinition definition, MethodInfo method, WireFault fault) {
    this.nats = nats;
    this.definition = definition;
    this.method = method;
    this.fault = fault;
  }

  @Override
  public void onMessage(ServiceMessage ignored) {
    io.nats.client.Message msg = CURRENT.get();
    Headers in = msg.getHeaders() == null ? new Headers() : msg.getHeaders();
    String requestId = header(in, WireHeaders.NH_REQUEST_ID).orElseGet(() -> UUID.randomUUID().toString());
    Reply reply = new Reply(msg.getReplyTo(), requestId, WireHeaders.APPLICATION_PROTOBUF);
    try {
      Optional<String> encoding = WireBodies.encoding(header(in, WireHeaders.CONTENT_TYPE));
      if (encoding.isEmpty() && fault != WireFault.UNKNOWN_CONTENT_TYPE_READ_AS_PROTOBUF) {
        throw RpcException.invalidArgument(WireHeaders.CONTENT_TYPE, "unsupported content type '"
            + header(in, WireHeaders.CONTENT_TYPE).orElse("") + "': use application/protobuf or application/json");
      }
      reply = new Reply(msg.getReplyTo(), requestId, encoding.orElse(WireHeaders.APPLICATION_PROTOBUF));
      Instant deadline = deadline(in);
      CallContext call = CallContext.builder().method(method).deadline(deadline).requestId(requestId)
          .headers(firstValues(in)).contentType(reply.encoding).build();
      if (call.isExpired()) {
        throw RpcException.deadlineExceeded("deadline of " + method.subject() + " passed before the handler ran");
      }
      Message request;
      try {
        request = WireBodies.decode(method.requestPrototype(), reply.encoding, msg.getData());
      } catch (InvalidProtocolBufferException e) {
        if (fault == WireFault.MALFORMED_BODY_ANSWERED_AS_SUCCESS) {
          reply.success(method.responsePrototype());
          return;
        }
        throw RpcException.invalidArgument("", "body is not a valid " + method.requestType().getFullName()
            + ": " + e.getMessage());
      }
      Context context = Deadlines.with(
          W3CTraceContextPropagator.getInstance().extract(Context.root(), in, HEADERS), deadline);
      try (Scope scope = context.makeCurrent()) {
        if (method.serverStreaming()) {
          stream(request, call, reply);
        } else {
          reply.success(definition.callUnary(method.name(), request, call));
        }
      }
    } catch (RpcException e) {
      reply.error(e);
    } catch (RuntimeException e) {
      // A failure of this host (printing, publishing): INTERNAL, never a hang or a stack trace out.
      reply.error(RpcException.internal("internal error (request id " + requestId + ")"));
    }
  }

  private void stream(Message request, CallContext call, Reply reply) {
    definition.callStream(method.name(), request, call, new StreamSink<>() {
      @Override
      public void send(Message chunk) {
        if (call.isExpired()) {
          throw RpcException.deadlineExceeded("deadline of the stream " + method.subject() + " passed");
        }
        reply.chunk(chunk);
      }

      @Override
      public boolean isCancelled() {
        return call.isExpired();
      }
    });
    if (call.isExpired()) {
      throw RpcException.deadlineExceeded("deadline of the stream " + method.subject() + " passed");
    }
    if (fault != WireFault.STREAM_END_MISSING) {
      reply.end();
    }
  }

  private Instant deadline(Headers in) {
    Optional<String> header = header(in, WireHeaders.NH_DEADLINE);
    if (header.isEmpty() || fault == WireFault.DEADLINE_IGNORED) {
      return Instant.now().plus(DEFAULT_DEADLINE);
    }
    try {
      return Instant.ofEpochMilli(Long.parseLong(header.get().strip()));
    } catch (NumberFormatException e) {
      throw RpcException.invalidArgument(WireHeaders.NH_DEADLINE, "must be Unix epoch milliseconds");
    }
  }

  private static Optional<String> header(Headers in, String name) {
    List<String> values = in.get(name) != null ? in.get(name) : in.getIgnoreCase(name);
    return values == null ? Optional.empty()
        : values.stream().filter(v -> v != null && !v.isBlank()).findFirst();
  }

  private static Map<String, String> firstValues(Headers in) {
    Map<String, String> values = new LinkedHashMap<>();
    in.keySet().forEach(key -> header(in, key).ifPresent(value -> values.putIfAbsent(key, value)));
    return values;
  }

  /** The answers to one request: on its reply subject, in its encoding, with its request id. */
  private final class Reply {
    private final String replyTo;
    private final String requestId;
    private final String encoding;
    private long sequence;

    Reply(String replyTo, String requestId, String encoding) {
      this.replyTo = replyTo;
      this.requestId = requestId;
      this.encoding = encoding;
    }

    void success(Message response) {
      if (method.serverStreaming()) {
        end();
      } else {
        publish(headers(), encode(response));
      }
    }

    void chunk(Message chunk) {
      sequence += fault == WireFault.STREAM_SEQUENCE_GAP && sequence == 2 ? 2 : 1;
      Headers headers = headers();
      headers.put(WireHeaders.STREAM_SEQ, Long.toString(sequence));
      publish(headers, encode(chunk));
    }

    void end() {
      Headers headers = headers();
      headers.put(WireHeaders.STREAM_END, "true");
      publish(headers, new byte[0]);
    }

    /** Answers an error; unless errors go uncounted, after jnats has counted it (see {@link WireHost}). */
    void error(RpcException error) {
      Headers headers = headers();
      if (method.serverStreaming()) {
        headers.put(WireHeaders.STREAM_END, "true");
      }
      String oneLine = error.statusMessage().replaceAll("[^\\x20-\\x7e]", "?");
      headers.put(WireHeaders.SERVICE_ERROR, oneLine.isBlank() ? "error" : oneLine);
      headers.put(WireHeaders.SERVICE_ERROR_CODE, Integer.toString(error.httpStatus()));
      if (fault != WireFault.STATUS_HEADER_MISSING) {
        headers.put(WireHeaders.NH_STATUS, error.code().name());
      }
      byte[] body = fault == WireFault.ERROR_BODY_PLAIN_TEXT
          ? error.statusMessage().getBytes(StandardCharsets.UTF_8) : encode(error.status());
      if (fault == WireFault.ERRORS_NOT_COUNTED) {
        publish(headers, body);
        return;
      }
      ANSWER_AFTER.set(() -> publish(headers, body));
      throw new CountedError(error);
    }

    private Headers headers() {
      Headers headers = new Headers();
      headers.put(WireHeaders.CONTENT_TYPE, encoding);
      if (fault != WireFault.REQUEST_ID_NOT_ECHOED) {
        headers.put(WireHeaders.NH_REQUEST_ID, requestId);
      }
      return headers;
    }

    private byte[] encode(Message message) {
      return WireBodies.encode(message, encoding, fault == WireFault.JSON_PASCAL_CASE);
    }

    private void publish(Headers headers, byte[] body) {
      if (replyTo != null && !replyTo.isEmpty()) {
        nats.publish(replyTo, headers, body);
      }
    }
  }

  /** Thrown after an error reply so that jnats counts it; jnats keeps its text as last_error. */
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
