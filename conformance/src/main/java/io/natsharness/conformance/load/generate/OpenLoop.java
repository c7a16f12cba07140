package io.natsharness.conformance.load.generate;

import io.natsharness.conformance.load.LoadPlan;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The open-loop schedule: request {@code i} goes out at its intended instant from one thread, and
 * its latency counts from that instant. The warm-up runs at the profile's start rate.
 */
final class OpenLoop {

  private final LoadPlan plan;
  private final Caller caller;
  private final Tally tally;
  private final Semaphore slots;
  private final Pacer pacer = new Pacer();
  /** The plan's timeout and a little: the transport's own timeout should come first. */
  private final long timeoutNanos;

  OpenLoop(LoadPlan plan, Caller caller, Tally tally) {
    this.plan = plan;
    this.caller = caller;
    this.tally = tally;
    this.slots = new Semaphore(plan.maxInFlight());
    this.timeoutNanos = plan.timeout().toNanos() + TimeUnit.MILLISECONDS.toNanos(500);
  }

  void run(long startNanos) throws InterruptedException {
    double warmRate = plan.rate().startRate();
    long warmupNanos = plan.warmup().toNanos();
    long warmupCount = (long) Math.ceil(warmRate * warmupNanos / 1e9);
    long measureStart = startNanos + warmupNanos;
    long end = measureStart + plan.duration().toNanos();
    // Bounded in time: a generator that falls this far behind stops and counts the rest as not sent.
    long hardStop = end + plan.timeout().toNanos();
    long planned = Math.min(plan.maxRequests(), plan.rate().requestsIn(plan.duration()));
    long lateThreshold = plan.lateThreshold().toNanos();
    tally.measurementStartsAt(measureStart);
    long measured = 0;
    for (long i = 0; measured < planned; i++) {
      boolean warm = i < warmupCount;
      long intended = warm ? startNanos + Math.round(i * 1e9 / warmRate)
          : measureStart + plan.rate().offsetNanos(i - warmupCount);
      if (!warm && intended >= end) {
        break;
      }
      pacer.waitUntil(intended);
      boolean waited = false;
      if (!slots.tryAcquire()) {
        waited = true;
        long left = hardStop - System.nanoTime();
        if (left <= 0 || !slots.tryAcquire(left, TimeUnit.NANOSECONDS)) {
          break;
        }
      }
      if (System.nanoTime() > hardStop) {
        slots.release();
        break;
      }
      long sent = System.nanoTime();
      if (warm) {
        tally.warmupSent();
      } else {
        tally.sent(intended, sent, lateThreshold, waited);
        measured++;
      }
      send(i, intended, sent, warm);
    }
    tally.notSent(planned - measured);
    // Every transport call has the plan's timeout: wait that long (and a little) for the stragglers.
    if (slots.tryAcquire(plan.maxInFlight(), plan.timeout().toNanos() + TimeUnit.SECONDS.toNanos(1),
        TimeUnit.NANOSECONDS)) {
      slots.release(plan.maxInFlight());
    }
  }

  private void send(long sequence, long intended, long sent, boolean warm) {
    CompletableFuture<Outcome> future;
    try {
      // Bounded here too, whatever the transport does with its timeout.
      future = caller.call(sequence).orTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      future = CompletableFuture.completedFuture(Outcome.noAnswer("CALLER_FAILED"));
    }
    future.whenComplete((outcome, error) -> {
      long done = System.nanoTime();
      slots.release();
      if (!warm) {
        tally.completed(intended, sent, done, error == null ? outcome : failure(error));
      }
    });
  }

  static Outcome failure(Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    return cause instanceof java.util.concurrent.TimeoutException ? Outcome.noAnswer("DEADLINE_EXCEEDED")
        : Outcome.noAnswer("CALLER_FAILED");
  }
}
