package io.natsharness.conformance.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.sdk.status.StatusCodes;
import io.natsharness.sdk.status.WireHeaders;

/** The assertions every error reply must pass (WIRE.md, "Replies and errors"). */
public final class ErrorReplies {

  private ErrorReplies() {}

  /**
   * The request fields the status details name: {@code common.v1.ErrorDetail.field} and
   * {@code google.rpc.BadRequest} field violations.
   */
  public static java.util.List<String> fields(Status status) {
    java.util.List<String> fields = new java.util.ArrayList<>();
    for (com.google.protobuf.Any any : status.getDetailsList()) {
      try {
        if (any.is(io.natsharness.proto.common.v1.ErrorDetail.class)) {
          fields.add(any.unpack(io.natsharness.proto.common.v1.ErrorDetail.class).getField());
        } else if (any.is(com.google.rpc.BadRequest.class)) {
          any.unpack(com.google.rpc.BadRequest.class).getFieldViolationsList().forEach(v -> fields.add(v.getField()));
        }
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError("a status detail of type " + any.getTypeUrl() + " does not parse", e);
      }
    }
    return fields;
  }

  /**
   * Asserts that {@code reply} is a well-formed error reply with status {@code expected}: both
   * NATS service error headers (the message on one line, the numeric code of WIRE.md's table),
   * {@code Nh-Status}, and a {@code google.rpc.Status} body with the same code and a message.
   *
   * @return the parsed status body
   */
  public static Status assertError(WireReply reply, Code expected) {
    assertThat(reply.isNoResponders()).as("no responders instead of an error reply").isFalse();
    assertThat(reply.header(WireHeaders.NH_STATUS))
        .as("Nh-Status header of %s", reply).contains(expected.name());
    assertThat(reply.header(WireHeaders.SERVICE_ERROR_CODE))
        .as("Nats-Service-Error-Code header of %s", reply)
        .contains(Integer.toString(StatusCodes.natsErrorCode(expected)));
    assertThat(reply.header(WireHeaders.SERVICE_ERROR))
        .as("Nats-Service-Error header of %s", reply)
        .hasValueSatisfying(m -> assertThat(m).isNotBlank().doesNotContain("\r", "\n"));
    Status status = reply.status();
    assertThat(Code.forNumber(status.getCode())).as("code in the google.rpc.Status body").isEqualTo(expected);
    assertThat(status.getMessage()).as("message in the google.rpc.Status body").isNotBlank();
    return status;
  }
}
