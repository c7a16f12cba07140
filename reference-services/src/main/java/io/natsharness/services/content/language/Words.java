package io.natsharness.services.content.language;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits text into words for translate and detect_language: a word is a maximal run of letters
 * and digits that holds at least one letter ("3" is not a word, "2nd" is). Everything between
 * words (spaces, punctuation, numbers) is kept as it is by translate.
 *
 * <pre>{@code
 * Words.spans("Hello, world!"); // [Span[0,5], Span[7,12]]
 * }</pre>
 */
final class Words {

  private Words() {}

  /** A word's position in the text: [start, end). */
  record Span(int start, int end) {
    String in(String text) {
      return text.substring(start, end);
    }

    String lowerIn(String text) {
      return in(text).toLowerCase(Locale.ROOT);
    }
  }

  static List<Span> spans(String text) {
    List<Span> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      if (!Character.isLetterOrDigit(cp)) {
        i += Character.charCount(cp);
        continue;
      }
      int start = i;
      boolean letter = false;
      while (i < text.length() && Character.isLetterOrDigit(text.codePointAt(i))) {
        letter |= Character.isLetter(text.codePointAt(i));
        i += Character.charCount(text.codePointAt(i));
      }
      if (letter) {
        out.add(new Span(start, i));
      }
    }
    return out;
  }

  /** The lower-case words of the text, in order, repeats included. */
  static List<String> lowerWords(String text) {
    List<String> out = new ArrayList<>();
    for (Span s : spans(text)) {
      out.add(s.lowerIn(text));
    }
    return out;
  }

  /** Whether the code point at {@code index} (or the one before it) belongs to a word run. */
  static boolean isWordChar(String text, int index) {
    return index >= 0 && index < text.length() && Character.isLetterOrDigit(text.charAt(index));
  }
}
