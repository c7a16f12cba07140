package io.natsharness.conformance.load;

import io.natsharness.conformance.load.requests.LoadRequests;
import io.natsharness.conformance.load.transport.TransportKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the highest open-loop rate a method and transport sustain: the rate doubles from a start
 * until a probe fails, then the gap is halved (geometrically) a few times. A probe passes when the
 * run finished at least 95% of the offered rate, at most 1% of its requests failed, and its p99
 * response time (coordinated omission corrected) stayed within the latency limit. A failed probe
 * is run once more before the rate counts as failed: on a shared machine one hiccup of a short
 * probe would otherwise end the search.
 *
 * <pre>{@code
 * MaxRate max = MaxRateSearch.builder().withLatencyLimitMicros(5_000).build()
 *     .search(executor, requests, TransportKind.NATS, plan, PhaseListener.NONE);
 * }</pre>
 */
public final class MaxRateSearch {

  private final double start;
  private final double limit;
  private final int refinements;
  private final long latencyLimitMicros;

  private MaxRateSearch(Builder b) {
    this.start = b.start;
    this.limit = b.limit;
    this.refinements = b.refinements;
    this.latencyLimitMicros = b.latencyLimitMicros;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What a passing probe means, in words. */
  public String criterion() {
    return String.format(Locale.ROOT, "achieved ≥ 95%% of offered, errors ≤ 1%%, p99 ≤ %s ms (open loop)",
        trim(latencyLimitMicros / 1000.0));
  }

  /**
   * Probes with {@code base}'s warm-up, duration and bounds at ever higher rates.
   *
   * @throws Exception when a probe cannot run at all
   */
  public MaxRate search(PhaseExecutor executor, LoadRequests requests, TransportKind transport, LoadPlan base,
      PhaseListener listener) throws Exception {
    List<LoadResult> probes = new ArrayList<>();
    double good = 0;
    double bad = 0;
    for (double rate = start; rate <= limit; rate *= 2) {
      if (probe(executor, requests, transport, base, rate, listener, probes)) {
        good = rate;
      } else {
        bad = rate;
        break;
      }
    }
    if (bad == 0) {
      return new MaxRate(requests.method().subject(), transport, good, true, criterion(), probes);
    }
    double low = good;
    double high = bad;
    for (int i = 0; i < refinements && low > 0; i++) {
      double mid = Math.round(Math.sqrt(low * high));
      if (mid <= low || mid >= high) {
        break;
      }
      if (probe(executor, requests, transport, base, mid, listener, probes)) {
        low = mid;
      } else {
        high = mid;
      }
    }
    return new MaxRate(requests.method().subject(), transport, low, false, criterion(), probes);
  }

  private boolean probe(PhaseExecutor executor, LoadRequests requests, TransportKind transport, LoadPlan base,
      double rate, PhaseListener listener, List<LoadResult> probes) throws Exception {
    Phase phase = new Phase(requests, transport, base.toBuilder().withMode(LoadMode.openLoop())
        .withRate(RateProfile.constant(rate)).build());
    for (int attempt = 0; attempt < 2; attempt++) {
      LoadResult r = executor.run(phase, listener.started(phase, probes.size() + 1, 0));
      listener.finished(phase, r);
      probes.add(r);
      if (sustained(r, rate)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a probe at {@code rate} passed. */
  public boolean sustained(LoadResult r, double rate) {
    return r.counts().answered() > 0 && r.achievedRate() >= 0.95 * rate && r.errorRate() <= 0.01
        && r.response().getValueAtPercentile(99) <= latencyLimitMicros;
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }

  /** Builds a {@link MaxRateSearch}; every setting has a default. */
  public static final class Builder {
    private double start = 500;
    private double limit = 64_000;
    private int refinements = 3;
    private long latencyLimitMicros = 5_000;

    private Builder() {}

    /** The first rate probed (default 500 req/s). */
    public Builder withStart(double rate) {
      if (!(rate > 0)) {
        throw new IllegalArgumentException("the start rate must be positive, not " + rate);
      }
      start = rate;
      return this;
    }

    /** The highest rate probed (default 64 000 req/s). */
    public Builder withLimit(double rate) {
      if (!(rate > 0)) {
        throw new IllegalArgumentException("the rate limit must be positive, not " + rate);
      }
      limit = rate;
      return this;
    }

    /** Halvings of the gap between the last good and the first bad rate (default 3). */
    public Builder withRefinements(int n) {
      if (n < 0 || n > 10) {
        throw new IllegalArgumentException("refinements must be 0..10, not " + n);
      }
      refinements = n;
      return this;
    }

    /** The p99 a probe may reach and still pass (default 5 ms, the seed's objective). */
    public Builder withLatencyLimitMicros(long micros) {
      if (micros < 1) {
        throw new IllegalArgumentException("the latency limit must be positive, not " + micros);
      }
      latencyLimitMicros = micros;
      return this;
    }

    public MaxRateSearch build() {
      if (limit < start) {
        throw new IllegalStateException("the rate limit " + limit + " is below the start rate " + start);
      }
      return new MaxRateSearch(this);
    }
  }
}
