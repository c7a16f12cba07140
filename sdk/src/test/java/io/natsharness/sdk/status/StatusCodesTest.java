package io.natsharness.sdk.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusCodesTest {

  @Nested
  @DisplayName("httpStatus follows WIRE.md's table")
  class HttpStatus {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "INVALID_ARGUMENT,400", "FAILED_PRECONDITION,400", "OUT_OF_RANGE,400", "UNAUTHENTICATED,401",
        "PERMISSION_DENIED,403", "NOT_FOUND,404", "ALREADY_EXISTS,409", "ABORTED,409",
        "RESOURCE_EXHAUSTED,429", "CANCELLED,499", "INTERNAL,500", "UNKNOWN,500", "DATA_LOSS,500",
        "UNIMPLEMENTED,501", "UNAVAILABLE,503", "DEADLINE_EXCEEDED,504"})
    void mapsEveryRow(Code code, int status) {
      assertThat(StatusCodes.httpStatus(code)).isEqualTo(status);
      assertThat(StatusCodes.natsErrorCode(code)).isEqualTo(status);
    }

    @Test
    @DisplayName("OK is not an error code")
    void refusesOk() {
      assertThatThrownBy(() -> StatusCodes.httpStatus(Code.OK))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("OK is not an error code");
    }
  }

  @Nested
  @DisplayName("fromName")
  class FromName {

    @Test
    @DisplayName("ignores case and blanks")
    void lenient() {
      assertThat(StatusCodes.fromName(" deadline_exceeded ")).isEqualTo(Code.DEADLINE_EXCEEDED);
    }

    @Test
    @DisplayName("refuses an unknown name with the name in the message")
    void unknown() {
      assertThatThrownBy(() -> StatusCodes.fromName("TEAPOT"))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown status name 'TEAPOT'");
    }

    @Test
    @DisplayName("refuses an empty name")
    void empty() {
      assertThatThrownBy(() -> StatusCodes.fromName(""))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("status name is empty");
    }
  }

  @Test
  @DisplayName("fromHttpStatus picks the most common code of a status")
  void fromHttpStatus() {
    assertThat(StatusCodes.fromHttpStatus(404)).isEqualTo(Code.NOT_FOUND);
    assertThat(StatusCodes.fromHttpStatus(409)).isEqualTo(Code.ABORTED);
    assertThat(StatusCodes.fromHttpStatus(503)).isEqualTo(Code.UNAVAILABLE);
    assertThat(StatusCodes.fromHttpStatus(418)).isEqualTo(Code.UNKNOWN);
    assertThat(StatusCodes.fromHttpStatus(599)).isEqualTo(Code.INTERNAL);
  }
}
