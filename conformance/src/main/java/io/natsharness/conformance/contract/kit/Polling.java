package io.natsharness.conformance.contract.kit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits, in a bounded loop, for a state that the service reaches by its own clock (a lease or a
 * token running out), so that a small clock difference between the suite and an external
 * deployment does not fail a check. The check still asserts the state afterwards: polling only
 * decides how long to wait, never whether to pass.
 *
 * <pre>{@code
 * Polling.until(Duration.ofSeconds(3), () -> lookup(ctx, capability).isEmpty());
 * assertThat(lookup(ctx, capability)).isEmpty();
 * }</pre>
 */
public final class Polling {

  private static final Duration STEP = Duration.ofMillis(100);

  private Polling() {}

  /** Returns as soon as {@code condition} holds, or after {@code within}. */
  public static void until(Duration within, BooleanSupplier condition) {
    long end = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      sleep(STEP);
    }
  }

  /** Sleeps until {@code epochMillis} (by the suite's clock) has passed, at most {@code max}. */
  public static void sleepUntil(long epochMillis, Duration max) {
    long wait = Math.min(epochMillis - System.currentTimeMillis(), max.toMillis());
    if (wait > 0) {
      sleep(Duration.ofMillis(wait));
    }
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting");
    }
  }
}
