package io.natsharness.services.content.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("ICU MessageFormat subset")
class IcuMessageTest {

  static String render(String pattern, String language, Map<String, String> params) {
    return new IcuRenderer(language, "test.key", params).render(IcuMessage.parse(pattern));
  }

  @Nested
  @DisplayName("quoting")
  class Quoting {

    @Test
    @DisplayName("'' is one apostrophe and an apostrophe before a letter is literal")
    void apostrophes() {
      assertThat(render("l'épée d''or", "fr", Map.of())).isEqualTo("l'épée d'or");
    }

    @Test
    @DisplayName("an apostrophe before a brace quotes up to the next apostrophe")
    void quotedBraces() {
      assertThat(render("'{name}' is {name}", "en", Map.of("name", "Ann"))).isEqualTo("{name} is Ann");
    }

    @Test
    @DisplayName("# is literal outside a plural and quotable inside one")
    void pound() {
      assertThat(render("#1 {n, plural, other {'#' #}}", "en", Map.of("n", "4"))).isEqualTo("#1 # 4");
    }
  }

  @Nested
  @DisplayName("arguments")
  class Arguments {

    @Test
    @DisplayName("a select inside a plural, with an offset and exact cases")
    void nested() {
      String pattern = "{n, plural, offset:1 =0 {none} =1 {{who}} other {{who} and # {g, select, f {her} other {their}}}}";
      assertThat(render(pattern, "en", Map.of("n", "0"))).isEqualTo("none");
      assertThat(render(pattern, "en", Map.of("n", "1", "who", "Ann"))).isEqualTo("Ann");
      assertThat(render(pattern, "en", Map.of("n", "3", "who", "Ann", "g", "f"))).isEqualTo("Ann and 2 her");
    }

    @Test
    @DisplayName("only the parameters of the path taken are needed")
    void lazyParameters() {
      assertThat(render("{g, select, a {{x}} other {plain}}", "en", Map.of("g", "b"))).isEqualTo("plain");
    }

    @Test
    @DisplayName("the CLDR categories: French 0 and 1.5 are one, Spanish 1.0 is one, English 1.0 is other")
    void categories() {
      String pattern = "{n, plural, one {one} many {many} other {other}}";
      assertThat(render(pattern, "fr", Map.of("n", "0"))).isEqualTo("one");
      assertThat(render(pattern, "fr", Map.of("n", "1.5"))).isEqualTo("one");
      assertThat(render(pattern, "fr", Map.of("n", "2000000"))).isEqualTo("many");
      assertThat(render(pattern, "es", Map.of("n", "1.0"))).isEqualTo("one");
      assertThat(render(pattern, "en", Map.of("n", "1.0"))).isEqualTo("other");
      assertThat(render(pattern, "de", Map.of("n", "-1"))).isEqualTo("one");
    }
  }

  @Nested
  @DisplayName("malformed patterns")
  class Malformed {

    @Test
    @DisplayName("are refused with the position")
    void refused() {
      assertThatThrownBy(() -> IcuMessage.parse("a } b")).hasMessage("unbalanced '}' at position 2 of \"a } b\"");
      assertThatThrownBy(() -> IcuMessage.parse("{n, plural, one {x}}"))
          .hasMessage("a select or plural needs an 'other' case at position 20 of \"{n, plural, one {x}}\"");
      assertThatThrownBy(() -> IcuMessage.parse("{n, date}"))
          .hasMessage("unsupported argument type 'date' at position 8 of \"{n, date}\"");
      assertThatThrownBy(() -> IcuMessage.parse("{n, select, a {x} a {y} other {z}}"))
          .hasMessage("case 'a' appears twice at position 23 of \"{n, select, a {x} a {y} other {z}}\"");
      assertThatThrownBy(() -> IcuMessage.parse("{n")).hasMessage("expected ',' at position 2 of \"{n\"");
    }

    @Test
    @DisplayName("every bundled message parses (the catalogue loads)")
    void catalogueLoads() {
      assertThat(MessageCatalogue.load().find("en", "quest.reward")).isPresent();
    }
  }
}
