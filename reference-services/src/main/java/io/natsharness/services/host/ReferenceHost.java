package io.natsharness.services.host;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.natsharness.sdk.spi.ImplementationProvider;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs any subset of the 22 reference services in one process: each on NATS (ADR-32 services in
 * queue group {@code q}, so hosts side by side share the load) and on its legacy HTTP/JSON
 * routes, with {@code /metrics} (Prometheus) and {@code /health} on the same HTTP port.
 * Closing it drains: the HTTP side stops taking requests and finishes those in flight, the NATS
 * side drains, background work stops, then the connections close.
 *
 * <pre>{@code
 * try (ReferenceHost host = ReferenceHost.builder()
 *     .withNatsUrl("nats://127.0.0.1:4222")
 *     .withRedisUrl("redis://127.0.0.1:6379")
 *     .withServices("payment,quest_system")
 *     .start()) {
 *   System.out.println(host.httpUrl() + " serves " + host.services());
 * }
 * }</pre>
 */
public final class ReferenceHost implements AutoCloseable {

  private final HostRuntime runtime;

  private ReferenceHost(HostRuntime runtime) {
    this.runtime = runtime;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Catalog names of the services this host runs, in catalog order. */
  public List<String> services() {
    return runtime.services();
  }

  /** The port the HTTP side listens on (the one picked when 0 was asked for). */
  public int httpPort() {
    return runtime.httpPort();
  }

  /** Base URL of the HTTP side, e.g. {@code http://127.0.0.1:8080}. */
  public String httpUrl() {
    return runtime.httpUrl();
  }

  /** The registry behind {@code /metrics}. */
  public PrometheusMeterRegistry metrics() {
    return runtime.metrics();
  }

  /** Drains and stops; idempotent. */
  @Override
  public void close() {
    runtime.close();
  }

  /**
   * Settings of a host. {@code withNatsUrl} and {@code withRedisUrl} are required; everything
   * else has a default: HTTP on 127.0.0.1 and a free port, key prefix {@code nh:}, every service,
   * world seed 42, the system clock, a 10 s drain.
   */
  public static final class Builder {
    private String natsUrl;
    private String redisUrl;
    private String httpHost = "127.0.0.1";
    private int httpPort;
    private String keyPrefix = "nh:";
    private String services = "all";
    private long worldSeed = 42L;
    private Clock clock = Clock.systemUTC();
    private Duration drainTimeout = Duration.ofSeconds(10);
    private String natsUser;
    private String natsPassword;
    private String natsToken;
    private String natsNkeySeed;
    private String natsCaFile;
    private String natsCertFile;
    private String natsKeyFile;
    private String redisUser;
    private String redisPassword;

    private Builder() {}

    /** A NATS URL such as {@code nats://127.0.0.1:4222} (several comma-separated for a cluster). */
    public Builder withNatsUrl(String url) {
      this.natsUrl = requireText(url, "NATS URL");
      return this;
    }

    /** A Redis URI such as {@code redis://127.0.0.1:6379} or {@code rediss://…} for TLS. */
    public Builder withRedisUrl(String url) {
      String checked = requireText(url, "Redis URL");
      if (!checked.startsWith("redis://") && !checked.startsWith("rediss://")) {
        throw new IllegalArgumentException("Redis URL must start with redis:// or rediss://: " + url);
      }
      this.redisUrl = checked;
      return this;
    }

    /** The HTTP interface to bind; 127.0.0.1 by default. */
    public Builder withHttpHost(String host) {
      this.httpHost = requireText(host, "HTTP host");
      return this;
    }

    /** The HTTP port, 0 for a free one. */
    public Builder withHttpPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("HTTP port must be in [0, 65535]: " + port);
      }
      this.httpPort = port;
      return this;
    }

    /** Prefix of every Redis key (isolates runs sharing one Redis); may be empty. */
    public Builder withKeyPrefix(String prefix) {
      this.keyPrefix = Objects.requireNonNull(prefix, "key prefix");
      return this;
    }

    /** {@code all} or a comma list of catalog service names; checked against the catalog now. */
    public Builder withServices(String spec) {
      ServiceClasses.select(spec);
      this.services = spec;
      return this;
    }

