package io.natsharness.sdk.service;

/** Counts requests being handled, so that stop can wait for them (bounded by a deadline). */
final class InFlight {

  private int count;

  synchronized void enter() {
    count++;
  }

  synchronized void exit() {
    count--;
    if (count == 0) {
      notifyAll();
    }
  }

  synchronized int count() {
    return count;
  }

  /** Waits until nothing is in flight or {@code deadlineNanos} (System.nanoTime) passes. */
  synchronized boolean awaitIdle(long deadlineNanos) throws InterruptedException {
    while (count > 0) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }
}
