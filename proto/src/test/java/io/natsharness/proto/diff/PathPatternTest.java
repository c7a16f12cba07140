package io.natsharness.proto.diff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("field paths and patterns")
class PathPatternTest {

  @Test
  @DisplayName("indices and map keys are stripped, even keys holding brackets and quotes")
  void strip() {
    assertThat(FieldPath.strip("a.b[2].c[\"k]\\\"x\"].d")).isEqualTo("a.b.c.d");
    assertThat(FieldPath.strip("@stream[3].text")).isEqualTo("@stream.text");
  }

  @Test
  @DisplayName("* is one name, ** any number of names")
  void wildcards() {
    assertThat(PathPattern.parse("meta.updated_at").matches("meta.updated_at")).isTrue();
    assertThat(PathPattern.parse("meta").matches("meta.updated_at")).isFalse();
    assertThat(PathPattern.parse("*.updated_at").matches("meta.updated_at")).isTrue();
    assertThat(PathPattern.parse("*.updated_at").matches("a.meta.updated_at")).isFalse();
    assertThat(PathPattern.parse("**.updated_at").matches("a.meta.updated_at")).isTrue();
    assertThat(PathPattern.parse("**.updated_at").matches("updated_at")).isTrue();
    assertThat(PathPattern.parse("**").matches("anything.at.all")).isTrue();
  }

  @Test
  @DisplayName("id mappings are one to one and rewrite ids inside text")
  void idMap() {
    IdMap ids = IdMap.create();
    assertThat(ids.bind("tok-aaaaaa", "tok-xxxxxx")).isTrue();
    assertThat(ids.bind("tok-aaaaaa", "tok-xxxxxx")).isTrue();
    assertThat(ids.bind("tok-aaaaaa", "tok-yyyyyy")).isFalse();
    assertThat(ids.bind("tok-bbbbbb", "tok-xxxxxx")).isFalse();
    assertThat(ids.translate("revoked tok-aaaaaa at 3")).isEqualTo("revoked tok-xxxxxx at 3");
    assertThat(ids.copy().bind("tok-cccccc", "tok-zzzzzz")).isTrue();
    assertThat(ids.candidateFor("tok-cccccc")).isEmpty();
  }
}
