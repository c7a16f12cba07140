package io.natsharness.conformance.load.transport;

import com.google.protobuf.Message;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.nats.client.Connection;
import io.natsharness.conformance.load.generate.Caller;
import io.natsharness.conformance.load.generate.Outcome;
import io.natsharness.conformance.load.requests.LoadRequests;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.ResponseStream;
import io.natsharness.sdk.client.RetryPolicy;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.status.RpcException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Calls over NATS with the SDK's {@link RpcClient}, as a migrated client would: protobuf, deadline,
 * trace and request-id headers. No retries and a circuit breaker that never opens, so each request
 * is sent once and its own outcome is what gets counted. Server streams are read to their end on
 * a thread pool (the SDK's stream is a blocking iterator).
 */
final class NatsTransport implements Transport {

  private final Connection connection;
  private final RpcClient rpc;
  private final Duration timeout;
  private final ExecutorService streams = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "nh-load-stream");
    t.setDaemon(true);
    return t;
  });

  NatsTransport(Connection connection, Duration timeout, int maxInFlight) {
    this.connection = connection;
    this.timeout = timeout;
    this.rpc = RpcClient.builder().connection(connection).retry(RetryPolicy.none())
        .circuitBreaker(CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED).slidingWindowSize(1)
            .minimumNumberOfCalls(Integer.MAX_VALUE).build())
        .maxInFlight(maxInFlight + 16)
        .defaultDeadline(timeout)
        // The completion only records a few numbers: run it where the answer arrives, without a hop.
        .callbackExecutor(Runnable::run)
        .build();
  }

  @Override
  public TransportKind kind() {
    return TransportKind.NATS;
  }

  @Override
  public String description() {
    return "NATS " + connection.getConnectedUrl();
  }

  @Override
  public Caller caller(LoadRequests requests) {
    MethodInfo method = requests.method();
    CallOptions plain = CallOptions.builder().timeout(timeout).build();
    String keys = Keys.prefix();
    return seq -> {
      Message request = requests.pick(seq);
      CallOptions options = method.requiresIdempotencyKey()
          ? plain.toBuilder().idempotencyKey(keys + seq).build() : plain;
      if (method.serverStreaming()) {
        return CompletableFuture.supplyAsync(() -> drain(method, request, options), streams);
      }
      return rpc.callAsync(method, request, options).handle((answer, error) -> outcome(error));
    };
  }

  private Outcome drain(MethodInfo method, Message request, CallOptions options) {
    try (ResponseStream<Message> stream = rpc.stream(method, request,
        options.toBuilder().streamIdleTimeout(timeout).build())) {
      while (stream.hasNext()) {
        stream.next();
      }
      return Outcome.OK;
    } catch (RuntimeException e) {
      return outcome(e);
    }
  }

  static Outcome outcome(Throwable error) {
    if (error == null) {
      return Outcome.OK;
    }
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof RpcException e) {
      // DEADLINE_EXCEEDED is the client giving up: no answer came.
      return e.code() == com.google.rpc.Code.DEADLINE_EXCEEDED ? Outcome.noAnswer(e.code().name())
          : Outcome.error(e.code().name());
    }
    return Outcome.noAnswer("CLIENT_ERROR");
  }

  @Override
  public void close() {
    rpc.close();
    streams.shutdownNow();
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
