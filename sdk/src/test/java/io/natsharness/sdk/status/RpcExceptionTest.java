package io.natsharness.sdk.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.proto.common.v1.ErrorDetail;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RpcExceptionTest {

  @Nested
  @DisplayName("factories")
  class Factories {

    @Test
    @DisplayName("invalidArgument names the field in an ErrorDetail with reason FIELD_INVALID")
    void invalidArgument() {
      RpcException e = RpcException.invalidArgument("amount.minor_units", "must be in [1, 10^15]");
      assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
      assertThat(e.httpStatus()).isEqualTo(400);
      assertThat(e.getMessage()).isEqualTo("INVALID_ARGUMENT: amount.minor_units: must be in [1, 10^15]");
      assertThat(e.errorDetail()).contains(ErrorDetail.newBuilder().setReason("FIELD_INVALID")
          .setField("amount.minor_units").setDescription("must be in [1, 10^15]").build());
    }

    @Test
    @DisplayName("failedPrecondition carries the reason")
    void failedPrecondition() {
      RpcException e = RpcException.failedPrecondition("INSUFFICIENT_FUNDS", "balance 120 is below 500");
      assertThat(e.status().getCode()).isEqualTo(Code.FAILED_PRECONDITION_VALUE);
      assertThat(e.statusMessage()).isEqualTo("balance 120 is below 500");
      assertThat(e.errorDetail().orElseThrow().getReason()).isEqualTo("INSUFFICIENT_FUNDS");
    }

    @Test
    @DisplayName("each plain factory sets its code")
    void plainFactories() {
      assertThat(RpcException.notFound("x").code()).isEqualTo(Code.NOT_FOUND);
      assertThat(RpcException.alreadyExists("x").code()).isEqualTo(Code.ALREADY_EXISTS);
      assertThat(RpcException.aborted("x").code()).isEqualTo(Code.ABORTED);
      assertThat(RpcException.outOfRange("x").code()).isEqualTo(Code.OUT_OF_RANGE);
      assertThat(RpcException.permissionDenied("x").code()).isEqualTo(Code.PERMISSION_DENIED);
      assertThat(RpcException.unauthenticated("x").code()).isEqualTo(Code.UNAUTHENTICATED);
      assertThat(RpcException.resourceExhausted("x").code()).isEqualTo(Code.RESOURCE_EXHAUSTED);
      assertThat(RpcException.dataLoss("x").code()).isEqualTo(Code.DATA_LOSS);
      assertThat(RpcException.deadlineExceeded("x").code()).isEqualTo(Code.DEADLINE_EXCEEDED);
      assertThat(RpcException.unavailable("x").code()).isEqualTo(Code.UNAVAILABLE);
      assertThat(RpcException.internal("x").code()).isEqualTo(Code.INTERNAL);
      assertThat(RpcException.unimplemented("x").code()).isEqualTo(Code.UNIMPLEMENTED);
      assertThat(RpcException.cancelled("x").code()).isEqualTo(Code.CANCELLED);
    }
  }

  @Test
  @DisplayName("a status with a number outside the table reads as UNKNOWN")
  void unknownNumber() {
    RpcException e = new RpcException(Status.newBuilder().setCode(99).setMessage("odd").build());
    assertThat(e.code()).isEqualTo(Code.UNKNOWN);
    assertThat(e.httpStatus()).isEqualTo(500);
  }

  @Test
  @DisplayName("OK cannot be an error")
  void refusesOk() {
    assertThatThrownBy(() -> new RpcException(Code.OK, "fine"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("OK is not an error code");
  }

  @Test
  @DisplayName("withDetail adds a detail and keeps code and message")
  void withDetail() {
    RpcException e = RpcException.notFound("no wallet")
        .withDetail(ErrorDetail.newBuilder().setReason("WALLET").build());
    assertThat(e.code()).isEqualTo(Code.NOT_FOUND);
    assertThat(e.statusMessage()).isEqualTo("no wallet");
    assertThat(e.errorDetail().orElseThrow().getReason()).isEqualTo("WALLET");
  }
}
