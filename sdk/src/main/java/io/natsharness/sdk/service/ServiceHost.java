package io.natsharness.sdk.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.service.Service;
import io.natsharness.sdk.internal.Telemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private static final Logger LOG = LoggerFactory.getLogger(ServiceHost.class);

  private final Connection connection;
  private final List<ServiceDefinition> definitions;
  private final Builder config;
  private final HostRuntime runtime;
  private final ExecutorService executor;
  private final boolean ownsExecutor;
  private final List<HostedService> hosted = new ArrayList<>();
  private State state = State.NEW;

  private enum State { NEW, STARTED, STOPPED }

  private ServiceHost(Builder config, List<ServiceDefinition> definitions) {
    this.config = config;
    this.connection = config.connection;
    this.definitions = List.copyOf(definitions);
    this.runtime = new HostRuntime(connection, new Telemetry(config.openTelemetry, config.meterRegistry),
        config.defaultDeadline, new AtomicBoolean());
    this.ownsExecutor = config.executor == null;
    this.executor = ownsExecutor ? boundedExecutor(config.maxConcurrency, config.maxQueued) : config.executor;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers every service and starts answering; returns once each one answers {@code $SRV.PING}.
   *
   * @throws IllegalStateException when already started or stopped, or a service does not start
   *     within 10 s
   */
  public synchronized ServiceHost start() {
    if (state != State.NEW) {
      throw new IllegalStateException("ServiceHost can start once; it is " + state.name().toLowerCase(Locale.ROOT));
    }
    state = State.STARTED;
    for (ServiceDefinition definition : definitions) {
      hosted.add(HostedService.start(runtime, definition, executor,
          config.version().orElse(definition.info().version()), config.drainTimeout));
    }
    for (HostedService h : hosted) {
      if (!h.service().isStarted(10, TimeUnit.SECONDS)) {
        stop();
        throw new IllegalStateException("service " + h.service().getName() + " did not start within 10 s");
      }
    }
    try {
      // The server has our subscriptions once the flush returns: a request sent right after
      // start() finds a responder instead of "no responders".
      connection.flush(Duration.ofSeconds(10));
    } catch (TimeoutException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      stop();
      throw new IllegalStateException("the NATS server did not confirm the subscriptions within 10 s", e);
    }
    LOG.info("hosting {} on {}", definitions.stream().map(d -> d.info().name()).toList(), connection.getConnectedUrl());
    return this;
  }

  /** The running jnats services (ids, info, stats), in the order they were added. */
  public synchronized List<Service> services() {
    return hosted.stream().map(HostedService::service).toList();
  }

  /** The definitions this host serves, in the order they were added. */
  public List<ServiceDefinition> definitions() {
    return definitions;
  }

  /**
   * Stops taking requests, cancels running streams, and waits up to the drain timeout for
   * in-flight requests to be answered. Idempotent.
   */
  public synchronized void stop() {
    if (state == State.STOPPED) {
      return;
    }
    state = State.STOPPED;
    runtime.stopping().set(true);
    for (HostedService h : hosted) {
      h.stop(config.drainTimeout);
    }
    if (ownsExecutor) {
      executor.shutdown();
    }
    try {
      // The last answers sit in jnats' outgoing buffer: make sure the server has them.
      connection.flush(config.drainTimeout);
    } catch (Exception e) {
      LOG.debug("flush after stop failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static ExecutorService boundedExecutor(int threads, int queued) {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(queued), r -> {
          Thread t = new Thread(r, "nh-host-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Builds a {@link ServiceHost}; a connection and at least one service are required. */
  public static final class Builder {
    private Connection connection;
    private final List<NatsService> services = new ArrayList<>();
    private String version;
    private int maxConcurrency = 64;
    private int maxQueued = 1024;
    private ExecutorService executor;
    private Duration defaultDeadline = Duration.ofSeconds(30);
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

    /** How many requests may wait for a worker before more are answered UNAVAILABLE (default 1024). */
    public Builder maxQueued(int maxQueued) {
      if (maxQueued < 1) {
        throw new IllegalArgumentException("maxQueued must be at least 1: " + maxQueued);
      }
      this.maxQueued = maxQueued;
      return this;
    }

    /**
     * Runs handlers on this executor instead of the host's own bounded pool (the caller owns and
     * shuts it down; its bounds replace maxConcurrency and maxQueued; a refused task is answered
     * UNAVAILABLE).
     */
    public Builder executor(ExecutorService executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The deadline of requests that carry no {@code Nh-Deadline} (default 30 s after receipt). */
    public Builder defaultDeadline(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("defaultDeadline must be positive: " + timeout);
      }
      this.defaultDeadline = timeout;
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
      List<ServiceDefinition> definitions = new ArrayList<>();
      java.util.Set<String> names = new java.util.HashSet<>();
      for (NatsService service : services) {
        ServiceDefinition definition = ServiceDefinition.of(service);
        if (!names.add(definition.info().name())) {
          throw new IllegalArgumentException("service '" + definition.info().name() + "' added twice");
        }
        definitions.add(definition);
      }
      return new ServiceHost(this, definitions);
    }
  }
}
