package io.natsharness.conformance.load.generate;

import java.util.Map;
import java.util.TreeMap;

/**
 * The counters of an interval (deltas) or of a whole run (sums). Times are epoch microseconds, 0
 * when unknown, so counts from generators in several processes on one clock combine.
 *
 * <pre>{@code
 * Counts total = first.plus(second);
 * total.errorCount();   // unanswered requests and error answers
 * }</pre>
 *
 * @param sent measured requests sent
 * @param answered measured requests that got an answer (success or error)
 * @param ok measured requests answered with success
 * @param lateStarts measured requests sent later than the plan's late threshold
 * @param inFlightWaits measured requests that waited for a free in-flight slot before going out
 * @param warmup requests sent during the warm-up (not measured)
 * @param errors measured requests that failed, by code (error answers and unanswered ones,
 *     {@code NOT_SENT} for those the generator could not send in time)
 * @param measureStartMicros when the measured part began
 * @param lastAnswerMicros when the last measured request ended
 */
public record Counts(long sent, long answered, long ok, long lateStarts, long inFlightWaits, long warmup,
    Map<String, Long> errors, long measureStartMicros, long lastAnswerMicros) {

  public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, Map.of(), 0, 0);

  public Counts {
    errors = Map.copyOf(errors);
  }

  /** Errors of every code. */
  public long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Measured requests that ended, one way or another. */
  public long finished() {
    return ok + errorCount();
  }

  /** The sum of two counts (the earlier start, the later end). */
  public Counts plus(Counts o) {
    Map<String, Long> merged = new TreeMap<>(errors);
    o.errors.forEach((code, n) -> merged.merge(code, n, Long::sum));
    return new Counts(sent + o.sent, answered + o.answered, ok + o.ok, lateStarts + o.lateStarts,
        inFlightWaits + o.inFlightWaits, warmup + o.warmup, merged, earliest(measureStartMicros, o.measureStartMicros),
        Math.max(lastAnswerMicros, o.lastAnswerMicros));
  }

  private static long earliest(long a, long b) {
    if (a == 0) {
      return b;
    }
    return b == 0 ? a : Math.min(a, b);
  }
}
