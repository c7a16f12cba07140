package io.natsharness.sdk.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CallContextTest {

  private static final MethodInfo CHARGE = ServiceCatalog.load().method("svc.util.payment.v1.charge").orElseThrow();
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  @Nested
  @DisplayName("builder")
  class Builder {

    @Test
    @DisplayName("needs a method")
    void needsMethod() {
      assertThatThrownBy(() -> CallContext.builder().build()).isInstanceOf(IllegalStateException.class)
          .hasMessage("CallContext needs a method: call method(MethodInfo) before build()");
    }

    @Test
    @DisplayName("refuses an unknown content type")
    void contentType() {
      assertThatThrownBy(() -> CallContext.builder().contentType("text/plain"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("unsupported content type 'text/plain': use application/protobuf or application/json");
    }

    @Test
    @DisplayName("defaults: protobuf, a generated request id, a deadline 30 s out")
    void defaults() {
      CallContext ctx = CallContext.builder().method(CHARGE).clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
      assertThat(ctx.contentType()).isEqualTo("application/protobuf");
      assertThat(ctx.requestId()).hasSize(36);
      assertThat(ctx.deadline()).isEqualTo(NOW.plusSeconds(30));
    }

    @Test
    @DisplayName("takes the request id from the Nh-Request-Id header")
    void requestIdFromHeader() {
      CallContext ctx = CallContext.builder().method(CHARGE).header("nh-request-id", "r-1").build();
      assertThat(ctx.requestId()).isEqualTo("r-1");
    }
  }

  @Test
  @DisplayName("headers are case-insensitive; empty values count as absent")
  void headers() {
    CallContext ctx = CallContext.builder().method(CHARGE)
        .header("idempotency-key", "k-1").header("Authorization", "").build();
    assertThat(ctx.idempotencyKey()).contains("k-1");
    assertThat(ctx.header("IDEMPOTENCY-KEY")).contains("k-1");
    assertThat(ctx.authorization()).isEmpty();
  }

  @Test
  @DisplayName("remaining is never negative and isExpired follows the clock")
  void expiry() {
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    CallContext past = CallContext.builder().method(CHARGE).clock(clock).deadline(NOW.minusMillis(1)).build();
    CallContext future = CallContext.builder().method(CHARGE).clock(clock).deadline(NOW.plusSeconds(2)).build();
    assertThat(past.isExpired()).isTrue();
    assertThat(past.remaining()).isEqualTo(Duration.ZERO);
    assertThat(future.isExpired()).isFalse();
    assertThat(future.remaining()).isEqualTo(Duration.ofSeconds(2));
  }
}
