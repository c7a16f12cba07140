package io.natsharness.conformance.load.generate;

import org.HdrHistogram.Histogram;

/**
 * What one generator recorded during one interval: latency histograms in microseconds and the
 * counters. Intervals of one run, and of several generators, add up exactly ({@link RunTotals}).
 *
 * <pre>{@code
 * Interval i = tally.cut(3, false);
 * i.response().getValueAtPercentile(99);   // µs, from the intended start
 * }</pre>
 *
 * @param source the generator that recorded it
 * @param sequence 0, 1, 2, … within the run of that generator
 * @param last whether it is the generator's final interval of the run
 * @param startMicros epoch microseconds of its start
 * @param endMicros epoch microseconds of its end
 * @param response answer time from the intended start (coordinated omission corrected)
 * @param service answer time from the actual send
 * @param lag how late each request was sent after its intended start (the scheduling precision)
 * @param counts the counters of the interval
 */
public record Interval(String source, int sequence, boolean last, long startMicros, long endMicros,
    Histogram response, Histogram service, Histogram lag, Counts counts) {}
