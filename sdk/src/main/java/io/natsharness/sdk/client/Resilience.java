package io.natsharness.sdk.client;

import com.google.rpc.Code;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.natsharness.proto.common.v1.ErrorDetail;
import io.natsharness.sdk.internal.Telemetry;
import io.natsharness.sdk.status.RpcException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Resilience4j around each call: a bulkhead bounds the calls in flight (outermost, so a call holds
 * one permit through its retries), a retry with exponential backoff and jitter re-sends UNAVAILABLE
 * on safe-to-retry methods, and a circuit breaker per subject guards each attempt. Uses the
 * libraries' async contexts directly because a call is a future, not a blocking supplier.
 */
final class Resilience {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Resilience.class);

  /** ErrorDetail reason of the UNAVAILABLE that an open circuit answers; never retried. */
  static final String CIRCUIT_OPEN = "CIRCUIT_OPEN";
  /** ErrorDetail reason of the RESOURCE_EXHAUSTED that a full bulkhead answers. */
  static final String TOO_MANY_IN_FLIGHT = "TOO_MANY_IN_FLIGHT";
  /** Codes that count as failures of the callee for its circuit; the rest are answers. */
  private static final Set<Code> CALLEE_FAILURES =
      EnumSet.of(Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED, Code.INTERNAL, Code.UNKNOWN);

  private final Bulkhead bulkhead;
  private final CircuitBreakerRegistry breakers;
  private final Retry retry;
  private final Telemetry telemetry;

  Resilience(RetryPolicy policy, CircuitBreakerConfig breakerConfig, int maxInFlight, Telemetry telemetry) {
    this.telemetry = telemetry;
    this.bulkhead = Bulkhead.of("rpc-client", BulkheadConfig.custom()
        .maxConcurrentCalls(maxInFlight).maxWaitDuration(Duration.ZERO).build());
    this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.from(breakerConfig)
        .recordException(Resilience::isCalleeFailure)
        .build());
    this.retry = Retry.of("rpc-client", RetryConfig.custom()
        .maxAttempts(policy.maxAttempts())
        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
            policy.initialBackoff(), policy.multiplier(), policy.jitter()))
        .retryOnException(Resilience::isRetryable)
        .build());
  }

  CircuitBreakerRegistry breakers() {
    return breakers;
  }

  /**
   * Runs {@code attempt} under the bulkhead, the subject's breaker and (when the plan allows) the
   * retry. The returned future fails only with RpcException.
   */
  <T> CompletableFuture<T> execute(CallPlan plan, Supplier<CompletableFuture<T>> attempt) {
    if (!bulkhead.tryAcquirePermission()) {
      return CompletableFuture.failedFuture(withReason(RpcException.resourceExhausted(
          "more than " + bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
              + " calls in flight on this client; " + plan.method().subject() + " not sent"), TOO_MANY_IN_FLIGHT));
    }
    // The permit is returned before the result completes, so a caller that sees the answer can
    // call again at once (dependents of a future run in no guaranteed order).
    CompletableFuture<T> result = new CompletableFuture<>() {
      private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

      @Override
      public boolean complete(T value) {
        release();
        return super.complete(value);
      }

      @Override
      public boolean completeExceptionally(Throwable ex) {
        release();
        return super.completeExceptionally(ex);
      }

      private void release() {
        if (released.compareAndSet(false, true)) {
          bulkhead.onComplete();
        }
      }
    };
    CircuitBreaker breaker = breakers.circuitBreaker(plan.method().subject());
    Retry.AsyncContext<T> retryContext = plan.retryable() ? retry.asyncContext() : null;
    attemptOnce(plan, attempt, breaker, retryContext, result, 1);
    return result;
  }

  private <T> void attemptOnce(CallPlan plan, Supplier<CompletableFuture<T>> attempt, CircuitBreaker breaker,
      Retry.AsyncContext<T> retryContext, CompletableFuture<T> result, int number) {
    if (!breaker.tryAcquirePermission()) {
      result.completeExceptionally(withReason(RpcException.unavailable("circuit breaker for "
          + plan.method().subject() + " is open: recent calls failed; not sent"), CIRCUIT_OPEN));
      return;
    }
    long start = System.nanoTime();
    CompletableFuture<T> sent;
    try {
      sent = attempt.get();
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((value, failure) -> {
      try {
        onAttemptDone(plan, attempt, breaker, retryContext, result, number, System.nanoTime() - start, value, failure);
      } catch (RuntimeException | Error e) {
        // Never leave the caller waiting: a failure here would otherwise vanish inside the future.
        LOG.error("resilience bookkeeping of {} failed", plan.method().subject(), e);
        result.completeExceptionally(RpcException.internal("call of " + plan.method().subject() + " failed: " + e));
      }
    });
  }

  private <T> void onAttemptDone(CallPlan plan, Supplier<CompletableFuture<T>> attempt, CircuitBreaker breaker,
      Retry.AsyncContext<T> retryContext, CompletableFuture<T> result, int number, long took, T value,
      Throwable failure) {
    if (failure == null) {
      breaker.onSuccess(took, TimeUnit.NANOSECONDS);
      if (retryContext != null) {
        retryContext.onComplete();
      }
      result.complete(value);
      return;
    }
    RpcException error = RpcCalls.toRpcException(failure, plan);
    breaker.onError(took, TimeUnit.NANOSECONDS, error);
    long delay = retryContext == null ? -1 : retryContext.onError(error);
    if (delay < 0 || plan.remaining().toMillis() <= delay) {
      // No retry left, not retryable, or the deadline would pass while waiting: the error stands.
      result.completeExceptionally(error);
      return;
    }
    telemetry.countRetry(plan.method());
    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)
        .execute(() -> attemptOnce(plan, attempt, breaker, retryContext, result, number + 1));
  }

  /**
   * Admits a stream: it holds a bulkhead permit until it ends and is recorded by the subject's
   * breaker when it ends. Streams are not retried (chunks may already have been delivered).
   *
   * @throws RpcException RESOURCE_EXHAUSTED (too many in flight) or UNAVAILABLE (open circuit)
   */
  StreamTicket admitStream(CallPlan plan) {
    if (!bulkhead.tryAcquirePermission()) {
      throw withReason(RpcException.resourceExhausted("more than "
          + bulkhead.getBulkheadConfig().getMaxConcurrentCalls() + " calls in flight on this client; "
          + plan.method().subject() + " not sent"), TOO_MANY_IN_FLIGHT);
    }
    CircuitBreaker breaker = breakers.circuitBreaker(plan.method().subject());
    if (!breaker.tryAcquirePermission()) {
      bulkhead.onComplete();
      throw withReason(RpcException.unavailable("circuit breaker for " + plan.method().subject()
          + " is open: recent calls failed; not sent"), CIRCUIT_OPEN);
    }
    return new StreamTicket(breaker, System.nanoTime());
  }

  /** A stream's hold on the bulkhead and breaker, released once. */
  final class StreamTicket {
    private final CircuitBreaker breaker;
    private final long start;
    private boolean finished;

    private StreamTicket(CircuitBreaker breaker, long start) {
      this.breaker = breaker;
      this.start = start;
    }

    /** Records the outcome (null = success) and frees the permit; later calls do nothing. */
    synchronized void finish(RpcException error) {
      if (finished) {
        return;
      }
      finished = true;
      long took = System.nanoTime() - start;
      if (error == null) {
        breaker.onSuccess(took, TimeUnit.NANOSECONDS);
      } else {
        breaker.onError(took, TimeUnit.NANOSECONDS, error);
      }
      bulkhead.onComplete();
    }
  }

  private static boolean isCalleeFailure(Throwable t) {
    return t instanceof RpcException e && CALLEE_FAILURES.contains(e.code()) && !hasReason(e, CIRCUIT_OPEN);
  }

  private static boolean isRetryable(Throwable t) {
    return t instanceof RpcException e && e.code() == Code.UNAVAILABLE && !hasReason(e, CIRCUIT_OPEN);
  }

  private static boolean hasReason(RpcException e, String reason) {
    return e.errorDetail().map(d -> d.getReason().equals(reason)).orElse(false);
  }

  private static RpcException withReason(RpcException e, String reason) {
    return e.withDetail(ErrorDetail.newBuilder().setReason(reason).setDescription(e.statusMessage()).build());
  }
}
