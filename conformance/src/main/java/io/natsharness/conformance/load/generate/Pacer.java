package io.natsharness.conformance.load.generate;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits until an instant with sub-millisecond precision: parks until shortly before it, then
 * spins. How early to stop parking adapts to the park overshoot this machine shows (on Linux
 * {@code parkNanos} wakes some 50-80 µs late, more under load), so the spin stays short. Not
 * thread safe: one per scheduling thread.
 *
 * <pre>{@code
 * Pacer pacer = new Pacer();
 * pacer.waitUntil(start + offsetNanos);
 * }</pre>
 */
public final class Pacer {

  private static final long MIN_SPIN = 20_000;
  private static final long MAX_SPIN = 500_000;
  /** Estimated park overshoot in nanoseconds (exponential moving average). */
  private long overshoot = 80_000;

  /** Returns at {@code deadline} (a {@link System#nanoTime()} reading) or just after it. */
  public void waitUntil(long deadline) {
    long spinWindow = Math.min(MAX_SPIN, Math.max(MIN_SPIN, overshoot + overshoot / 2));
    long remaining = deadline - System.nanoTime();
    if (remaining > spinWindow) {
      long target = deadline - spinWindow;
      LockSupport.parkNanos(target - System.nanoTime());
      long over = System.nanoTime() - target;
      overshoot += (Math.max(0, over) - overshoot) / 8;
    }
    while (System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
  }

  /** The current estimate of how late a park wakes, in nanoseconds. */
  public long overshootNanos() {
    return overshoot;
  }
}
