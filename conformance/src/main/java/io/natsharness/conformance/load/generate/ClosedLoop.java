package io.natsharness.conformance.load.generate;

import io.natsharness.conformance.load.LoadPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The closed-loop schedule: each caller sends its next request when the previous answer is in, so
 * a slow answer holds the caller back and the requests it would have sent are never measured
 * (coordinated omission, which is why reports label this mode).
 */
final class ClosedLoop {

  private final LoadPlan plan;
  private final Caller caller;
  private final Tally tally;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong measured = new AtomicLong();

  ClosedLoop(LoadPlan plan, Caller caller, Tally tally) {
    this.plan = plan;
    this.caller = caller;
    this.tally = tally;
  }

  void run(long startNanos) throws InterruptedException {
    long measureStart = startNanos + plan.warmup().toNanos();
    long end = measureStart + plan.duration().toNanos();
    tally.measurementStartsAt(measureStart);
    List<Thread> callers = new ArrayList<>();
    for (int c = 0; c < plan.mode().callers(); c++) {
      Thread t = new Thread(() -> loop(startNanos, measureStart, end), "nh-load-caller-" + c);
      t.setDaemon(true);
      callers.add(t);
      t.start();
    }
    long bound = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime() + plan.timeout().toNanos()) + 2_000;
    for (Thread t : callers) {
      t.join(Math.max(1, bound));
    }
  }

  private void loop(long startNanos, long measureStart, long end) {
    while (System.nanoTime() < startNanos) {
      Thread.onSpinWait();
    }
    long timeoutNanos = plan.timeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
    while (true) {
      long sent = System.nanoTime();
      if (sent >= end) {
        return;
      }
      boolean warm = sent < measureStart;
      if (!warm && measured.incrementAndGet() > plan.maxRequests()) {
        return;
      }
      if (warm) {
        tally.warmupSent();
      } else {
        tally.sent(sent, sent, Long.MAX_VALUE, false);
      }
      Outcome outcome = await(sequence.getAndIncrement(), timeoutNanos);
      if (!warm) {
        tally.completed(sent, sent, System.nanoTime(), outcome);
      }
    }
  }

  private Outcome await(long seq, long timeoutNanos) {
    try {
      Future<Outcome> f = caller.call(seq);
      return f.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return Outcome.noAnswer("DEADLINE_EXCEEDED");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.noAnswer("CANCELLED");
    } catch (ExecutionException | RuntimeException e) {
      return Outcome.noAnswer("CALLER_FAILED");
    }
  }
}
