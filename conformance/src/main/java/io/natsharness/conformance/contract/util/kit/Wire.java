package io.natsharness.conformance.contract.util.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.nats.client.impl.Headers;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.wire.ErrorReplies;
import io.natsharness.conformance.wire.WireProbe;
import io.natsharness.conformance.wire.WireReply;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceInfo;
import io.natsharness.proto.common.v1.ErrorDetail;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Calls of one service's methods that speak only the wire: successful calls through the SDK
 * client, error calls as raw NATS requests whose reply is held to WIRE.md's error form
 * ({@link ErrorReplies}). Methods are looked up in the catalog by their subject token.
 *
 * <pre>{@code
 * Wire payment = Wire.of(ctx, "payment");
 * Wallet wallet = payment.ok("create_wallet", CreateWalletRequest.newBuilder().setOwnerId(owner).build());
 * Status status = payment.error("charge", tooMuch, Code.FAILED_PRECONDITION);
 * Wire.assertReason(status, "INSUFFICIENT_FUNDS");
 * }</pre>
 */
public final class Wire {

  private final CheckContext ctx;
  private final ServiceInfo service;

  private Wire(CheckContext ctx, ServiceInfo service) {
    this.ctx = ctx;
    this.service = service;
  }

  /** The calls of {@code service}, a catalog service name. */
  public static Wire of(CheckContext ctx, String service) {
    return new Wire(ctx, ctx.catalog().service(service)
        .orElseThrow(() -> new IllegalArgumentException("the catalog has no service '" + service + "'")));
  }

  public CheckContext context() {
    return ctx;
  }

  public MethodInfo method(String name) {
    return service.method(name).orElseThrow(() -> new IllegalArgumentException(
        service.name() + " has no method '" + name + "' in the catalog"));
  }

  /** Calls {@code method} and expects success; a fresh Idempotency-Key is sent where one is needed. */
  public <R extends Message> R ok(String method, Message request) {
    return ok(method, request, CallOptions.defaults());
  }

  /** Calls {@code method} with this Idempotency-Key and expects success. */
  public <R extends Message> R ok(String method, Message request, String idempotencyKey) {
    return ok(method, request, CallOptions.builder().idempotencyKey(idempotencyKey).build());
  }

  /** Calls {@code method} with these options and expects success. */
  public <R extends Message> R ok(String method, Message request, CallOptions options) {
    MethodInfo info = method(method);
    try {
      return ctx.rpc().call(info, request, options);
    } catch (RpcException e) {
      throw new AssertionError(info.subject() + " answered " + e.code() + " (" + e.statusMessage()
          + ") to a valid request: " + request.toString().replace('\n', ' ').strip(), e);
    }
  }

  /** Calls {@code method} asynchronously with this Idempotency-Key; the future fails with RpcException. */
  public <R extends Message> CompletableFuture<R> async(String method, Message request, String idempotencyKey) {
    return ctx.rpc().callAsync(method(method), request, CallOptions.builder().idempotencyKey(idempotencyKey).build());
  }

  /**
   * Sends {@code request} raw (with a fresh Idempotency-Key where the method needs one) and asserts
   * a well-formed error reply with {@code code}.
   *
   * @return the reply's google.rpc.Status
   */
  public Status error(String method, Message request, Code code) {
    return error(method, request, headers(method), code);
  }

  /** Sends {@code request} raw with exactly {@code headers} and asserts an error reply with {@code code}. */
  public Status error(String method, Message request, Headers headers, Code code) {
    WireReply reply = send(method, request, headers);
    return ErrorReplies.assertError(reply, code);
  }

  /**
   * Sends each bad request and asserts INVALID_ARGUMENT naming its field (in an ErrorDetail, as
   * common.v1 says, or at least in the message).
   */
  public void invalid(String method, List<Bad> cases) {
    for (Bad bad : cases) {
      Status status;
      try {
        status = error(method, bad.request(), Code.INVALID_ARGUMENT);
      } catch (AssertionError e) {
        throw new AssertionError("case '" + bad.label() + "' of " + method(method).subject() + ": "
            + e.getMessage(), e);
      }
      assertNamesField(status, bad.field(), bad.label());
    }
  }

  /** Sends {@code request} raw with exactly {@code headers}. */
  public WireReply send(String method, Message request, Headers headers) {
    return new WireProbe(ctx.nats(), ctx.requestTimeout())
        .request(method(method).subject(), headers, request.toByteArray());
  }

