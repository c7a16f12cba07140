package io.natsharness.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CallOptionsTest {

  @Test
  @DisplayName("defaults: no deadline of its own, protobuf, no headers")
  void defaults() {
    CallOptions o = CallOptions.defaults();
    assertThat(o.timeout()).isEmpty();
    assertThat(o.deadline()).isEmpty();
    assertThat(o.encoding()).isEqualTo(Encoding.PROTOBUF);
    assertThat(o.headers()).isEmpty();
  }

  @Test
  @DisplayName("a timeout replaces an absolute deadline and back")
  void timeoutVersusDeadline() {
    Instant at = Instant.parse("2030-01-01T00:00:00Z");
    CallOptions o = CallOptions.builder().deadline(at).timeout(Duration.ofSeconds(1)).build();
    assertThat(o.deadline()).isEmpty();
    assertThat(o.timeout()).contains(Duration.ofSeconds(1));
    assertThat(o.toBuilder().deadline(at).build().timeout()).isEmpty();
  }

  @Test
  @DisplayName("refuses headers the client sets itself")
  void reservedHeader() {
    assertThatThrownBy(() -> CallOptions.builder().header("nh-deadline", "1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("header 'nh-deadline' is set by the client: use its own option");
  }

  @Test
  @DisplayName("refuses CR and LF in header values")
  void crlf() {
    assertThatThrownBy(() -> CallOptions.builder().idempotencyKey("a\r\nb"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Idempotency-Key must not contain CR or LF");
  }

  @Test
  @DisplayName("refuses a zero timeout")
  void zeroTimeout() {
    assertThatThrownBy(() -> CallOptions.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be positive: PT0S");
  }
}
