package io.natsharness.sdk.client;

import com.google.protobuf.Message;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.nats.client.Connection;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.internal.Telemetry;
import io.natsharness.sdk.status.RpcException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** The work behind {@link RpcClient}: plans a call, runs it under resilience, traces and meters it. */
final class CallRunner {

  private final Connection connection;
  private final Duration defaultDeadline;
  private final Telemetry telemetry;
  private final Resilience resilience;
  private final int streamBuffer;
  private final long streamBufferBytes;
  private final Executor streamExecutor;

  CallRunner(Connection connection, Duration defaultDeadline, Telemetry telemetry, Resilience resilience,
      int streamBuffer, long streamBufferBytes, Executor streamExecutor) {
    this.connection = connection;
    this.defaultDeadline = defaultDeadline;
    this.telemetry = telemetry;
    this.resilience = resilience;
    this.streamBuffer = streamBuffer;
    this.streamBufferBytes = streamBufferBytes;
    this.streamExecutor = streamExecutor;
  }

  CircuitBreakerRegistry breakers() {
    return resilience.breakers();
  }

  <R extends Message> CompletableFuture<R> unary(MethodInfo method, Message request, CallOptions options) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(options, "options");
    if (method.serverStreaming()) {
      return CompletableFuture.failedFuture(RpcException.invalidArgument("", method.subject()
          + " is server streaming: call stream(..), not call(..)"));
    }
    Context parent = Context.current();
    long start = System.nanoTime();
    String requestId = options.requestId().orElseGet(() -> UUID.randomUUID().toString());
    CallOptions withId = options.requestId().isPresent() ? options : options.toBuilder().requestId(requestId).build();
    Span span = telemetry.start(SpanKind.CLIENT, method, parent, requestId);
    CompletableFuture<R> future;
    try {
      CallPlan plan = CallPlan.of(method, request, withId, defaultDeadline, connection.getMaxPayload(),
          telemetry, parent, span);
      future = resilience.execute(plan, () -> RpcCalls.<R>attempt(connection, plan));
    } catch (RpcException e) {
      future = CompletableFuture.failedFuture(e);
    }
    return future.whenComplete((r, t) -> {
      RpcException error = t == null ? null : RpcClient.unwrap(t);
      String status = error == null ? "OK" : error.code().name();
      Telemetry.end(span, status, error == null ? "" : error.statusMessage());
      telemetry.recordClient(method, status, System.nanoTime() - start);
    });
  }

  <R extends Message> ResponseStream<R> stream(MethodInfo method, Message request, CallOptions options) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(options, "options");
    if (!method.serverStreaming()) {
      throw RpcException.invalidArgument("", method.subject() + " is unary: call call(..), not stream(..)");
    }
    Context parent = Context.current();
    long start = System.nanoTime();
    String requestId = options.requestId().orElseGet(() -> UUID.randomUUID().toString());
    CallOptions withId = options.requestId().isPresent() ? options : options.toBuilder().requestId(requestId).build();
    Span span = telemetry.start(SpanKind.CLIENT, method, parent, requestId);
    Resilience.StreamTicket ticket;
    CallPlan plan;
    try {
      plan = CallPlan.of(method, request, withId, defaultDeadline, connection.getMaxPayload(), telemetry, parent, span);
      ticket = resilience.admitStream(plan);
    } catch (RpcException e) {
      Telemetry.end(span, e.code().name(), e.statusMessage());
      telemetry.recordClient(method, e.code().name(), System.nanoTime() - start);
      throw e;
    }
    return NatsResponseStream.open(connection, plan, options.streamIdleTimeout(), streamBuffer, streamBufferBytes,
        streamExecutor, error -> {
          ticket.finish(error);
          String status = error == null ? "OK" : error.code().name();
          Telemetry.end(span, status, error == null ? "" : error.statusMessage());
          telemetry.recordClient(method, status, System.nanoTime() - start);
        });
  }
}
