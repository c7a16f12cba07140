package io.natsharness.conformance.contract.kit;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.natsharness.proto.common.v1.ErrorDetail;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request to one method, with the headers a check chooses. Methods that need an
 * Idempotency-Key get a fresh one unless the check sets one or asks for none.
 *
 * <pre>{@code
 * PlayerQuest first = quests.call("accept").idempotencyKey(key).ok(request);
 * PlayerQuest again = quests.call("accept").idempotencyKey(key).ok(request);
 * charges.call("charge").withoutIdempotencyKey().failsOn(request, "Idempotency-Key");
 * Call traced = beats.call("next_beat").header("traceparent", trace.traceparent());
 * Beat beat = traced.ok(request);
 * hops.assertContinued(trace, traced.deadline());
 * }</pre>
 */
public final class Call {

  private final CheckContext ctx;
  private final MethodInfo method;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private Instant deadline;
  private String idempotencyKey;
  private boolean withoutKey;

  Call(CheckContext ctx, MethodInfo method) {
    this.ctx = ctx;
    this.method = method;
    this.deadline = Instant.now().plus(ctx.requestTimeout());
  }

  public Call idempotencyKey(String key) {
    this.idempotencyKey = key;
    return this;
  }

  /** Sends no Idempotency-Key even if the method needs one. */
  public Call withoutIdempotencyKey() {
    this.withoutKey = true;
    return this;
  }

  /** The absolute deadline sent as {@code Nh-Deadline}. */
  public Call deadline(Instant deadline) {
    this.deadline = deadline;
    return this;
  }

  /** A deadline one second in the past: the service must refuse the work. */
  public Call expiredDeadline() {
    return deadline(Instant.now().minusSeconds(1));
  }

  /** Any other header, e.g. {@code traceparent}. */
  public Call header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public Instant deadline() {
    return deadline;
  }

  public MethodInfo method() {
    return method;
  }

  /** Sends a unary request and returns the raw reply (a hang fails the check). */
  public WireReply send(Message request) {
    Duration wait = Duration.between(Instant.now(), deadline);
    Duration timeout = wait.compareTo(ctx.requestTimeout()) > 0 || wait.isNegative() ? ctx.requestTimeout()
        : wait.plusMillis(500);
    return new WireProbe(ctx.nats(), timeout).request(method.subject(), headers(), request.toByteArray());
  }

  /**
   * Sends a unary request and returns its successful answer, failing the check on an error reply
   * (an AssertionError whose cause is the reply's status as an {@link RpcException}).
   */
  @SuppressWarnings("unchecked")
  public <R extends Message> R ok(Message request) {
    WireReply reply = send(request);
    assertThat(reply.isNoResponders()).as("no responders on %s: is %s running?", method, method.service())
        .isFalse();
    if (reply.isError()) {
      Status status = reply.status();
      // The status as the cause, so that a check can tell one refusal from another.
      throw new AssertionError(method + " answered " + reply.statusHeader().map(Code::name).orElse("an error")
          + " (" + status.getMessage() + ") to " + oneLine(request), new RpcException(status));
    }
    try {
      return (R) method.responsePrototype().getParserForType().parseFrom(reply.body());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("the answer of " + method + " is not a " + method.responseType().getFullName()
          + ": " + e.getMessage(), e);
    }
  }

  /** Sends a unary request and asserts a well-formed error reply with {@code code}. */
  public Status fails(Message request, Code code) {
    requireDocumented(code);
    WireReply reply = send(request);
    if (!reply.isError() && !reply.isNoResponders()) {
      throw new AssertionError(method + " succeeded where the contract says " + code + ", for " + oneLine(request));
    }
    return ErrorReplies.assertError(reply, code);
  }

  /**
   * Sends a unary request and asserts INVALID_ARGUMENT whose {@code common.v1.ErrorDetail} names
   * {@code field} (the field itself, or a path inside it such as {@code objectives[0].target_count}).
   */
  public Status failsOn(Message request, String field) {
    return assertNames(fails(request, Code.INVALID_ARGUMENT), field, request);
  }

  /** As {@link #failsOn} for a stream that must fail before its first chunk. */
  public Status streamFailsOn(Message request, String field) {
    return assertNames(streamFails(request, Code.INVALID_ARGUMENT), field, request);
  }

  private Status assertNames(Status status, String field, Message request) {
    List<String> named = ErrorDetails.of(status).stream().map(ErrorDetail::getField).toList();
    assertThat(named).as("fields named by the ErrorDetail of %s's INVALID_ARGUMENT (%s) for %s", method,
        status.getMessage(), oneLine(request))
        .anyMatch(f -> ErrorDetails.names(f, field));
    return status;
  }

  /** Starts a server stream; read it from the handle. */
  public OpenStream open(Message request) {
    return OpenStream.open(ctx.nats(), method, headers(), request.toByteArray());
  }

  /** Starts a server stream and reads it until its end (or an error end, or {@code idle} of silence). */
  public StreamReplies stream(Message request, Duration idle) {
    try (OpenStream stream = open(request)) {
      return stream.readToEnd(idle);
    }
  }

  /** Asserts that a stream ends at once with a well-formed error of {@code code}, before any chunk. */
  public Status streamFails(Message request, Code code) {
    requireDocumented(code);
    return stream(request, ctx.requestTimeout()).assertFailedBeforeFirstChunk(code);
  }

  private void requireDocumented(Code code) {
    if (!ContractChecks.documents(method, code)) {
      throw new IllegalStateException("the check expects " + code + " from " + method
          + ", which documents only " + method.errorCodes());
    }
  }

  private Headers headers() {
    Headers h = new Headers();
    h.put(WireHeaders.CONTENT_TYPE, WireHeaders.APPLICATION_PROTOBUF);
    h.put(WireHeaders.NH_DEADLINE, Long.toString(deadline.toEpochMilli()));
    if (!withoutKey && (idempotencyKey != null || method.requiresIdempotencyKey())) {
      h.put(WireHeaders.IDEMPOTENCY_KEY, idempotencyKey != null ? idempotencyKey : ctx.unique("idem"));
    }
    headers.forEach(h::put);
    return h;
  }

  static String oneLine(Message message) {
    String text = com.google.protobuf.TextFormat.printer().emittingSingleLine(true).printToString(message);
    return "{" + (text.length() > 300 ? text.substring(0, 300) + "…" : text.strip()) + "}";
  }
}
