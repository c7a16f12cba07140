package io.natsharness.conformance.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The objectives one method and transport must meet: response-time limits at percentiles, the
 * rate they must hold at, and the largest error share. A run breaches the rate when it finishes
 * fewer than 97% of {@code rate} requests per second (the 3% allow for the window ending at the
 * last answer), so a run offered below the SLO's rate cannot pass it.
 *
 * <pre>{@code
 * Slo seed = Slo.defaults();            // p99 ≤ 5 ms at 10 000 req/s, errors ≤ 0.1%
 * seed.breaches(result);                // ["p99 7.210 ms > 5.000 ms"] or []
 * }</pre>
 *
 * @param latencyMicros limits by percentile name: p50, p90, p99, p999 (99.9) and max
 * @param rate the request rate the objectives hold at; 0 for none
 * @param maxErrorRate the largest share of failed requests (0-1)
 */
public record Slo(Map<String, Long> latencyMicros, double rate, double maxErrorRate) {

  /** The percentile names the limits use, with their percentiles. */
  public static final Map<String, Double> PERCENTILES = percentiles();
  static final double RATE_TOLERANCE = 0.97;

  public Slo {
    latencyMicros = Map.copyOf(latencyMicros);
    for (String name : latencyMicros.keySet()) {
      if (!PERCENTILES.containsKey(name)) {
        throw new IllegalArgumentException("unknown percentile '" + name + "'; known: " + PERCENTILES.keySet());
      }
    }
    if (rate < 0 || maxErrorRate < 0 || maxErrorRate > 1) {
      throw new IllegalArgumentException("an SLO needs a rate ≥ 0 and an error rate in 0..1, not " + rate + " and " + maxErrorRate);
    }
  }

  /** The seed document's objective: p99 under 5 ms at 10 000 requests a second; at most 0.1% errors. */
  public static Slo defaults() {
    return new Slo(Map.of("p99", 5_000L), 10_000, 0.001);
  }

  private static Map<String, Double> percentiles() {
    Map<String, Double> p = new LinkedHashMap<>();
    p.put("p50", 50.0);
    p.put("p90", 90.0);
    p.put("p99", 99.0);
    p.put("p999", 99.9);
    p.put("max", 100.0);
    return java.util.Collections.unmodifiableMap(p);
  }

  /** Each objective the result misses, in words; empty when it meets them all. */
  public List<String> breaches(LoadResult result) {
    List<String> out = new ArrayList<>();
    if (result.counts().answered() == 0) {
      out.add("no request was answered");
    }
    PERCENTILES.forEach((name, p) -> {
      Long limit = latencyMicros.get(name);
      if (limit != null && result.response().getTotalCount() > 0) {
        long value = p == 100.0 ? result.response().getMaxValue() : result.response().getValueAtPercentile(p);
        if (value > limit) {
          out.add(String.format(Locale.ROOT, "%s %.3f ms > %.3f ms", name, value / 1000.0, limit / 1000.0));
        }
      }
    });
    if (rate > 0 && result.achievedRate() < rate * RATE_TOLERANCE) {
      out.add(String.format(Locale.ROOT, "achieved %.0f req/s < %.0f req/s", result.achievedRate(), rate));
    }
    if (result.errorRate() > maxErrorRate) {
      out.add(String.format(Locale.ROOT, "errors %.2f%% > %.2f%% %s", result.errorRate() * 100, maxErrorRate * 100,
          result.counts().errors()));
    }
    return out;
  }

  /** E.g. "p99 ≤ 5 ms at 10000 req/s, errors ≤ 0.1%". */
  public String describe() {
    List<String> parts = new ArrayList<>();
    PERCENTILES.keySet().forEach(name -> {
      Long limit = latencyMicros.get(name);
      if (limit != null) {
        parts.add(name + " ≤ " + trim(limit / 1000.0) + " ms");
      }
    });
    String latency = parts.isEmpty() ? "any latency" : String.join(", ", parts);
    return latency + (rate > 0 ? " at " + trim(rate) + " req/s" : "") + ", errors ≤ " + trim(maxErrorRate * 100) + "%";
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%s", v);
  }
}
