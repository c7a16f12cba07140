package io.natsharness.conformance.shadow.sides;

import com.google.protobuf.Message;
import io.natsharness.conformance.shadow.generate.StreamRead;
import io.natsharness.conformance.shadow.traffic.HttpForm;
import io.natsharness.proto.catalog.MethodInfo;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One request for one side: the method and message, and, for a replayed record, the exact HTTP
 * request that was recorded (HTTP sides send it as it was; NATS sides send the message).
 *
 * @param method the method
 * @param request the request message
 * @param http the recorded HTTP form; empty to derive it from the message
 * @param requestId sent as Nh-Request-Id
 * @param idempotencyKey sent as Idempotency-Key
 * @param timeout the call's deadline, from when it is sent
 * @param read how much of a server stream to read
 */
public record Call(MethodInfo method, Message request, Optional<HttpForm> http, String requestId,
    Optional<String> idempotencyKey, Duration timeout, StreamRead read) {

  public Call {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(read, "read");
  }
}
