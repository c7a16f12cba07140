package io.natsharness.gateway.config;

import io.natsharness.gateway.cutover.CutoverMode;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a {@link GatewayConfig} from a Java properties file. Unknown keys are refused (a typo must
 * not silently leave a default in place). Durations are ISO-8601 ({@code PT5S}) or a number with
 * {@code ms}, {@code s}, {@code m} or {@code h}. The keys are listed in gateway/README.md.
 *
 * <pre>{@code
 * GatewayConfig config = ConfigFile.load(Path.of("gateway.properties"));
 * }</pre>
 */
public final class ConfigFile {

  private static final Pattern ROUTE_KEY = Pattern.compile(
      "route\\.(.+)\\.(mode|canary-percent|deadline|scope|max-in-flight|shadow-ignore)");
  private static final Pattern LEGACY_SERVICE_KEY = Pattern.compile("legacy\\.service\\.([a-z0-9_]+)\\.url");
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private ConfigFile() {}

  /** Reads and parses a properties file. */
  public static GatewayConfig load(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read gateway configuration " + file + ": " + e.getMessage(), e);
    }
    return parse(p);
  }

  /** Parses properties (keys as in the file). */
  public static GatewayConfig parse(Properties p) {
    GatewayConfig.Builder b = GatewayConfig.builder();
    Map<String, Map<String, String>> routeKeys = new LinkedHashMap<>();
    for (String key : new TreeSet<>(p.stringPropertyNames())) {
      String v = p.getProperty(key).trim();
      try {
        apply(b, key, v, routeKeys);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("configuration key '" + key + "': " + e.getMessage(), e);
      }
    }
    routeKeys.forEach((subject, keys) -> {
      try {
        b.withRoute(subject, route(keys));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("configuration of route " + subject + ": " + e.getMessage(), e);
      }
    });
    return b.build();
  }

  private static void apply(GatewayConfig.Builder b, String key, String v, Map<String, Map<String, String>> routes) {
    switch (key) {
      case "listen.host" -> b.withHost(v);
      case "listen.port" -> b.withPort(integer(v));
      case "nats.url" -> b.withNatsUrl(v);
      case "limits.max-body-bytes" -> b.withMaxBodyBytes(longValue(v));
      case "limits.max-in-flight" -> b.withMaxInFlight(integer(v));
      case "limits.max-in-flight-per-route" -> b.withMaxInFlightPerRoute(integer(v));
      case "limits.retry-after" -> b.withRetryAfter(duration(v));
      case "timeouts.request-parse" -> b.withRequestParseTimeout(duration(v));
      case "timeouts.idle" -> b.withIdleTimeout(duration(v));
      case "timeouts.body-read" -> b.withBodyReadTimeout(duration(v));
      case "timeouts.deadline" -> b.withDefaultDeadline(duration(v));
      case "timeouts.stream-deadline" -> b.withStreamDeadline(duration(v));
      case "timeouts.stream-idle" -> b.withStreamIdleTimeout(duration(v));
      case "timeouts.sse-keepalive" -> b.withSseKeepAlive(duration(v));
      case "auth.default-scope" -> b.withDefaultScope(v);
      case "auth.cache-ttl" -> b.withAuthCacheTtl(duration(v));
      case "auth.cache-max-entries" -> b.withAuthCacheMaxEntries(integer(v));
      case "auth.timeout" -> b.withAuthTimeout(duration(v));
      case "legacy.url" -> b.withLegacyUrl(uri(v));
      case "legacy.timeout" -> b.withLegacyTimeout(duration(v));
      case "router.sync" -> b.withRouterSync(bool(v));
      case "router.refresh-interval" -> b.withRouterRefreshInterval(duration(v));
      case "cutover.default-mode" -> b.withDefaultMode(CutoverMode.parse(v, 0));
      case "cutover.player-key-header" -> b.withPlayerKeyHeader(v);
      case "shadow.max-in-flight" -> b.withShadowMaxInFlight(integer(v));
      case "shadow.record-file" -> b.withShadowRecordFile(path(v));
      case "shadow.observations-file" -> b.withShadowObservationsFile(path(v));
      default -> {
        Matcher legacy = LEGACY_SERVICE_KEY.matcher(key);
        Matcher route = ROUTE_KEY.matcher(key);
        if (legacy.matches()) {
          b.withLegacyServiceUrl(legacy.group(1), uri(v));
        } else if (route.matches()) {
          routes.computeIfAbsent(route.group(1), s -> new LinkedHashMap<>()).put(route.group(2), v);
        } else {
          throw new IllegalArgumentException("unknown key (see gateway/README.md for the keys)");
        }
      }
    }
  }

  private static RouteSettings route(Map<String, String> keys) {
    RouteSettings s = RouteSettings.none();
    if (keys.containsKey("mode")) {
      int percent = keys.containsKey("canary-percent") ? integer(keys.get("canary-percent")) : 0;
      s = s.withMode(CutoverMode.parse(keys.get("mode"), percent));
    } else if (keys.containsKey("canary-percent")) {
      throw new IllegalArgumentException("canary-percent needs mode=CANARY");
    }
    if (keys.containsKey("deadline")) {
      s = s.withDeadline(duration(keys.get("deadline")));
    }
    if (keys.containsKey("scope")) {
      s = s.withScope(keys.get("scope"));
    }
    if (keys.containsKey("max-in-flight")) {
      s = s.withMaxInFlight(integer(keys.get("max-in-flight")));
    }
    if (keys.containsKey("shadow-ignore")) {
      Set<String> fields = Arrays.stream(keys.get("shadow-ignore").split(","))
          .map(String::trim).filter(f -> !f.isEmpty()).collect(Collectors.toUnmodifiableSet());
      s = s.withShadowIgnoredFields(fields);
    }
    return s;
  }

  /** Parses {@code PT5S}, {@code 500ms}, {@code 5s}, {@code 2m} or {@code 1h}. */
  public static Duration duration(String v) {
    Matcher m = SHORT_DURATION.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    try {
      return Duration.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + v + "' is not a duration (e.g. PT5S, 500ms, 5s, 2m, 1h)");
    }
  }

  private static int integer(String v) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + v + "' is not an integer");
    }
  }

  private static long longValue(String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + v + "' is not an integer");
    }
  }

  private static boolean bool(String v) {
    return switch (v.toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("'" + v + "' is not true or false");
    };
  }

  private static URI uri(String v) {
    try {
      return URI.create(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + v + "' is not a URL");
    }
  }

  private static Path path(String v) {
    if (v.isBlank()) {
      throw new IllegalArgumentException("a file path must not be empty");
    }
    try {
      return Path.of(v.trim());
    } catch (java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException("'" + v + "' is not a file path");
    }
  }
}
