package io.natsharness.gateway.cutover;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("CanarySplit")
class CanarySplitTest {

  @Test
  @DisplayName("hashes with 32-bit FNV-1a (published test vectors)")
  void fnvVectors() {
    assertThat(CanarySplit.fnv1a32("")).isEqualTo(0x811c9dc5);
    assertThat(CanarySplit.fnv1a32("a")).isEqualTo(0xe40c292c);
    assertThat(CanarySplit.fnv1a32("foobar")).isEqualTo(0xbf9cf968);
  }

  @Nested
  @DisplayName("toNats")
  class ToNats {

    @Test
    @DisplayName("sends nothing at 0 % and everything at 100 %")
    void bounds() {
      assertThat(IntStream.range(0, 500).mapToObj(i -> "p" + i).noneMatch(k -> CanarySplit.toNats(k, 0))).isTrue();
      assertThat(IntStream.range(0, 500).mapToObj(i -> "p" + i).allMatch(k -> CanarySplit.toNats(k, 100))).isTrue();
    }

    @Test
    @DisplayName("only moves players to NATS when the percentage grows")
    void monotone() {
      for (int i = 0; i < 1000; i++) {
        String key = "player-" + i;
        if (CanarySplit.toNats(key, 10)) {
          assertThat(CanarySplit.toNats(key, 50)).as(key).isTrue();
        }
      }
    }

    @Test
    @DisplayName("splits many keys close to the percentage")
    void proportion() {
      long nats = IntStream.range(0, 10_000).filter(i -> CanarySplit.toNats("player-" + i, 25)).count();
      assertThat(nats).isBetween(2_300L, 2_700L);
    }
  }
}
