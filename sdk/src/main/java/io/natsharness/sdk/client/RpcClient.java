package io.natsharness.sdk.client;

import com.google.protobuf.Message;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.sdk.internal.Telemetry;
import io.natsharness.sdk.status.RpcException;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

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

  private final CallRunner runner;
  private final Executor callbackExecutor;
  /** Runs the drain loops of {@link ResponseStream#asPublisher()}; they block on the inbox. */
  private final ExecutorService streamExecutor;
  private final ServiceCatalog catalog = ServiceCatalog.load();
  private volatile boolean closed;

  private RpcClient(Builder config) {
    Telemetry telemetry = new Telemetry(config.openTelemetry, config.meterRegistry);
    this.callbackExecutor = config.callbackExecutor;
    this.streamExecutor = Executors.newCachedThreadPool(daemonThreads("nh-stream-"));
    this.runner = new CallRunner(config.connection, config.defaultDeadline, telemetry,
        new Resilience(config.retry, config.circuitBreaker, config.maxInFlight, telemetry),
        config.streamBuffer, config.streamBufferBytes, streamExecutor);
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Calls the method answering on {@code subject} with default options. */
  public <R extends Message> R call(String subject, Message request) {
    return call(subject, request, CallOptions.defaults());
  }

  /**
   * Calls the method answering on {@code subject} and waits for its answer (at most until the
   * deadline).
   *
   * @throws RpcException for every failure: the callee's error, UNAVAILABLE (no responders, open
   *     circuit), DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED (too many calls in flight), CANCELLED
   *     (the waiting thread was interrupted), UNIMPLEMENTED (a subject the catalog does not know)
   */
  public <R extends Message> R call(String subject, Message request, CallOptions options) {
    return call(method(subject), request, options);
  }

  /** Calls {@code method} and waits for its answer. */
  public <R extends Message> R call(MethodInfo method, Message request, CallOptions options) {
    CompletableFuture<R> future = start(method, request, options);
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw RpcException.cancelled("interrupted while waiting for " + method.subject());
    } catch (ExecutionException e) {
      throw unwrap(e);
    }
  }

  /**
   * Calls asynchronously. The future fails with RpcException (wrapped in CompletionException by
   * {@code join()}); its dependent actions run on the callback executor, never on jnats' threads.
   */
  public <R extends Message> CompletableFuture<R> callAsync(String subject, Message request, CallOptions options) {
    try {
      return callAsync(method(subject), request, options);
    } catch (RpcException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Calls {@code method} asynchronously. */
  public <R extends Message> CompletableFuture<R> callAsync(MethodInfo method, Message request, CallOptions options) {
    CompletableFuture<R> inner = start(method, request, options);
    CompletableFuture<R> outer = new CompletableFuture<>();
    inner.whenCompleteAsync((r, t) -> {
      if (t != null) {
        outer.completeExceptionally(unwrap(t));
      } else {
        outer.complete(r);
      }
    }, callbackExecutor);
    return outer;
  }

  /**
   * Opens a server stream: the request goes out at once; chunks arrive into a bounded buffer (a
   * reader that falls behind fails RESOURCE_EXHAUSTED rather than growing memory) and are read
   * through the returned iterator or its {@link ResponseStream#asPublisher()}. Failures to open
   * (unknown subject, refusals before sending) throw; failures later surface from
   * {@code hasNext()}/{@code next()}. Streams are never retried.
   */
  public <R extends Message> ResponseStream<R> stream(String subject, Message request, CallOptions options) {
    return stream(method(subject), request, options);
  }

  /** Opens a server stream of {@code method}. */
  public <R extends Message> ResponseStream<R> stream(MethodInfo method, Message request, CallOptions options) {
    if (closed) {
      throw RpcException.failedPrecondition("CLIENT_CLOSED", "RpcClient is closed; "
          + Objects.requireNonNull(method, "method").subject() + " not sent");
    }
    return runner.stream(method, request, options);
  }

  /** The circuit breakers, one per subject called so far (for state and metrics). */
  public CircuitBreakerRegistry circuitBreakers() {
    return runner.breakers();
  }

  /**
   * Refuses further calls (they fail with FAILED_PRECONDITION); calls in flight finish. The
   * connection stays open: it belongs to the caller.
   */
  @Override
  public void close() {
    closed = true;
    streamExecutor.shutdown();
  }

  private <R extends Message> CompletableFuture<R> start(MethodInfo method, Message request, CallOptions options) {
    if (closed) {
      return CompletableFuture.failedFuture(RpcException.failedPrecondition("CLIENT_CLOSED",
          "RpcClient is closed; " + Objects.requireNonNull(method, "method").subject() + " not sent"));
    }
    return runner.unary(method, request, options);
  }

  private MethodInfo method(String subject) {
    return catalog.method(subject).orElseThrow(() -> RpcException.unimplemented(
        "no catalog method answers on '" + subject + "'"));
  }

  static RpcException unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    if (current instanceof RpcException e) {
      return e;
    }
    if (current instanceof java.util.concurrent.CancellationException) {
      return RpcException.cancelled("call cancelled");
    }
    return RpcException.internal("call failed: " + current);
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
    private Executor callbackExecutor = ForkJoinPool.commonPool();
    private int streamBuffer = 256;
    private long streamBufferBytes = 8L << 20;

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

    /** Where dependent actions of {@code callAsync} futures run (default the common pool). */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "callbackExecutor");
      return this;
    }

    /**
     * How many chunks (default 256) and bytes (default 8 MiB) of a stream may wait unread; a
     * reader that lets more pile up fails RESOURCE_EXHAUSTED.
     */
    public Builder streamBuffer(int maxChunks, long maxBytes) {
      if (maxChunks < 1 || maxBytes < 1) {
        throw new IllegalArgumentException("stream buffer must hold at least 1 chunk and 1 byte: "
            + maxChunks + " chunks, " + maxBytes + " bytes");
      }
      this.streamBuffer = maxChunks;
      this.streamBufferBytes = maxBytes;
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
