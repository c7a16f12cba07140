package io.natsharness.sdk.client;

import com.google.protobuf.Message;
import io.nats.client.impl.Headers;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.context.Deadlines;
import io.natsharness.sdk.internal.Telemetry;
import io.natsharness.sdk.internal.WireCodec;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Everything one call sends, fixed before the first attempt so that retries repeat it exactly
 * (same deadline, request id and Idempotency-Key).
 */
record CallPlan(
    MethodInfo method,
    Headers headers,
    byte[] body,
    String contentType,
    Instant deadline,
    String requestId,
    boolean retryable,
    Context parent) {

  /**
   * Checks the request and builds the plan.
   *
   * @throws RpcException INVALID_ARGUMENT for a request of the wrong type or one larger than the
   *     server takes; DEADLINE_EXCEEDED when the deadline has already passed
   */
  static CallPlan of(MethodInfo method, Message request, CallOptions options, Duration defaultDeadline,
      long maxPayload, Telemetry telemetry, Context parent, io.opentelemetry.api.trace.Span span) {
    if (request == null || !request.getDescriptorForType().equals(method.requestType())) {
      throw RpcException.invalidArgument("", method.subject() + " takes " + method.requestType().getFullName()
          + ", not " + (request == null ? "null" : request.getDescriptorForType().getFullName()));
    }
    Instant now = Instant.now();
    Instant own = options.deadline().orElseGet(() -> now.plus(options.timeout().orElse(defaultDeadline)));
    Optional<Instant> inherited = Deadlines.in(parent);
    Instant deadline = inherited.filter(i -> i.isBefore(own)).orElse(own);
    String requestId = options.requestId().orElseGet(() -> UUID.randomUUID().toString());
    Optional<String> key = options.idempotencyKey()
        .or(() -> method.requiresIdempotencyKey() ? Optional.of(UUID.randomUUID().toString()) : Optional.empty());
    String contentType = options.encoding().contentType();
    byte[] body = WireCodec.encode(request, contentType);
    if (maxPayload > 0 && body.length > maxPayload) {
      throw RpcException.invalidArgument("", "request of " + body.length + " bytes exceeds the server's max_payload of "
          + maxPayload + " bytes");
    }
    Headers headers = new Headers();
    options.headers().forEach(headers::put);
    headers.put(WireHeaders.CONTENT_TYPE, contentType);
    headers.put(WireHeaders.NH_DEADLINE, Long.toString(deadline.toEpochMilli()));
    headers.put(WireHeaders.NH_REQUEST_ID, requestId);
    key.ifPresent(k -> headers.put(WireHeaders.IDEMPOTENCY_KEY, k));
    options.authorization().ifPresent(a -> headers.put(WireHeaders.AUTHORIZATION, a));
    telemetry.inject(parent.with(span), headers);
    boolean retryable = method.isSafeToRetry() || key.isPresent();
    if (!now.isBefore(deadline)) {
      throw RpcException.deadlineExceeded("deadline of " + method.subject() + " passed before the call was sent"
          + (inherited.isPresent() && inherited.get().equals(deadline) ? " (inherited from the caller)" : ""));
    }
    return new CallPlan(method, headers, body, contentType, deadline, requestId, retryable, parent);
  }

  /** Time left until the deadline (zero or negative when passed). */
  Duration remaining() {
    return Duration.between(Instant.now(), deadline);
  }
}
