package io.natsharness.sdk.client;

import java.time.Duration;

/**
 * How {@link RpcClient} retries: at most {@code maxAttempts} attempts (the first included),
 * exponential backoff from {@code initialBackoff} by {@code multiplier}, randomized by
 * {@code jitter} (0.5 = ±50 %). Only UNAVAILABLE is retried, and only on methods that are safe to
 * retry (read-only, idempotent, or carrying an Idempotency-Key).
 *
 * <pre>{@code
 * RpcClient.builder().connection(nats).retry(new RetryPolicy(3, Duration.ofMillis(20), 2.0, 0.5)).build();
 * }</pre>
 *
 * @param maxAttempts attempts in all, at least 1 (1 = no retry)
 * @param initialBackoff wait before the first retry
 * @param multiplier growth of the wait per retry, at least 1
 * @param jitter randomization factor in [0, 1)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, double jitter) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initialBackoff must be positive: " + initialBackoff);
    }
    if (!(multiplier >= 1.0)) {
      throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter < 1.0)) {
      throw new IllegalArgumentException("jitter must be in [0, 1): " + jitter);
    }
  }

  /** Three attempts, 50 ms then 100 ms, ±50 %. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(3, Duration.ofMillis(50), 2.0, 0.5);
  }

  /** One attempt: never retry. */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ofMillis(1), 1.0, 0.0);
  }
}
