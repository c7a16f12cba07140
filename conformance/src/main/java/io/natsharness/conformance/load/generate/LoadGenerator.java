package io.natsharness.conformance.load.generate;

import io.natsharness.conformance.load.LoadPlan;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one load phase in this process: open loop (requests at their intended instants, latency
 * from those instants) or closed loop (N callers), warm-up first and not recorded, bounded by the
 * plan's duration, request count and timeout. Every {@code plan.interval()} the histograms are cut
 * into an {@link Interval} and handed to the listener; the returned totals are the sum of them all.
 *
 * <pre>{@code
 * RunTotals totals = LoadGenerator.run(plan, caller, new Tally("local", SampleSink.NONE), IntervalListener.NONE);
 * totals.response().getValueAtPercentile(99);   // µs, coordinated omission corrected
 * }</pre>
 */
public final class LoadGenerator {

  private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);

  private LoadGenerator() {}

  /** Runs the plan starting now. */
  public static RunTotals run(LoadPlan plan, Caller caller, Tally tally, IntervalListener listener) {
    return run(plan, caller, tally, listener, System.nanoTime());
  }

  /**
   * Runs the plan with its warm-up starting at {@code startNanos} (a {@link System#nanoTime()}
   * reading, possibly in the future: several generators start at one instant that way).
   */
  public static RunTotals run(LoadPlan plan, Caller caller, Tally tally, IntervalListener listener, long startNanos) {
    RunTotals totals = new RunTotals();
    AtomicInteger sequence = new AtomicInteger();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "nh-load-sampler");
      t.setDaemon(true);
      return t;
    });
    long interval = plan.interval().toNanos();
    long firstCut = Math.max(0, startNanos - System.nanoTime()) + interval;
    sampler.scheduleAtFixedRate(() -> emit(tally.cut(sequence.getAndIncrement(), false), totals, listener),
        firstCut, interval, TimeUnit.NANOSECONDS);
    try {
      if (plan.mode().open()) {
        new OpenLoop(plan, caller, tally).run(startNanos);
      } else {
        new ClosedLoop(plan, caller, tally).run(startNanos);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // shutdown (not shutdownNow): a cut being handed over finishes, later ones are cancelled.
      sampler.shutdown();
      try {
        sampler.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      tally.close();
      emit(tally.cut(sequence.getAndIncrement(), true), totals, listener);
    }
    return totals;
  }

  private static void emit(Interval interval, RunTotals totals, IntervalListener listener) {
    synchronized (totals) {
      totals.add(interval);
    }
    try {
      listener.interval(interval);
    } catch (RuntimeException e) {
      LOG.warn("interval listener failed on interval {} of {}: {}", interval.sequence(), interval.source(), e.toString());
    }
  }
}
