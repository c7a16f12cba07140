package io.natsharness.sdk.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.service.Service;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Serves {@link NatsService}s over NATS as ADR-32 services (jnats' Service API): name and semver
 * version from the catalog, one endpoint per method on its subject in queue group {@code q},
 * metadata with the proto package.
 *
 * <pre>{@code
 * try (ServiceHost host = ServiceHost.builder()
 *     .connection(nats)
 *     .add(new PaymentService(redis), new TimeService(redis))
 *     .build()) {
 *   host.start();
 *   ...
 * } // close() drains in-flight requests
 * }</pre>
 */
public final class ServiceHost implements AutoCloseable {

  private final Builder config;

  private ServiceHost(Builder config) {
    this.config = config;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Registers every service and starts answering. */
  public ServiceHost start() {
    throw new UnsupportedOperationException("ServiceHost.start is not implemented yet (issue 3, step 2)");
  }

  /** The running jnats services (ids, info, stats), in the order they were added. */
  public List<Service> services() {
    throw new UnsupportedOperationException("ServiceHost.services is not implemented yet (issue 3, step 2)");
  }

  /** Stops taking requests and waits up to the drain timeout for in-flight ones to finish. */
  public void stop() {
    throw new UnsupportedOperationException("ServiceHost.stop is not implemented yet (issue 3, step 2)");
  }

  @Override
  public void close() {
    stop();
  }

  /** Builds a {@link ServiceHost}; a connection and at least one service are required. */
  public static final class Builder {
    private Connection connection;
    private final List<NatsService> services = new ArrayList<>();
    private String version;
    private int maxConcurrency = 64;
    private Duration drainTimeout = Duration.ofSeconds(10);
    private MeterRegistry meterRegistry;
    private OpenTelemetry openTelemetry;

    private Builder() {}

    public Builder connection(Connection connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
      return this;
    }

    /** Adds services (each checked against the catalog at {@code build()}). */
    public Builder add(NatsService... services) {
      for (NatsService s : services) {
        this.services.add(Objects.requireNonNull(s, "service"));
      }
      return this;
    }

    /** Overrides the catalog's version for every service (must be semver, e.g. {@code 1.2.0}). */
    public Builder version(String version) {
      if (version == null || !version.matches("\\d+\\.\\d+\\.\\d+([-+][0-9A-Za-z.+-]*)?")) {
        throw new IllegalArgumentException("version must be semver (e.g. 1.2.0): " + version);
      }
      this.version = version;
      return this;
    }

    /** How many requests run at once across the host's services (default 64). */
    public Builder maxConcurrency(int maxConcurrency) {
      if (maxConcurrency < 1) {
        throw new IllegalArgumentException("maxConcurrency must be at least 1: " + maxConcurrency);
      }
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    /** How long {@code stop()} waits for in-flight requests (default 10 s). */
    public Builder drainTimeout(Duration drainTimeout) {
      if (drainTimeout == null || drainTimeout.isNegative()) {
        throw new IllegalArgumentException("drainTimeout must not be negative: " + drainTimeout);
      }
      this.drainTimeout = drainTimeout;
      return this;
    }

    /** Records per-method timers and counters here (default: none). */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    /** Traces handlers with this OpenTelemetry (default: GlobalOpenTelemetry). */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    Optional<String> version() {
      return Optional.ofNullable(version);
    }

    public ServiceHost build() {
      if (connection == null) {
        throw new IllegalStateException("ServiceHost needs a connection: call connection(..) before build()");
      }
      if (services.isEmpty()) {
        throw new IllegalStateException("ServiceHost needs at least one service: call add(..) before build()");
      }
      return new ServiceHost(this);
    }
  }
}
