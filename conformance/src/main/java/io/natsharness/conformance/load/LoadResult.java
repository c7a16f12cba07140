package io.natsharness.conformance.load;

import io.natsharness.conformance.load.generate.Counts;
import io.natsharness.conformance.load.generate.RunTotals;
import io.natsharness.conformance.load.transport.TransportKind;
import org.HdrHistogram.Histogram;

/**
 * The figures of one method over one transport: latency histograms in microseconds (response time
 * from the intended start, service time from the actual send, and the send lag that shows the
 * scheduling precision), the counters, and what they were measured at.
 *
 * <pre>{@code
 * result.percentileMillis(99);   // response time p99 in ms (coordinated omission corrected)
 * result.achievedRate();         // finished requests per second of the measured window
 * }</pre>
 *
 * @param subject the method's subject
 * @param transport how it was reached
 * @param endpoint what exactly was called ("HTTP http://127.0.0.1:4711")
 * @param mode open or closed loop
 * @param offeredRate the plan's mean offered rate (open loop), requests per second
 * @param generators how many generator processes made the load (1 unless distributed)
 * @param response response time histogram, µs
 * @param service service time histogram, µs
 * @param lag send lag histogram, µs
 * @param counts counters
 */
public record LoadResult(String subject, TransportKind transport, String endpoint, LoadMode mode, double offeredRate,
    int generators, Histogram response, Histogram service, Histogram lag, Counts counts) {

  /** A result from summed intervals. */
  public static LoadResult of(String subject, TransportKind transport, String endpoint, LoadPlan plan, int generators,
      RunTotals totals) {
    return new LoadResult(subject, transport, endpoint, plan.mode(), plan.mode().open() ? plan.offeredRate() : 0,
        generators, totals.response(), totals.service(), totals.lag(), totals.counts());
  }

  /** Response time at a percentile (0-100), in milliseconds. */
  public double percentileMillis(double percentile) {
    return response.getTotalCount() == 0 ? 0 : response.getValueAtPercentile(percentile) / 1000.0;
  }

  public double maxMillis() {
    return response.getTotalCount() == 0 ? 0 : response.getMaxValue() / 1000.0;
  }

  /** Seconds from the start of the measured part to the last answer. */
  public double windowSeconds() {
    long span = counts.lastAnswerMicros() - counts.measureStartMicros();
    return counts.measureStartMicros() == 0 || span <= 0 ? 0 : span / 1e6;
  }

  /** Requests that finished (answered or failed) per second of the measured window. */
  public double achievedRate() {
    double w = windowSeconds();
    return w == 0 ? 0 : counts.finished() / w;
  }

  /** Failed requests as a share of the finished ones (0 when none finished). */
  public double errorRate() {
    long finished = counts.finished();
    return finished == 0 ? 0 : (double) counts.errorCount() / finished;
  }

  /** E.g. "svc.util.settings.v1.get via gateway". */
  public String label() {
    return subject + " via " + transport.id();
  }
}
