package io.natsharness.services.util.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.proto.util.time.v1.Phase;
import io.natsharness.proto.util.time.v1.PhaseChanged;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("phase crossings")
class PhaseCrossingsTest {

  static final long H = 3_600_000L;

  @Test
  @DisplayName("a boundary counts when after the start and at or before the end")
  void bounds() {
    assertThat(PhaseCrossings.between("w", 5 * H, 7 * H, 10)).extracting(PhaseChanged::getPhase)
        .containsExactly(Phase.DAY);
    assertThat(PhaseCrossings.between("w", 5 * H - 1, 5 * H, 10)).extracting(PhaseChanged::getPhase)
        .containsExactly(Phase.DAWN);
    assertThat(PhaseCrossings.between("w", 7 * H, 7 * H, 10)).isEmpty();
  }

  @Test
  @DisplayName("several days at once, in order, with the previous phase, capped at the limit")
  void manyDays() {
    assertThat(PhaseCrossings.between("w", 19 * H, 24 * H + 8 * H, 10))
        .extracting(c -> c.getDay() + ":" + c.getPreviousPhase() + ">" + c.getPhase())
        .containsExactly("0:DUSK>NIGHT", "1:NIGHT>DAWN", "1:DAWN>DAY");
    assertThat(PhaseCrossings.between("w", 0, 10 * 24 * H, 6)).hasSize(6).last()
        .extracting(PhaseChanged::getGameTimeMs).isEqualTo(24 * H + 7 * H);
  }

  @Test
  @DisplayName("event ids are world:day:phase")
  void eventId() {
    PhaseChanged night = PhaseCrossings.between("arena", 19 * H, 21 * H, 1).get(0);
    assertThat(PhaseCrossings.eventId(night)).isEqualTo("arena:0:NIGHT");
    assertThat(night.getGameTimeMs()).isEqualTo(20 * H);
  }
}
