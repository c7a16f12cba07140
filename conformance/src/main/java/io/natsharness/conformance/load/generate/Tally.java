package io.natsharness.conformance.load.generate;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The live record of one generator's run: wait-free HdrHistogram recorders (microseconds, 3
 * significant digits, up to an hour) written from the threads that complete requests, and
 * counters; {@link #cut} takes what was recorded since the previous cut as an {@link Interval}.
 *
 * <pre>{@code
 * Tally tally = new Tally("local", SampleSink.NONE);
 * tally.completed(intendedNanos, sentNanos, System.nanoTime(), Outcome.OK);
 * Interval first = tally.cut(0, false);
 * }</pre>
 */
public final class Tally {

  /** The largest value a histogram holds: one hour in microseconds; longer values are clamped. */
  public static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
  public static final int SIGNIFICANT_DIGITS = 3;

  private final String source;
  private final SampleSink sink;
  private final long nanoBase = System.nanoTime();
  private final long epochMicrosBase = epochMicrosNow();
  private final Recorder response = new Recorder(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
  private final Recorder service = new Recorder(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
  private final Recorder lag = new Recorder(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong late = new AtomicLong();
  private final AtomicLong inFlightWaits = new AtomicLong();
  private final AtomicLong warmup = new AtomicLong();
  private final AtomicLong outstanding = new AtomicLong();
  private final AtomicLong lastAnswer = new AtomicLong();
  private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
  /** Completions share the read lock; closing takes the write lock, so no sample lands after the last cut. */
  private final ReentrantReadWriteLock closing = new ReentrantReadWriteLock();
  private volatile long measureStart;
  private boolean closed;
  private long lastCut = epochMicrosBase;

  public Tally(String source, SampleSink sink) {
    this.source = source;
    this.sink = sink;
  }

  /** An empty histogram with the configuration every recorded histogram has (they add exactly). */
  public static Histogram newHistogram() {
    return new Histogram(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
  }

  /** Microseconds since the epoch at {@code nanoTime} (a {@link System#nanoTime()} reading). */
  public long epochMicros(long nanoTime) {
    return epochMicrosBase + (nanoTime - nanoBase) / 1_000;
  }

  /** The instant the measured part begins. */
  public void measurementStartsAt(long nanoTime) {
    measureStart = epochMicros(nanoTime);
  }

  public void warmupSent() {
    warmup.incrementAndGet();
  }

  /** A measured request went out {@code sentNanos - intendedNanos} after its intended start. */
  public void sent(long intendedNanos, long sentNanos, long lateThresholdNanos, boolean waitedForSlot) {
    long lateness = Math.max(0, sentNanos - intendedNanos);
    lag.recordValue(micros(lateness));
    sent.incrementAndGet();
    outstanding.incrementAndGet();
    if (lateness > lateThresholdNanos) {
      late.incrementAndGet();
    }
    if (waitedForSlot) {
      inFlightWaits.incrementAndGet();
    }
  }

  /** A measured request ended; ignored once the tally is closed (it was counted as unanswered). */
  public void completed(long intendedNanos, long sentNanos, long doneNanos, Outcome outcome) {
    closing.readLock().lock();
    try {
      if (closed) {
        return;
      }
      outstanding.decrementAndGet();
      lastAnswer.accumulateAndGet(epochMicros(doneNanos), Math::max);
      if (outcome.answered()) {
        long r = micros(doneNanos - intendedNanos);
        response.recordValue(r);
        service.recordValue(micros(doneNanos - sentNanos));
        sink.responseMicros(r);
        answered.incrementAndGet();
      }
      if (outcome.ok()) {
        ok.incrementAndGet();
      } else {
        error(outcome.code(), 1);
      }
    } finally {
      closing.readLock().unlock();
    }
  }

  /** Measured requests the generator could not send within its time bound. */
  public void notSent(long count) {
    if (count > 0) {
      error("NOT_SENT", count);
    }
  }

  /**
   * Stops recording: requests still outstanding are counted as {@code NO_ANSWER} errors, and
   * answers that arrive later are ignored.
   */
  public void close() {
    closing.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        long left = outstanding.getAndSet(0);
        if (left > 0) {
          error("NO_ANSWER", left);
        }
      }
    } finally {
      closing.writeLock().unlock();
    }
  }

  /** What was recorded since the previous cut. */
  public synchronized Interval cut(int sequence, boolean last) {
    long now = epochMicrosNow();
    Histogram r = response.getIntervalHistogram();
    Histogram s = service.getIntervalHistogram();
    Histogram l = lag.getIntervalHistogram();
    Map<String, Long> errorDeltas = new TreeMap<>();
    errors.forEach((code, n) -> {
      long d = n.getAndSet(0);
      if (d > 0) {
        errorDeltas.put(code, d);
      }
    });
    Counts counts = new Counts(sent.getAndSet(0), answered.getAndSet(0), ok.getAndSet(0), late.getAndSet(0),
        inFlightWaits.getAndSet(0), warmup.getAndSet(0), errorDeltas, measureStart, lastAnswer.get());
    Interval interval = new Interval(source, sequence, last, lastCut, now, r, s, l, counts);
    lastCut = now;
    return interval;
  }

  private void error(String code, long n) {
    errors.computeIfAbsent(code, c -> new AtomicLong()).addAndGet(n);
  }

  private static long micros(long nanos) {
    return Math.min(HIGHEST_MICROS, Math.max(0, nanos / 1_000));
  }

  private static long epochMicrosNow() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
  }
}
