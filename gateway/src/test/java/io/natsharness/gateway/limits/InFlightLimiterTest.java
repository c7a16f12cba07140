package io.natsharness.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.gateway.limits.InFlightLimiter.Rejection;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("InFlightLimiter")
class InFlightLimiterTest {

  @Test
  @DisplayName("refuses a route beyond its own bound, and frees the slot on close")
  void perRoute() {
    InFlightLimiter limiter = new InFlightLimiter(10, route -> 2);
    var a = limiter.tryAcquire("r").permit().orElseThrow();
    limiter.tryAcquire("r").permit().orElseThrow();
    assertThat(limiter.tryAcquire("r").rejection()).contains(Rejection.ROUTE_FULL);
    assertThat(limiter.inFlight("r")).isEqualTo(2);
    a.close();
    a.close();
    assertThat(limiter.inFlight("r")).isEqualTo(1);
    assertThat(limiter.tryAcquire("r").permit()).isPresent();
  }

  @Test
  @DisplayName("refuses any route beyond the gateway-wide bound without keeping the route slot")
  void global() {
    InFlightLimiter limiter = new InFlightLimiter(2, route -> 5);
    limiter.tryAcquire("a").permit().orElseThrow();
    limiter.tryAcquire("b").permit().orElseThrow();
    assertThat(limiter.tryAcquire("c").rejection()).contains(Rejection.GATEWAY_FULL);
    assertThat(limiter.inFlight("c")).isZero();
    assertThat(limiter.inFlight()).isEqualTo(2);
  }
}
