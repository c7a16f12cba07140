package io.natsharness.conformance.load;

import java.time.Duration;
import java.util.Locale;

/**
 * The offered rate of an open-loop run, as the intended start instant of each request: constant,
 * or ramped linearly from one rate to another and then held. Request {@code i} is due at
 * {@link #offsetNanos(long)} after the start, whatever happened to request {@code i-1}: that is
 * what makes a stall show up as latency (coordinated omission corrected).
 *
 * <pre>{@code
 * RateProfile.constant(10_000);                                  // 10K req/s
 * RateProfile.ramp(1_000, 10_000, Duration.ofSeconds(30));       // 1K → 10K over 30 s, then 10K
 * RateProfile.constant(500).offsetNanos(3);                      // 6 000 000 (6 ms)
 * }</pre>
 */
public final class RateProfile {

  private final double from;
  private final double to;
  private final double rampSeconds;

  private RateProfile(double from, double to, double rampSeconds) {
    this.from = from;
    this.to = to;
    this.rampSeconds = rampSeconds;
  }

  /**
   * @throws IllegalArgumentException unless {@code perSecond} is positive and finite
   */
  public static RateProfile constant(double perSecond) {
    check(perSecond, "rate");
    return new RateProfile(perSecond, perSecond, 0);
  }

  /**
   * From {@code fromPerSecond} to {@code toPerSecond}, linearly over {@code over}, then
   * {@code toPerSecond}.
   *
   * @throws IllegalArgumentException for a rate that is not positive or a ramp that is not
   */
  public static RateProfile ramp(double fromPerSecond, double toPerSecond, Duration over) {
    check(fromPerSecond, "ramp start rate");
    check(toPerSecond, "rate");
    if (over == null || over.isNegative() || over.isZero()) {
      throw new IllegalArgumentException("a ramp needs a positive duration, not " + over);
    }
    return new RateProfile(fromPerSecond, toPerSecond, over.toNanos() / 1e9);
  }

  private static void check(double rate, String what) {
    if (!(rate > 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException(what + " must be a positive number of requests per second, not " + rate);
    }
  }

  /** The rate after the ramp (the only rate when constant). */
  public double rate() {
    return to;
  }

  /** The rate at the start (the warm-up runs at it). */
  public double startRate() {
    return from;
  }

  public boolean ramped() {
    return rampSeconds > 0;
  }

  /** This profile with every rate multiplied by {@code factor} (a share of several generators). */
  public RateProfile scaled(double factor) {
    return new RateProfile(from * factor, to * factor, rampSeconds);
  }

  /** The intended start of request {@code index} (0-based), in nanoseconds after the run's start. */
  public long offsetNanos(long index) {
    double n = index;
    if (rampSeconds == 0) {
      return Math.round(n * 1e9 / to);
    }
    // Requests due by time t during the ramp: N(t) = from t + (to - from) t² / (2T); solved for t.
    double rampCount = (from + to) * rampSeconds / 2;
    double seconds;
    if (n >= rampCount) {
      seconds = rampSeconds + (n - rampCount) / to;
    } else {
      double a = (to - from) / (2 * rampSeconds);
      seconds = Math.abs(a) < 1e-12 ? n / from : (-from + Math.sqrt(Math.max(0, from * from + 4 * a * n))) / (2 * a);
    }
    return Math.round(seconds * 1e9);
  }

  /** How many requests the profile offers in {@code duration}. */
  public long requestsIn(Duration duration) {
    double t = duration.toNanos() / 1e9;
    if (t <= rampSeconds) {
      return (long) Math.floor(from * t + (to - from) * t * t / (2 * rampSeconds));
    }
    return (long) Math.floor((from + to) * rampSeconds / 2 + to * (t - rampSeconds));
  }

  /** The mean offered rate over {@code duration}. */
  public double meanRate(Duration duration) {
    return requestsIn(duration) / (duration.toNanos() / 1e9);
  }

  /** E.g. "10000 req/s" or "1000 → 10000 req/s over 30 s". */
  @Override
  public String toString() {
    return rampSeconds == 0 ? fmt(to) + " req/s"
        : fmt(from) + " → " + fmt(to) + " req/s over " + fmt(rampSeconds) + " s";
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  /** Start and end rate and ramp length, for the plan sent to remote generators. */
  public double[] toArray() {
    return new double[] {from, to, rampSeconds};
  }

  /** The inverse of {@link #toArray()}. */
  public static RateProfile fromArray(double[] values) {
    if (values.length != 3) {
      throw new IllegalArgumentException("a rate profile is [from, to, rampSeconds], not " + values.length + " numbers");
    }
    return values[2] == 0 ? constant(values[1])
        : ramp(values[0], values[1], Duration.ofNanos(Math.round(values[2] * 1e9)));
  }
}
