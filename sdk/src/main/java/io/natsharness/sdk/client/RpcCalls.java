package io.natsharness.sdk.client;

import com.google.protobuf.Message;
import io.nats.client.Connection;
import io.nats.client.JetStreamStatusException;
import io.nats.client.support.NatsRequestCompletableFuture;
import io.natsharness.sdk.internal.WireCodec;
import io.natsharness.sdk.internal.WireErrors;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One unary attempt over jnats, and the mapping of everything that can go wrong to RpcException. */
final class RpcCalls {

  /** jnats cleans up timed-out requests on its own timer; give it a little longer than ours. */
  private static final Duration JNATS_SLACK = Duration.ofSeconds(1);

  private RpcCalls() {}

  /** Sends the plan once and decodes the reply; the future fails with RpcException only. */
  static <R extends Message> CompletableFuture<R> attempt(Connection connection, CallPlan plan) {
    Duration remaining = plan.remaining();
    if (remaining.isNegative() || remaining.isZero()) {
      return CompletableFuture.failedFuture(deadlineExceeded(plan));
    }
    CompletableFuture<io.nats.client.Message> request;
    try {
      request = connection.requestWithTimeout(plan.method().subject(), plan.headers(), plan.body(),
          remaining.plus(JNATS_SLACK));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(toRpcException(e, plan));
    }
    CompletableFuture<io.nats.client.Message> timed = request.orTimeout(remaining.toNanos(), TimeUnit.NANOSECONDS);
    return timed.handle((reply, failure) -> {
      if (failure != null) {
        throw toRpcException(failure, plan, request);
      }
      return decode(reply, plan);
    });
  }

  @SuppressWarnings("unchecked")
  static <R extends Message> R decode(io.nats.client.Message reply, CallPlan plan) {
    RpcException error = WireErrors.readError(reply, plan.method().subject()).orElse(null);
    if (error != null) {
      throw error;
    }
    String type = WireErrors.first(reply.getHeaders(), WireHeaders.CONTENT_TYPE).orElse(plan.contentType());
    try {
      return (R) WireCodec.decode(plan.method().responsePrototype(), WireCodec.contentType(type), reply.getData());
    } catch (RpcException e) {
      // The callee answered something we cannot read: its fault, not the caller's argument.
      throw RpcException.internal("reply of " + plan.method().subject() + " cannot be decoded: " + e.statusMessage());
    }
  }

  static RpcException toRpcException(Throwable failure, CallPlan plan) {
    return toRpcException(failure, plan, null);
  }

  static RpcException toRpcException(Throwable failure, CallPlan plan, CompletableFuture<?> request) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    String subject = plan.method().subject();
    if (t instanceof RpcException e) {
      return e;
    }
    if (t instanceof TimeoutException) {
      return deadlineExceeded(plan);
    }
    if (t instanceof JetStreamStatusException e && e.getStatus() != null && e.getStatus().getCode() == 503) {
      return RpcException.unavailable("no responders for " + subject);
    }
    if (t instanceof CancellationException) {
      if (request instanceof NatsRequestCompletableFuture f) {
        if (f.wasCancelledTimedOut()) {
          return deadlineExceeded(plan);
        }
        if (f.wasCancelledClosing()) {
          return RpcException.unavailable("the NATS connection is closing; " + subject + " not answered");
        }
      }
      // jnats cancels a request that meets no responders unless reportNoResponders is set.
      return RpcException.unavailable("no responders for " + subject);
    }
    if (t instanceof IllegalStateException) {
      return RpcException.unavailable("cannot call " + subject + ": " + t.getMessage());
    }
    return RpcException.internal("call of " + subject + " failed: " + t);
  }

  static RpcException deadlineExceeded(CallPlan plan) {
    return RpcException.deadlineExceeded("deadline of " + plan.method().subject() + " exceeded (request id "
        + plan.requestId() + ")");
  }
}
