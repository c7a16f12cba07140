package io.natsharness.conformance.load.generate;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits until an instant with sub-millisecond precision: parks until the estimated park overshoot
 * (plus a 10 µs margin) before it, then spins the rest. The overshoot ({@code parkNanos} wakes
 * some 50-80 µs late on Linux, more under load) is learnt as it goes, so the spin stays short and
 * the scheduling thread leaves the CPU to the system under test between requests. Gaps shorter
 * than the overshoot are spun through: at 10 000 req/s and up the thread is busy. Not thread
 * safe: one per scheduling thread.
 *
 * <pre>{@code
 * Pacer pacer = new Pacer();
 * pacer.waitUntil(start + offsetNanos);
 * }</pre>
 */
public final class Pacer {

  private static final long MARGIN = 10_000;
  private static final long MAX_OVERSHOOT = 500_000;
  /** Estimated park overshoot in nanoseconds (exponential moving average). */
  private long overshoot = 60_000;

  /** Returns at {@code deadline} (a {@link System#nanoTime()} reading) or just after it. */
  public void waitUntil(long deadline) {
    long spinWindow = overshoot + MARGIN;
    long remaining = deadline - System.nanoTime();
    if (remaining > spinWindow) {
      long target = deadline - spinWindow;
      LockSupport.parkNanos(target - System.nanoTime());
      long over = System.nanoTime() - target;
      overshoot = Math.min(MAX_OVERSHOOT, overshoot + (Math.max(0, over) - overshoot) / 8);
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
