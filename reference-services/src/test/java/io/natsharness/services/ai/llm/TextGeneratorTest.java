package io.natsharness.services.ai.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.proto.ai.llm.v1.FinishReason;
import io.natsharness.services.ai.llm.ServedModels.ServedModel;
import io.natsharness.services.ai.llm.TextGenerator.Generation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TextGenerator")
class TextGeneratorTest {

  private static final ServedModel LARGE = ServedModels.find("atlas-large").orElseThrow();

  @Test
  @DisplayName("is a function of its inputs")
  void deterministic() {
    assertThat(TextGenerator.generate(LARGE, "p", 0.7, 42, 256))
        .isEqualTo(TextGenerator.generate(LARGE, "p", 0.7, 42, 256));
  }

  @Test
  @DisplayName("treats temperature as part of the seed")
  void temperature() {
    assertThat(TextGenerator.generate(LARGE, "p", 0.7, 42, 256).output())
        .isNotEqualTo(TextGenerator.generate(LARGE, "p", 0.8, 42, 256).output());
  }

  @Test
  @DisplayName("cuts at max_tokens without changing the words before the cut")
  void prefix() {
    Generation full = TextGenerator.generate(LARGE, "p", 1, 9, 10_000);
    Generation cut = TextGenerator.generate(LARGE, "p", 1, 9, 10);

    assertThat(full.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(cut.finishReason()).isEqualTo(FinishReason.LENGTH);
    assertThat(cut.tokens()).hasSize(10);
    for (int i = 0; i < 10; i++) {
      assertThat(full.tokens().get(i)).startsWith(cut.tokens().get(i).replaceAll("\\.$", ""));
    }
  }

  @Test
  @DisplayName("stays within the model's natural length and ends its output with a full stop")
  void lengthAndShape() {
    for (long seed = 0; seed < 50; seed++) {
      Generation g = TextGenerator.generate(LARGE, "Tell me about NATS messaging", 2, seed, 10_000);
      assertThat(g.tokens()).hasSizeBetween(32, 160);
      assertThat(g.output()).endsWith(".").doesNotStartWith(" ");
      assertThat(g.tokens().subList(1, g.tokens().size())).allSatisfy(t -> assertThat(t).startsWith(" "));
    }
  }

  @Test
  @DisplayName("reads -0.0 and 0.0 as the same temperature")
  void negativeZero() {
    assertThat(TextGenerator.temperatureKey(-0.0)).isEqualTo(TextGenerator.temperatureKey(0.0));
  }
}
