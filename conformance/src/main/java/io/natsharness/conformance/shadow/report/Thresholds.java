package io.natsharness.conformance.shadow.report;

import java.util.Map;
import java.util.TreeMap;

/**
 * The highest mismatch rate each method may have for the run to pass: a default and per-method
 * values by NATS subject, each in [0, 1].
 *
 * <pre>{@code
 * Thresholds t = Thresholds.of(0.0, Map.of("svc.util.time.v1.now", 0.05));
 * t.of("svc.util.time.v1.now"); // 0.05
 * }</pre>
 */
public final class Thresholds {

  private final double fallback;
  private final Map<String, Double> methods;

  private Thresholds(double fallback, Map<String, Double> methods) {
    this.fallback = fallback;
    this.methods = methods;
  }

  /** No mismatch tolerated anywhere. */
  public static Thresholds strict() {
    return new Thresholds(0, Map.of());
  }

  /**
   * @throws IllegalArgumentException naming a rate outside [0, 1]
   */
  public static Thresholds of(double fallback, Map<String, Double> methods) {
    check("default", fallback);
    methods.forEach(Thresholds::check);
    return new Thresholds(fallback, new TreeMap<>(methods));
  }

  private static void check(String what, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("mismatch rate threshold of " + what + " must be in [0, 1], not " + rate);
    }
  }

  public double of(String subject) {
    return methods.getOrDefault(subject, fallback);
  }

  public double fallback() {
    return fallback;
  }

  public Map<String, Double> methods() {
    return java.util.Collections.unmodifiableMap(methods);
  }
}