  /** Reads a successful reply as the method's response, failing on an error reply. */
  @SuppressWarnings("unchecked")
  public <R extends Message> R parse(String method, WireReply reply) {
    MethodInfo info = method(method);
    assertThat(reply.isNoResponders()).as("no responders on %s", info.subject()).isFalse();
    if (reply.isError()) {
      throw new AssertionError(info.subject() + " answered " + reply.header(WireHeaders.NH_STATUS).orElse("?")
          + " (" + reply.header(WireHeaders.SERVICE_ERROR).orElse("") + ") to a valid request");
    }
    try {
      return (R) info.responsePrototype().getParserForType().parseFrom(reply.body());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("reply of " + info.subject() + " is not a " + info.responseType().getFullName(), e);
    }
  }

  /** Protobuf headers with a deadline one request timeout away and, where needed, a fresh Idempotency-Key. */
  public Headers headers(String method) {
    Headers headers = base(Instant.now().plus(ctx.requestTimeout()));
    if (method(method).requiresIdempotencyKey()) {
      headers.put(WireHeaders.IDEMPOTENCY_KEY, UUID.randomUUID().toString());
    }
    return headers;
  }

  /** Protobuf headers with a deadline one request timeout away and this Idempotency-Key. */
  public Headers headers(String method, String idempotencyKey) {
    method(method);
    Headers headers = base(Instant.now().plus(ctx.requestTimeout()));
    headers.put(WireHeaders.IDEMPOTENCY_KEY, idempotencyKey);
    return headers;
  }

  /** Protobuf headers without an Idempotency-Key. */
  public Headers headersWithoutKey() {
    return base(Instant.now().plus(ctx.requestTimeout()));
  }

  /** Like {@link #headers(String)} but with an Nh-Deadline one second in the past. */
  public Headers expiredHeaders(String method) {
    Headers headers = headers(method);
    headers.put(WireHeaders.NH_DEADLINE, Long.toString(Instant.now().minusSeconds(1).toEpochMilli()));
    return headers;
  }

  /** Headers with this Idempotency-Key and an Nh-Deadline one second in the past. */
  public Headers expiredHeaders(String method, String idempotencyKey) {
    Headers headers = headers(method, idempotencyKey);
    headers.put(WireHeaders.NH_DEADLINE, Long.toString(Instant.now().minusSeconds(1).toEpochMilli()));
    return headers;
  }

  /** The first common.v1.ErrorDetail among the status details. */
  public static Optional<ErrorDetail> detail(Status status) {
    for (Any any : status.getDetailsList()) {
      if (any.is(ErrorDetail.class)) {
        try {
          return Optional.of(any.unpack(ErrorDetail.class));
        } catch (InvalidProtocolBufferException e) {
          throw new AssertionError("an ErrorDetail in the Status body does not parse", e);
        }
      }
    }
    return Optional.empty();
  }

  /** Asserts that the status carries an ErrorDetail with this machine-readable reason. */
  public static void assertReason(Status status, String reason) {
    assertThat(detail(status).map(ErrorDetail::getReason))
        .as("ErrorDetail reason of '%s'", status.getMessage()).contains(reason);
  }

  /** Asserts that an INVALID_ARGUMENT status names {@code field}. */
  public static void assertNamesField(Status status, String field, String label) {
    boolean inDetail = detail(status).map(ErrorDetail::getField)
        .filter(f -> f.equals(field) || f.startsWith(field + ".") || f.startsWith(field + "[")).isPresent();
    assertThat(inDetail || status.getMessage().contains(field))
        .as("case '%s': the error names the field %s (ErrorDetail %s, message '%s')", label, field,
            detail(status).map(ErrorDetail::getField).orElse("absent"), status.getMessage())
        .isTrue();
  }

  /** Unwraps the RpcException of a failed async call, or empty when it succeeded. */
  public static Optional<RpcException> failure(CompletableFuture<?> future) {
    try {
      future.join();
      return Optional.empty();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RpcException rpc) {
        return Optional.of(rpc);
      }
      throw e;
    }
  }

  private static Headers base(Instant deadline) {
    Headers headers = new Headers();
    headers.put(WireHeaders.CONTENT_TYPE, WireHeaders.APPLICATION_PROTOBUF);
    headers.put(WireHeaders.NH_DEADLINE, Long.toString(deadline.toEpochMilli()));
    return headers;
  }

  /**
   * One bad request for {@link #invalid}.
   *
   * @param label what is wrong, for the failure message
   * @param field the request field the error must name
   * @param request the request
   */
  public record Bad(String label, String field, Message request) {}

  /** A bad request: {@code bad("amount 0", "amount", request)}. */
  public static Bad bad(String label, String field, Message request) {
    return new Bad(label, field, request);
  }
}
