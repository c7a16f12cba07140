package io.natsharness.services.content.kb;

import io.natsharness.proto.content.kb.v1.Fact;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The knowledge base's terms: text lower-cased and split on every character that is not a letter
 * or a digit, and the weight of a term in a fact (3 x its occurrences in the title + its
 * occurrences in the text), which is what search sums over the distinct query terms.
 *
 * <pre>{@code
 * Terms.of("The Iron Keep's gate");  // [the, iron, keep, s, gate]
 * Terms.weights(fact);               // {gate=1, iron=4, ...}
 * }</pre>
 */
final class Terms {

  private Terms() {}

  static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    String lower = text.toLowerCase(Locale.ROOT);
    StringBuilder term = new StringBuilder();
    lower.codePoints().forEach(cp -> {
      if (Character.isLetterOrDigit(cp)) {
        term.appendCodePoint(cp);
      } else if (term.length() > 0) {
        out.add(term.toString());
        term.setLength(0);
      }
    });
    if (term.length() > 0) {
      out.add(term.toString());
    }
    return out;
  }

  /** The distinct terms of a text, in order of first appearance. */
  static List<String> distinct(String text) {
    return List.copyOf(new LinkedHashSet<>(of(text)));
  }

  /** Every term of the fact with its weight, in term order. */
  static Map<String, Long> weights(Fact fact) {
    Map<String, Long> weights = new TreeMap<>();
    of(fact.getTitle()).forEach(t -> weights.merge(t, 3L, Long::sum));
    of(fact.getText()).forEach(t -> weights.merge(t, 1L, Long::sum));
    return weights;
  }
}
