package io.natsharness.sdk.client;

import com.google.protobuf.Message;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.natsharness.proto.catalog.MethodInfo;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Typed calls of catalog methods over NATS, following WIRE.md: every call carries a deadline,
 * trace context, a request id and, where the method needs one, an Idempotency-Key. Every failure
 * surfaces as {@link io.natsharness.sdk.status.RpcException}.
 *
 * <pre>{@code
 * try (RpcClient client = RpcClient.builder().connection(nats).defaultDeadline(Duration.ofSeconds(5)).build()) {
 *   Wallet wallet = client.call("svc.util.payment.v1.get_balance",
 *       GetBalanceRequest.newBuilder().setWalletId("wal-1").build());
 * }
 * }</pre>
 */
public final class RpcClient implements AutoCloseable {

  private final Builder config;

  private RpcClient(Builder config) {
    this.config = config;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Calls the method answering on {@code subject} with default options. */
  public <R extends Message> R call(String subject, Message request) {
    return call(subject, request, CallOptions.defaults());
  }

  /** Calls the method answering on {@code subject}. */
  public <R extends Message> R call(String subject, Message request, CallOptions options) {
    throw new UnsupportedOperationException("RpcClient.call is not implemented yet (issue 3, step 2)");
  }

  /** Calls {@code method}. */
  public <R extends Message> R call(MethodInfo method, Message request, CallOptions options) {
    throw new UnsupportedOperationException("RpcClient.call is not implemented yet (issue 3, step 2)");
  }

  /** Calls asynchronously; the future fails with RpcException. */
  public <R extends Message> CompletableFuture<R> callAsync(String subject, Message request, CallOptions options) {
    throw new UnsupportedOperationException("RpcClient.callAsync is not implemented yet (issue 3, step 2)");
  }

  /** Calls {@code method} asynchronously. */
  public <R extends Message> CompletableFuture<R> callAsync(MethodInfo method, Message request, CallOptions options) {
    throw new UnsupportedOperationException("RpcClient.callAsync is not implemented yet (issue 3, step 2)");
  }

  /** Opens a server stream. */
  public <R extends Message> ResponseStream<R> stream(String subject, Message request, CallOptions options) {
    throw new UnsupportedOperationException("RpcClient.stream is not implemented yet (issue 3, step 4)");
  }

  /** Opens a server stream of {@code method}. */
  public <R extends Message> ResponseStream<R> stream(MethodInfo method, Message request, CallOptions options) {
    throw new UnsupportedOperationException("RpcClient.stream is not implemented yet (issue 3, step 4)");
  }

  /** Releases the client's resources; the connection stays open (it belongs to the caller). */
  @Override
  public void close() {
    throw new UnsupportedOperationException("RpcClient.close is not implemented yet (issue 3, step 2)");
  }

  /** Builds an {@link RpcClient}; the connection is required. */
  public static final class Builder {
    private Connection connection;
    private Duration defaultDeadline = Duration.ofSeconds(10);
    private RetryPolicy retry = RetryPolicy.defaults();
    private CircuitBreakerConfig circuitBreaker = CircuitBreakerConfig.ofDefaults();
    private int maxInFlight = 256;
    private OpenTelemetry openTelemetry;
    private MeterRegistry meterRegistry;

    private Builder() {}

    public Builder connection(Connection connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
      return this;
    }

    /** The deadline of calls that give none and inherit none (default 10 s). */
    public Builder defaultDeadline(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("defaultDeadline must be positive: " + timeout);
      }
      this.defaultDeadline = timeout;
      return this;
    }

    /** How UNAVAILABLE is retried on safe-to-retry methods (default {@link RetryPolicy#defaults()}). */
    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** The configuration of the circuit breaker kept per subject (default Resilience4j's defaults). */
    public Builder circuitBreaker(CircuitBreakerConfig config) {
      this.circuitBreaker = Objects.requireNonNull(config, "circuitBreaker");
      return this;
    }

    /** The most calls in flight at once; more fail at once with RESOURCE_EXHAUSTED (default 256). */
    public Builder maxInFlight(int maxInFlight) {
      if (maxInFlight < 1) {
        throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
      }
      this.maxInFlight = maxInFlight;
      return this;
    }

    /** Traces calls with this OpenTelemetry (default: GlobalOpenTelemetry). */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /** Records per-method timers and counters here (default: none). */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
      return this;
    }

    public RpcClient build() {
      if (connection == null) {
        throw new IllegalStateException("RpcClient needs a connection: call connection(..) before build()");
      }
      return new RpcClient(this);
    }
  }
}
