package io.natsharness.conformance.load.generate;

import java.util.HashSet;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * The sum of intervals: of one generator's run, or of several generators' runs merged. Histograms
 * of equal configuration add bucket by bucket, so the merge is exact (the same as one histogram of
 * every sample). A repeated interval (same source and sequence) is ignored. Not thread safe.
 *
 * <pre>{@code
 * RunTotals merged = new RunTotals();
 * intervalsFromEveryWorker.forEach(merged::add);
 * merged.response().getValueAtPercentile(99.9);
 * }</pre>
 */
public final class RunTotals {

  private final Histogram response = Tally.newHistogram();
  private final Histogram service = Tally.newHistogram();
  private final Histogram lag = Tally.newHistogram();
  private final Set<String> seen = new HashSet<>();
  private final Set<String> finished = new HashSet<>();
  private Counts counts = Counts.NONE;

  /** Adds an interval; returns false for one already added. */
  public boolean add(Interval interval) {
    if (!seen.add(interval.source() + "#" + interval.sequence())) {
      return false;
    }
    response.add(interval.response());
    service.add(interval.service());
    lag.add(interval.lag());
    counts = counts.plus(interval.counts());
    if (interval.last()) {
      finished.add(interval.source());
    }
    return true;
  }

  public Histogram response() {
    return response;
  }

  public Histogram service() {
    return service;
  }

  public Histogram lag() {
    return lag;
  }

  public Counts counts() {
    return counts;
  }

  /** The sources whose last interval was added. */
  public Set<String> finished() {
    return Set.copyOf(finished);
  }
}
