package io.natsharness.gateway.config;

import io.natsharness.gateway.cutover.CutoverMode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's configuration: listener, limits, timeouts, auth, legacy upstream, cutover modes
 * and per-route overrides. Immutable; made with {@link #builder()} or read from a properties file
 * with {@link ConfigFile#load(java.nio.file.Path)} (keys documented in gateway/README.md).
 *
 * <pre>{@code
 * GatewayConfig config = GatewayConfig.builder()
 *     .withPort(8080)
 *     .withLegacyUrl(URI.create("http://127.0.0.1:9000"))
 *     .withRoute("svc.util.payment.v1.charge", RouteSettings.none().withMode(CutoverMode.canary(5)))
 *     .build();
 * }</pre>
 */
public final class GatewayConfig {

  private final Builder b;

  private GatewayConfig(Builder b) {
    this.b = b.copy();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration, to change a few settings. */
  public Builder toBuilder() {
    return b.copy();
  }

  public String host() { return b.host; }
  public int port() { return b.port; }
  public String natsUrl() { return b.natsUrl; }
  /** Largest request body accepted; the gateway lowers it to NATS max_payload when above. */
  public long maxBodyBytes() { return b.maxBodyBytes; }
  public int maxInFlight() { return b.maxInFlight; }
  public int maxInFlightPerRoute() { return b.maxInFlightPerRoute; }
  public Duration retryAfter() { return b.retryAfter; }
  public Duration requestParseTimeout() { return b.requestParseTimeout; }
  public Duration idleTimeout() { return b.idleTimeout; }
  public Duration bodyReadTimeout() { return b.bodyReadTimeout; }
  public Duration defaultDeadline() { return b.defaultDeadline; }
  public Duration streamDeadline() { return b.streamDeadline; }
  public Duration streamIdleTimeout() { return b.streamIdleTimeout; }
  /** How often an idle SSE stream sends a comment line (also how a gone client is noticed). */
  public Duration sseKeepAlive() { return b.sseKeepAlive; }
  public Optional<String> defaultScope() { return Optional.ofNullable(b.defaultScope); }
  public Duration authCacheTtl() { return b.authCacheTtl; }
  public int authCacheMaxEntries() { return b.authCacheMaxEntries; }
  public Duration authTimeout() { return b.authTimeout; }
  public Optional<URI> legacyUrl() { return Optional.ofNullable(b.legacyUrl); }
  public Map<String, URI> legacyServiceUrls() { return Map.copyOf(b.legacyServiceUrls); }
  public Duration legacyTimeout() { return b.legacyTimeout; }
  public boolean routerSync() { return b.routerSync; }
  public Duration routerRefreshInterval() { return b.routerRefreshInterval; }
  public String playerKeyHeader() { return b.playerKeyHeader; }
  public CutoverMode defaultMode() { return b.defaultMode; }
  public int shadowMaxInFlight() { return b.shadowMaxInFlight; }
  /** Where SHADOW appends each mirrored request as a traffic record (NDJSON), if anywhere. */
  public Optional<Path> shadowRecordFile() { return Optional.ofNullable(b.shadowRecordFile); }
  /** Where SHADOW appends one observation (NDJSON) per compared request, if anywhere. */
  public Optional<Path> shadowObservationsFile() { return Optional.ofNullable(b.shadowObservationsFile); }
  public Map<String, RouteSettings> routes() { return Map.copyOf(b.routes); }

  /** The overrides of one route (by subject), or none. */
  public RouteSettings route(String subject) {
    return b.routes.getOrDefault(subject, RouteSettings.none());
  }

  /** The legacy upstream of a service: its own URL if configured, else the shared one. */
  public Optional<URI> legacyUrlFor(String service) {
    return Optional.ofNullable(b.legacyServiceUrls.getOrDefault(service, b.legacyUrl));
  }

  /** Builder of {@link GatewayConfig}; every setter checks its argument's format. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8080;
    private String natsUrl = "nats://127.0.0.1:4222";
    private long maxBodyBytes = 1024 * 1024;
    private int maxInFlight = 1024;
    private int maxInFlightPerRoute = 256;
    private Duration retryAfter = Duration.ofSeconds(1);
    private Duration requestParseTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Duration bodyReadTimeout = Duration.ofSeconds(10);
    private Duration defaultDeadline = Duration.ofSeconds(5);
    private Duration streamDeadline = Duration.ofMinutes(5);
    private Duration streamIdleTimeout = Duration.ofSeconds(30);
    private Duration sseKeepAlive = Duration.ofSeconds(15);
    private String defaultScope;
    private Duration authCacheTtl = Duration.ofSeconds(30);
    private int authCacheMaxEntries = 10_000;
    private Duration authTimeout = Duration.ofSeconds(2);
    private URI legacyUrl;
    private Map<String, URI> legacyServiceUrls = new LinkedHashMap<>();
    private Duration legacyTimeout = Duration.ofSeconds(30);
    private boolean routerSync = true;
    private Duration routerRefreshInterval = Duration.ofSeconds(30);
    private String playerKeyHeader = "X-Player-Id";
    private CutoverMode defaultMode = CutoverMode.nats();
    private int shadowMaxInFlight = 64;
    private Path shadowRecordFile;
    private Path shadowObservationsFile;
    private Map<String, RouteSettings> routes = new LinkedHashMap<>();

    private Builder() {}

    private Builder copy() {
      Builder c = new Builder();
      c.host = host; c.port = port; c.natsUrl = natsUrl; c.maxBodyBytes = maxBodyBytes;
      c.maxInFlight = maxInFlight; c.maxInFlightPerRoute = maxInFlightPerRoute;
      c.retryAfter = retryAfter; c.requestParseTimeout = requestParseTimeout;
      c.idleTimeout = idleTimeout; c.bodyReadTimeout = bodyReadTimeout;
      c.defaultDeadline = defaultDeadline; c.streamDeadline = streamDeadline;
      c.streamIdleTimeout = streamIdleTimeout; c.defaultScope = defaultScope;
      c.sseKeepAlive = sseKeepAlive;
      c.authCacheTtl = authCacheTtl; c.authCacheMaxEntries = authCacheMaxEntries;
      c.authTimeout = authTimeout; c.legacyUrl = legacyUrl;
      c.legacyServiceUrls = new LinkedHashMap<>(legacyServiceUrls); c.legacyTimeout = legacyTimeout;
      c.routerSync = routerSync; c.routerRefreshInterval = routerRefreshInterval;
      c.playerKeyHeader = playerKeyHeader; c.defaultMode = defaultMode;
      c.shadowMaxInFlight = shadowMaxInFlight; c.shadowRecordFile = shadowRecordFile;
      c.shadowObservationsFile = shadowObservationsFile; c.routes = new LinkedHashMap<>(routes);
      return c;
    }

    public Builder withHost(String h) { host = requireText(h, "host"); return this; }
    /** 0 picks a free port. */
    public Builder withPort(int p) { port = range(p, 0, 65535, "port"); return this; }
    public Builder withNatsUrl(String url) { natsUrl = requireText(url, "nats url"); return this; }
    public Builder withMaxBodyBytes(long n) {
      if (n < 1) {
        throw new IllegalArgumentException("max body bytes must be at least 1, not " + n);
      }
      maxBodyBytes = n;
      return this;
    }
    public Builder withMaxInFlight(int n) { maxInFlight = range(n, 1, Integer.MAX_VALUE, "max in-flight"); return this; }
    public Builder withMaxInFlightPerRoute(int n) {
      maxInFlightPerRoute = range(n, 1, Integer.MAX_VALUE, "max in-flight per route");
      return this;
    }
    public Builder withRetryAfter(Duration d) { retryAfter = positive(d, "retry-after"); return this; }
    public Builder withRequestParseTimeout(Duration d) { requestParseTimeout = positive(d, "request parse timeout"); return this; }
    public Builder withIdleTimeout(Duration d) { idleTimeout = positive(d, "idle timeout"); return this; }
    public Builder withBodyReadTimeout(Duration d) { bodyReadTimeout = positive(d, "body read timeout"); return this; }
    public Builder withDefaultDeadline(Duration d) { defaultDeadline = positive(d, "default deadline"); return this; }
    public Builder withStreamDeadline(Duration d) { streamDeadline = positive(d, "stream deadline"); return this; }
    public Builder withStreamIdleTimeout(Duration d) { streamIdleTimeout = positive(d, "stream idle timeout"); return this; }
    public Builder withSseKeepAlive(Duration d) { sseKeepAlive = positive(d, "sse keep-alive"); return this; }
    /** The scope every route needs unless it says otherwise; empty means no auth by default. */
    public Builder withDefaultScope(String s) { defaultScope = s == null || s.isBlank() ? null : s.trim(); return this; }
    public Builder withAuthCacheTtl(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("auth cache ttl must not be negative, not " + d);
      }
      authCacheTtl = d;
      return this;
    }
    public Builder withAuthCacheMaxEntries(int n) { authCacheMaxEntries = range(n, 0, Integer.MAX_VALUE, "auth cache max entries"); return this; }
    public Builder withAuthTimeout(Duration d) { authTimeout = positive(d, "auth timeout"); return this; }
    public Builder withLegacyUrl(URI u) { legacyUrl = httpUri(u, "legacy url"); return this; }
    public Builder withLegacyServiceUrl(String service, URI u) {
      legacyServiceUrls.put(requireText(service, "service"), httpUri(u, "legacy url of " + service));
      return this;
    }
    public Builder withLegacyTimeout(Duration d) { legacyTimeout = positive(d, "legacy timeout"); return this; }
    public Builder withRouterSync(boolean on) { routerSync = on; return this; }
    /** How often the route modes are re-read from the router service besides its events. */
    public Builder withRouterRefreshInterval(Duration d) { routerRefreshInterval = positive(d, "router refresh interval"); return this; }
    public Builder withPlayerKeyHeader(String h) { playerKeyHeader = requireText(h, "player key header"); return this; }
    public Builder withDefaultMode(CutoverMode m) { defaultMode = Objects.requireNonNull(m, "default mode"); return this; }
    public Builder withShadowMaxInFlight(int n) { shadowMaxInFlight = range(n, 1, Integer.MAX_VALUE, "shadow max in-flight"); return this; }
    /** Records each request SHADOW mirrors to this traffic file (appended; see {@code TrafficWriter}). */
    public Builder withShadowRecordFile(Path file) { shadowRecordFile = Objects.requireNonNull(file, "shadow record file"); return this; }
    /** Writes each compared SHADOW request as an observation line (appended; see {@code ObservationFile}). */
    public Builder withShadowObservationsFile(Path file) { shadowObservationsFile = Objects.requireNonNull(file, "shadow observations file"); return this; }
    /** Overrides for the route whose method has this NATS subject. */
    public Builder withRoute(String subject, RouteSettings settings) {
      routes.put(requireText(subject, "route subject"), Objects.requireNonNull(settings, "settings"));
      return this;
    }

    /** Checks what depends on several settings and makes the configuration. */
    public GatewayConfig build() {
      if (maxInFlightPerRoute > maxInFlight) {
        maxInFlightPerRoute = maxInFlight;
      }
      return new GatewayConfig(this);
    }

    private static String requireText(String s, String what) {
      if (s == null || s.isBlank()) {
        throw new IllegalArgumentException(what + " must not be empty");
      }
      return s.trim();
    }

    private static int range(int v, int min, int max, String what) {
      if (v < min || v > max) {
        throw new IllegalArgumentException(what + " must be in [" + min + ", " + max + "], not " + v);
      }
      return v;
    }

    private static Duration positive(Duration d, String what) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be a positive duration, not " + d);
      }
      return d;
    }

    private static URI httpUri(URI u, String what) {
      if (u == null || u.getHost() == null
          || !("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
        throw new IllegalArgumentException(what + " must be an http(s) URL with a host, not " + u);
      }
      return u;
    }
  }
}
