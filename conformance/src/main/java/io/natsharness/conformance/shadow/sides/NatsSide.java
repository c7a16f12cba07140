package io.natsharness.conformance.shadow.sides;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.nats.client.Connection;
import io.natsharness.proto.diff.Answer;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.ResponseStream;
import io.natsharness.sdk.client.RetryPolicy;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.status.RpcException;
import java.util.ArrayList;
import java.util.List;

/**
 * A NATS/protobuf side, called through the SDK's client with neither retries nor an open circuit:
 * each request is sent exactly once and its own answer is what gets compared.
 */
final class NatsSide implements ShadowSide {

  private final Connection connection;
  private final boolean ownsConnection;
  private final String description;
  private final RpcClient rpc;

  NatsSide(Connection connection, boolean ownsConnection, String description) {
    this.connection = connection;
    this.ownsConnection = ownsConnection;
    this.description = description;
    this.rpc = RpcClient.builder().connection(connection).retry(RetryPolicy.none())
        .circuitBreaker(CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED).slidingWindowSize(1)
            .minimumNumberOfCalls(Integer.MAX_VALUE).build())
        .build();
  }

  @Override
  public String description() {
    return "NATS " + description;
  }

  @Override
  public boolean speaksHttp() {
    return false;
  }

  @Override
  public Answer call(Call call) {
    CallOptions.Builder options = CallOptions.builder().timeout(call.timeout()).requestId(call.requestId());
    call.idempotencyKey().ifPresent(options::idempotencyKey);
    try {
      if (!call.method().serverStreaming()) {
        Message response = rpc.call(call.method(), call.request(), options.build());
        return Answer.of(response);
      }
      List<Message> messages = new ArrayList<>();
      try (ResponseStream<Message> stream = rpc.stream(call.method(), call.request(),
          options.streamIdleTimeout(call.timeout()).build())) {
        while (messages.size() < call.read().maxMessages() && stream.hasNext()) {
          messages.add(stream.next());
        }
        return Answer.stream(messages);
      } catch (RpcException e) {
        return Answer.stream(messages, e.status());
      }
    } catch (RpcException e) {
      return Answer.error(e.status());
    } catch (RuntimeException e) {
      return Answer.error(Code.INTERNAL, "the NATS client failed: " + e);
    }
  }

  @Override
  public void close() {
    rpc.close();
    if (ownsConnection) {
      try {
        connection.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
