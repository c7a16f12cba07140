package io.natsharness.services.util.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.rpc.Status;
import io.nats.client.Connection;
import java.time.Duration;
import com.google.rpc.Code;
import io.natsharness.proto.common.v1.ErrorDetail;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.status.RpcException;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Calls over NATS and assertions on the errors they answer, with exact messages.
 *
 * <pre>{@code
 * Calls calls = new Calls(client, "svc.util.payment.v1");
 * Wallet w = calls.call("create_wallet", request);
 * Calls.assertInvalid(() -> calls.call("charge", bad, "k-1"), "amount.minor_units", "amount.minor_units: must be ...");
 * }</pre>
 */
public final class Calls {

  private final RpcClient client;
  private final String prefix;

  public Calls(RpcClient client, String subjectPrefix) {
    this.client = client;
    this.prefix = subjectPrefix;
  }

  public <R extends Message> R call(String method, Message request) {
    return client.call(prefix + "." + method, request);
  }

  /** A call with an Idempotency-Key. */
  public <R extends Message> R call(String method, Message request, String idempotencyKey) {
    return client.call(prefix + "." + method, request, CallOptions.builder().idempotencyKey(idempotencyKey).build());
  }

  /**
   * A request sent with the plain NATS client, without the headers the SDK client adds (it makes up
   * an Idempotency-Key for methods that need one): answers the reply, or throws its error.
   */
  public static <R extends Message> R raw(Connection nats, String subject, Message request, Parser<R> parser) {
    io.nats.client.Message reply;
    try {
      reply = nats.request(subject, request.toByteArray(), Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    if (reply == null) {
      throw new AssertionError("no reply on " + subject);
    }
    try {
      if (reply.hasHeaders() && reply.getHeaders().getFirst("Nats-Service-Error-Code") != null) {
        throw new RpcException(Status.parseFrom(reply.getData()));
      }
      return parser.parseFrom(reply.getData());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("unreadable reply on " + subject, e);
    }
  }

  /** The call fails with {@code code} and exactly {@code message}; returns the exception. */
  public static RpcException assertError(ThrowingCallable call, Code code, String message) {
    AtomicReference<RpcException> caught = new AtomicReference<>();
    assertThatThrownBy(call).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).as("code of %s", e.getMessage()).isEqualTo(code);
      assertThat(e.statusMessage()).isEqualTo(message);
      caught.set(e);
    });
    return caught.get();
  }

  /** INVALID_ARGUMENT with exactly {@code message} and an ErrorDetail naming {@code field}. */
  public static void assertInvalid(ThrowingCallable call, String field, String message) {
    RpcException e = assertError(call, Code.INVALID_ARGUMENT, message);
    assertThat(e.errorDetail()).map(ErrorDetail::getField).contains(field);
  }

  /** FAILED_PRECONDITION with exactly {@code message} and an ErrorDetail with {@code reason}. */
  public static void assertPrecondition(ThrowingCallable call, String reason, String message) {
    RpcException e = assertError(call, Code.FAILED_PRECONDITION, message);
    assertThat(e.errorDetail()).map(ErrorDetail::getReason).contains(reason);
  }
}
