package io.natsharness.conformance.load;

import java.time.Duration;
import java.util.Objects;

/**
 * How one load phase runs: the offered rate (or the callers of a closed-loop run), the warm-up
 * that is not recorded, the measured duration, and the bounds that keep a run finite. Immutable.
 *
 * <pre>{@code
 * LoadPlan plan = LoadPlan.builder()
 *     .withRate(RateProfile.constant(10_000))
 *     .withWarmup(Duration.ofSeconds(2))
 *     .withDuration(Duration.ofSeconds(10))
 *     .build();
 * }</pre>
 *
 * <p>The warm-up runs at the profile's start rate; the profile's clock starts when the warm-up
 * ends. {@code maxInFlight} plays the part of wrk2's connection count: when that many requests
 * are waiting for answers the next one waits too, and its latency still counts from its intended
 * start. A request that is still unanswered {@code timeout} after it was sent counts as an error.
 */
public final class LoadPlan {

  private final RateProfile rate;
  private final LoadMode mode;
  private final Duration warmup;
  private final Duration duration;
  private final long maxRequests;
  private final int maxInFlight;
  private final Duration timeout;
  private final Duration lateThreshold;
  private final Duration interval;

  private LoadPlan(Builder b) {
    this.rate = b.rate;
    this.mode = b.mode;
    this.warmup = b.warmup;
    this.duration = b.duration;
    this.maxRequests = b.maxRequests;
    this.maxInFlight = b.maxInFlight;
    this.timeout = b.timeout;
    this.lateThreshold = b.lateThreshold;
    this.interval = b.interval;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this plan, to change a few settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.rate = rate;
    b.mode = mode;
    b.warmup = warmup;
    b.duration = duration;
    b.maxRequests = maxRequests;
    b.maxInFlight = maxInFlight;
    b.timeout = timeout;
    b.lateThreshold = lateThreshold;
    b.interval = interval;
    return b;
  }

  public RateProfile rate() { return rate; }
  public LoadMode mode() { return mode; }
  public Duration warmup() { return warmup; }
  /** The measured part of the run, after the warm-up. */
  public Duration duration() { return duration; }
  /** The most measured requests (warm-up ones not included). */
  public long maxRequests() { return maxRequests; }
  public int maxInFlight() { return maxInFlight; }
  public Duration timeout() { return timeout; }
  /** A request sent later than this after its intended start counts as a late start. */
  public Duration lateThreshold() { return lateThreshold; }
  /** How often histograms are cut into intervals (progress, remote generators). */
  public Duration interval() { return interval; }

  /** The rate the run offers over its measured part (the mean of a ramp). */
  public double offeredRate() {
    return rate.meanRate(duration);
  }

  @Override
  public String toString() {
    return (mode.open() ? rate.toString() : mode.label()) + " for " + seconds(duration) + " after " + seconds(warmup)
        + " warm-up";
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** Builds a {@link LoadPlan}; a rate is required for open loop. */
  public static final class Builder {
    private RateProfile rate;
    private LoadMode mode = LoadMode.openLoop();
    private Duration warmup = Duration.ofSeconds(2);
    private Duration duration = Duration.ofSeconds(10);
    private long maxRequests = Long.MAX_VALUE;
    private int maxInFlight = 256;
    private Duration timeout = Duration.ofSeconds(5);
    private Duration lateThreshold = Duration.ofMillis(1);
    private Duration interval = Duration.ofSeconds(1);

    private Builder() {}

    public Builder withRate(RateProfile r) {
      rate = Objects.requireNonNull(r, "rate");
      return this;
    }

    public Builder withMode(LoadMode m) {
      mode = Objects.requireNonNull(m, "mode");
      return this;
    }

    /** Closed loop with {@code callers} callers. */
    public Builder withClosedLoop(int callers) {
      return withMode(LoadMode.closedLoop(callers));
    }

    public Builder withWarmup(Duration d) {
      warmup = notNegative(d, "warm-up");
      return this;
    }

    public Builder withDuration(Duration d) {
      duration = positive(d, "duration");
      return this;
    }

    public Builder withMaxRequests(long n) {
      if (n < 1) {
        throw new IllegalArgumentException("max requests must be at least 1, not " + n);
      }
      maxRequests = n;
      return this;
    }

    public Builder withMaxInFlight(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("max in-flight must be at least 1, not " + n);
      }
      maxInFlight = n;
      return this;
    }

    public Builder withTimeout(Duration d) {
      timeout = positive(d, "timeout");
      return this;
    }

    public Builder withLateThreshold(Duration d) {
      lateThreshold = positive(d, "late threshold");
      return this;
    }

    public Builder withInterval(Duration d) {
      interval = positive(d, "interval");
      if (d.toMillis() < 50) {
        throw new IllegalArgumentException("interval must be at least 50 ms, not " + d.toMillis() + " ms");
      }
      return this;
    }

    /**
     * @throws IllegalStateException for an open-loop plan without a rate
     */
    public LoadPlan build() {
      if (mode.open() && rate == null) {
        throw new IllegalStateException("an open-loop plan needs a rate: call withRate(..) before build()");
      }
      if (rate == null) {
        rate = RateProfile.constant(1);
      }
      return new LoadPlan(this);
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, not " + d);
      }
      return d;
    }

    private static Duration notNegative(Duration d, String what) {
      if (d == null || d.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative, not " + d);
      }
      return d;
    }
  }
}
