package io.natsharness.conformance.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("RateProfile: intended start of every request")
class RateProfileTest {

  @Nested
  @DisplayName("constant")
  class Constant {

    @Test
    @DisplayName("request i is due at i / rate, independent of any answer")
    void evenlySpaced() {
      RateProfile p = RateProfile.constant(500);

      assertThat(p.offsetNanos(0)).isZero();
      assertThat(p.offsetNanos(3)).isEqualTo(6_000_000);
      assertThat(p.requestsIn(Duration.ofSeconds(2))).isEqualTo(1_000);
    }

    @Test
    @DisplayName("a rate that is not positive is refused with its value")
    void refusesZero() {
      assertThatThrownBy(() -> RateProfile.constant(0)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("rate must be a positive number of requests per second, not 0.0");
    }
  }

  @Nested
  @DisplayName("ramp")
  class Ramp {

    @Test
    @DisplayName("offers (from + to) / 2 × T requests during the ramp, then the final rate")
    void countsAlongTheRamp() {
      RateProfile p = RateProfile.ramp(100, 300, Duration.ofSeconds(2));

      assertThat(p.requestsIn(Duration.ofSeconds(2))).isEqualTo(400);
      assertThat(p.offsetNanos(400)).isEqualTo(2_000_000_000L);
      assertThat(p.offsetNanos(700)).isEqualTo(3_000_000_000L);
    }

    @Test
    @DisplayName("requests come closer together as the rate climbs")
    void gapsShrink() {
      RateProfile p = RateProfile.ramp(100, 1_000, Duration.ofSeconds(10));

      long firstGap = p.offsetNanos(1) - p.offsetNanos(0);
      long laterGap = p.offsetNanos(3_001) - p.offsetNanos(3_000);
      assertThat(firstGap).isCloseTo(10_000_000L, org.assertj.core.data.Offset.offset(100_000L));
      assertThat(laterGap).isLessThan(firstGap / 3);
    }

    @Test
    @DisplayName("describes itself for reports")
    void describes() {
      assertThat(RateProfile.ramp(1_000, 10_000, Duration.ofSeconds(30))).hasToString("1000 → 10000 req/s over 30 s");
    }
  }
}
