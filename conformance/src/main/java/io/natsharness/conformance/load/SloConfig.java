package io.natsharness.conformance.load;

import io.natsharness.conformance.load.transport.TransportKind;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SLOs from configuration: defaults for every method and transport, overridden per method
 * ({@code <subject>.<metric>}) and per method and transport ({@code <subject>.<transport>.<metric>}).
 * Metrics: {@code p50 p90 p99 p999 max} (a duration: {@code 5ms}, {@code 800us}, {@code 1.5s}),
 * {@code rate} (requests per second) and {@code error-rate} (a share, {@code 0.001}, or a
 * percentage, {@code 0.1%}). Unknown keys are refused, so a typo cannot leave a default in force.
 *
 * <pre>
 * p99=5ms
 * rate=10000
 * svc.ai.llm.v1.infer.p99=20ms
 * svc.ai.llm.v1.infer.legacy.p99=40ms
 * </pre>
 *
 * <pre>{@code
 * SloConfig slo = SloConfig.read(Path.of("slo.properties"), ServiceCatalog.load());
 * slo.forResult("svc.ai.llm.v1.infer", TransportKind.NATS);
 * }</pre>
 */
public final class SloConfig {

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|µs|ms|s)");
  private static final java.util.Set<String> METRICS = java.util.Set.of("p50", "p90", "p99", "p999", "max", "rate",
      "error-rate");

  /** Settings by scope: "" for the defaults, a subject, or "subject/transport". */
  private final Map<String, Map<String, String>> scopes;

  private SloConfig(Map<String, Map<String, String>> scopes) {
    this.scopes = scopes;
  }

  /** The seed's objective for everything ({@link Slo#defaults()}). */
  public static SloConfig defaults() {
    return new SloConfig(new LinkedHashMap<>(Map.of("", Map.of())));
  }

  /**
   * Reads a properties file.
   *
   * @throws IllegalArgumentException naming the first bad key or value
   */
  public static SloConfig read(Path file, ServiceCatalog catalog) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    SloConfig config = defaults();
    for (String key : new java.util.TreeSet<>(p.stringPropertyNames())) {
      config = config.with(key, p.getProperty(key).trim(), catalog);
    }
    return config;
  }

  /**
   * This configuration with one more setting, keyed as in the file.
   *
   * @throws IllegalArgumentException for an unknown key or a bad value
   */
  public SloConfig with(String key, String value, ServiceCatalog catalog) {
    int dot = key.lastIndexOf('.');
    String metric = key.substring(dot + 1);
    String prefix = dot < 0 ? "" : key.substring(0, dot);
    if (!METRICS.contains(metric)) {
      throw new IllegalArgumentException("unknown SLO key '" + key + "': it must end in one of " + new java.util.TreeSet<>(METRICS));
    }
    String scope = scope(prefix, key, catalog);
    apply(new HashMap<>(), metric, value, key);
    Map<String, Map<String, String>> copy = new LinkedHashMap<>();
    scopes.forEach((s, m) -> copy.put(s, new LinkedHashMap<>(m)));
    copy.computeIfAbsent(scope, s -> new LinkedHashMap<>()).put(metric, value);
    return new SloConfig(copy);
  }

  private static String scope(String prefix, String key, ServiceCatalog catalog) {
    if (prefix.isEmpty() || catalog.method(prefix).isPresent()) {
      return prefix;
    }
    int dot = prefix.lastIndexOf('.');
    if (dot > 0 && catalog.method(prefix.substring(0, dot)).isPresent()) {
      TransportKind kind;
      try {
        kind = TransportKind.parse(prefix.substring(dot + 1));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("SLO key '" + key + "': " + e.getMessage());
      }
      return prefix.substring(0, dot) + "/" + kind.id();
    }
    throw new IllegalArgumentException("SLO key '" + key + "' names no catalog method: '" + prefix + "'");
  }

  /** The SLO of a method over a transport: defaults, then the method's, then the pair's settings. */
  public Slo forResult(String subject, TransportKind transport) {
    Map<String, Long> latency = new HashMap<>(Slo.defaults().latencyMicros());
    double[] rateAndErrors = {Slo.defaults().rate(), Slo.defaults().maxErrorRate()};
    for (String scope : new String[] {"", subject, subject + "/" + transport.id()}) {
      Map<String, String> settings = scopes.getOrDefault(scope, Map.of());
      settings.forEach((metric, value) -> {
        Map<String, Object> parsed = new HashMap<>();
        apply(parsed, metric, value, scope.isEmpty() ? metric : scope + "." + metric);
        if (metric.equals("rate")) {
          rateAndErrors[0] = (Double) parsed.get(metric);
        } else if (metric.equals("error-rate")) {
          rateAndErrors[1] = (Double) parsed.get(metric);
        } else {
          latency.put(metric, (Long) parsed.get(metric));
        }
      });
    }
    return new Slo(latency, rateAndErrors[0], rateAndErrors[1]);
  }

  /** The SLO of anything without a setting of its own. */
  public Slo defaultSlo() {
    return forResult("", TransportKind.NATS);
  }

  private static void apply(Map<String, Object> into, String metric, String value, String key) {
    switch (metric) {
      case "rate" -> into.put(metric, number(value, key));
      case "error-rate" -> {
        boolean percent = value.endsWith("%");
        double v = number(percent ? value.substring(0, value.length() - 1) : value, key) / (percent ? 100 : 1);
        if (v > 1) {
          throw new IllegalArgumentException("SLO key '" + key + "': an error rate is at most 1 (or 100%), not '" + value + "'");
        }
        into.put(metric, v);
      }
      default -> into.put(metric, micros(value, key));
    }
  }

  /** Microseconds of a duration such as {@code 5ms}, {@code 800us}, {@code 1.5s}. */
  public static long micros(String value, String key) {
    Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("SLO key '" + key + "': '" + value + "' is not a duration like 5ms, 800us or 1.5s");
    }
    double n = Double.parseDouble(m.group(1));
    double factor = switch (m.group(2)) {
      case "us", "µs" -> 1;
      case "ms" -> 1_000;
      default -> 1_000_000;
    };
    return Math.round(n * factor);
  }

  private static double number(String value, String key) {
    try {
      double v = Double.parseDouble(value.trim());
      if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("SLO key '" + key + "': '" + value + "' is not a number ≥ 0");
    }
  }
}
