package io.natsharness.services.game.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.natsharness.proto.common.v1.ErrorDetail;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.ResponseStream;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.status.RpcException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Calls one catalog service's methods over NATS by method name (the subject comes from the
 * catalog), and catches the RpcException of a call that must fail.
 *
 * <pre>{@code
 * Rpc quests = new Rpc(client, "quest_system");
 * Quest q = quests.call("define_quest", request);
 * RpcException e = Rpc.failure(() -> quests.call("define_quest", request));
 * }</pre>
 */
public final class Rpc {

  private final RpcClient client;
  private final String service;

  public Rpc(RpcClient client, String service) {
    this.client = client;
    this.service = service;
  }

  public MethodInfo method(String name) {
    return ServiceCatalog.load().service(service).flatMap(s -> s.method(name))
        .orElseThrow(() -> new IllegalArgumentException(service + " has no method " + name));
  }

  public <R extends Message> R call(String method, Message request) {
    return client.call(method(method), request, CallOptions.defaults());
  }

  public <R extends Message> R call(String method, Message request, CallOptions options) {
    return client.call(method(method), request, options);
  }

  /** A call with an Idempotency-Key. */
  public <R extends Message> R callOnce(String method, Message request, String idempotencyKey) {
    return client.call(method(method), request, CallOptions.builder().idempotencyKey(idempotencyKey).build());
  }

  public <R extends Message> ResponseStream<R> stream(String method, Message request, CallOptions options) {
    return client.stream(method(method), request, options);
  }

  /** Every message of a stream, until its end marker. */
  public <R extends Message> List<R> collect(String method, Message request, CallOptions options) {
    List<R> out = new ArrayList<>();
    try (ResponseStream<R> stream = stream(method, request, options)) {
      stream.forEachRemaining(out::add);
    }
    return out;
  }

  /** Asserts the call fails with exactly this code and status message; returns the error. */
  public static RpcException expect(ThrowingCallable call, Code code, String message) {
    RpcException e = failure(call);
    assertThat(e.code()).as("code of %s", e.getMessage()).isEqualTo(code);
    assertThat(e.statusMessage()).isEqualTo(message);
    return e;
  }

  /** Asserts INVALID_ARGUMENT naming {@code field}, with the message {@code field + ": " + description}. */
  public static RpcException expectInvalid(ThrowingCallable call, String field, String description) {
    RpcException e = expect(call, Code.INVALID_ARGUMENT, field + ": " + description);
    assertThat(e.errorDetail()).map(ErrorDetail::getField).hasValue(field);
    return e;
  }

  /**
   * Sends a request with plain NATS, without any of the headers the SDK client adds (the client
   * generates an Idempotency-Key for methods that need one), and returns the error it answers.
   */
  public static RpcException rawFailure(Connection nats, MethodInfo method, Message request) throws Exception {
    Headers headers = new Headers().put("Content-Type", "application/protobuf");
    io.nats.client.Message reply = nats.request(NatsMessage.builder().subject(method.subject()).headers(headers)
        .data(request.toByteArray()).build(), Duration.ofSeconds(10));
    assertThat(reply).as("a reply from " + method.subject()).isNotNull();
    assertThat(reply.getHeaders().getFirst("Nats-Service-Error-Code")).as("error code header").isNotNull();
    return new RpcException(com.google.rpc.Status.parseFrom(reply.getData()));
  }

  /** The RpcException the call throws; fails the test when it throws nothing or something else. */
  public static RpcException failure(ThrowingCallable call) {
    try {
      call.call();
    } catch (RpcException e) {
      return e;
    } catch (Throwable t) {
      throw new AssertionError("expected an RpcException, got " + t, t);
    }
    throw new AssertionError("expected an RpcException, the call succeeded");
  }
}
