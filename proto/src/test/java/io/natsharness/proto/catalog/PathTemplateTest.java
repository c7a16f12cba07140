package io.natsharness.proto.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PathTemplateTest {

  @Test
  void matchesVariablesAndDecodesThem() {
    PathTemplate t = PathTemplate.parse("/v1/util/settings/{scope}/{key}");
    assertThat(t.variables()).containsExactly("scope", "key");
    assertThat(t.match("/v1/util/settings/GLOBAL/sound%20volume+x"))
        .contains(Map.of("scope", "GLOBAL", "key", "sound volume+x"));
  }

  @Test
  void aVariableDoesNotCrossSegmentsOrTheVerbSuffix() {
    PathTemplate t = PathTemplate.parse("/v1/game/world/entities/{entity_id}");
    assertThat(t.match("/v1/game/world/entities/a/b")).isEmpty();
    assertThat(t.match("/v1/game/world/entities/")).isEmpty();
    PathTemplate verb = PathTemplate.parse("/v1/ai/llm/infer:stream");
    assertThat(verb.match("/v1/ai/llm/infer:stream")).contains(Map.of());
    assertThat(verb.match("/v1/ai/llm/infer")).isEmpty();
  }

  @Test
  void doubleStarTakesTheRest() {
    PathTemplate t = PathTemplate.parse("/v1/files/{path=**}");
    assertThat(t.match("/v1/files/a/b/c")).contains(Map.of("path", "a/b/c"));
  }

  @Test
  void refusesWhatItCannotMatch() {
    assertThatThrownBy(() -> PathTemplate.parse("v1/x"))
        .hasMessage("path template must start with '/': v1/x");
    assertThatThrownBy(() -> PathTemplate.parse("/v1/{name=shelves/*}"))
        .hasMessage("unsupported variable pattern 'shelves/*' in /v1/{name=shelves/*}");
  }

  @Test
  void prefersLiteralLength() {
    assertThat(PathTemplate.parse("/v1/x/items/latest").literalLength())
        .isGreaterThan(PathTemplate.parse("/v1/x/items/{id}").literalLength());
  }
}