    /** The listed catalog services. */
    public Builder withServices(List<String> names) {
      return withServices(String.join(",", names));
    }

    public Builder withWorldSeed(long seed) {
      this.worldSeed = seed;
      return this;
    }

    /** The clock the services use for timestamps, leases and TTLs. */
    public Builder withClock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How long closing waits for requests in flight. */
    public Builder withDrainTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative()) {
        throw new IllegalArgumentException("drain timeout must not be negative: " + timeout);
      }
      this.drainTimeout = timeout;
      return this;
    }

    /**
     * Applies the variables of {@link ImplementationProvider}'s environment that are present:
     * NATS_URL, REDIS_URL, HTTP_PORT, NH_KEY_PREFIX, NH_SERVICES, NH_WORLD_SEED, and the NATS and
     * Redis credential and TLS variables.
     */
    public Builder withEnvironment(Map<String, String> env) {
      Objects.requireNonNull(env, "environment");
      value(env, ImplementationProvider.NATS_URL).ifPresent(this::withNatsUrl);
      value(env, ImplementationProvider.REDIS_URL).ifPresent(this::withRedisUrl);
      value(env, ImplementationProvider.HTTP_PORT).ifPresent(v -> withHttpPort(parseInt(v, "HTTP_PORT")));
      if (env.containsKey(ImplementationProvider.NH_KEY_PREFIX)) {
        withKeyPrefix(env.get(ImplementationProvider.NH_KEY_PREFIX));
      }
      value(env, ImplementationProvider.NH_SERVICES).ifPresent(this::withServices);
      value(env, "NH_WORLD_SEED").ifPresent(v -> withWorldSeed(parseLong(v, "NH_WORLD_SEED")));
      natsUser = value(env, ImplementationProvider.NATS_USER).orElse(natsUser);
      natsPassword = value(env, ImplementationProvider.NATS_PASSWORD).orElse(natsPassword);
      natsToken = value(env, ImplementationProvider.NATS_TOKEN).orElse(natsToken);
      natsNkeySeed = value(env, ImplementationProvider.NATS_NKEY_SEED).orElse(natsNkeySeed);
      natsCaFile = value(env, ImplementationProvider.NATS_CA_FILE).orElse(natsCaFile);
      natsCertFile = value(env, ImplementationProvider.NATS_CERT_FILE).orElse(natsCertFile);
      natsKeyFile = value(env, ImplementationProvider.NATS_KEY_FILE).orElse(natsKeyFile);
      redisUser = value(env, ImplementationProvider.REDIS_USER).orElse(redisUser);
      redisPassword = value(env, ImplementationProvider.REDIS_PASSWORD).orElse(redisPassword);
      return this;
    }

    /**
     * Connects, starts the services on NATS and HTTP, and returns the running host.
     *
     * @throws IllegalStateException when a required setting is missing, a connection fails or a
     *     service cannot start (everything already started is closed again)
     */
    public ReferenceHost start() {
      if (natsUrl == null) {
        throw new IllegalStateException("the host needs a NATS URL: call withNatsUrl(..) or set NATS_URL");
      }
      if (redisUrl == null) {
        throw new IllegalStateException("the host needs a Redis URL: call withRedisUrl(..) or set REDIS_URL");
      }
      HostSettings settings = new HostSettings(natsUrl, redisUrl, httpHost, httpPort, keyPrefix, services,
          worldSeed, clock, drainTimeout, Optional.ofNullable(natsUser), Optional.ofNullable(natsPassword),
          Optional.ofNullable(natsToken), Optional.ofNullable(natsNkeySeed), Optional.ofNullable(natsCaFile),
          Optional.ofNullable(natsCertFile), Optional.ofNullable(natsKeyFile), Optional.ofNullable(redisUser),
          Optional.ofNullable(redisPassword));
      return new ReferenceHost(HostRuntime.start(settings));
    }

    private static Optional<String> value(Map<String, String> env, String name) {
      return Optional.ofNullable(env.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }

    private static int parseInt(String value, String name) {
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a number: " + value, e);
      }
    }

    private static long parseLong(String value, String name) {
      try {
        return Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a number: " + value, e);
      }
    }

    private static String requireText(String value, String what) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(what + " must not be empty");
      }
      return value.strip();
    }
  }
}
