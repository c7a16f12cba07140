package io.natsharness.conformance.shadow.noise;

import io.natsharness.proto.diff.Difference;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * How far apart the primaries' values of one field are: for numbers and timestamps the largest
 * gap; for strings the lengths, the alphabet and the literal prefix they share. A candidate value
 * inside the envelope is explained by the noise; one outside is not, even on a noisy field.
 */
final class Envelope {

  /** A candidate gap up to this many times the primaries' largest gap is still noise. */
  static final double NUMERIC_FACTOR = 10;

  private double maxGap = -1;
  private int minLength = Integer.MAX_VALUE;
  private int maxLength = -1;
  private String prefix;
  private final TreeSet<Character> alphabet = new TreeSet<>();

  /** Takes in one difference between the primaries. */
  void widen(Difference noise) {
    OptionalDouble gap = gap(noise.primaryValue(), noise.candidateValue());
    if (gap.isPresent()) {
      maxGap = Math.max(maxGap, gap.getAsDouble());
      return;
    }
    widenString(noise.primaryValue());
    widenString(noise.candidateValue());
  }

  private void widenString(String rendered) {
    String s = unquote(rendered);
    if (s == null) {
      return;
    }
    minLength = Math.min(minLength, s.length());
    maxLength = Math.max(maxLength, s.length());
    prefix = prefix == null ? s : commonPrefix(prefix, s);
    for (char c : s.toCharArray()) {
      alphabet.add(classOf(c));
    }
  }

  /** Null when the candidate's value is within the envelope; else why not. */
  String outside(Difference candidate) {
    OptionalDouble gap = gap(candidate.primaryValue(), candidate.candidateValue());
    if (gap.isPresent() && maxGap >= 0) {
      return gap.getAsDouble() <= NUMERIC_FACTOR * maxGap ? null
          : "the candidate is " + number(gap.getAsDouble()) + " away from the primary, the primaries at most "
              + number(maxGap);
    }
    String s = unquote(candidate.candidateValue());
    if (s != null && maxLength >= 0) {
      String literal = literalPrefix();
      if (s.length() < minLength || s.length() > maxLength) {
        return "the candidate's value has " + s.length() + " characters, the primaries' " + lengths();
      }
      if (!s.startsWith(literal)) {
        return "the candidate's value does not start with \"" + literal + "\" as the primaries' do";
      }
      for (char c : s.toCharArray()) {
        if (!alphabet.contains(classOf(c))) {
          return "the candidate's value has '" + c + "', a character the primaries' never have";
        }
      }
      return null;
    }
    return null; // no measure to hold it to: the kind already matched
  }

  private String lengths() {
    return minLength == maxLength ? String.valueOf(minLength) : minLength + " to " + maxLength;
  }

  /** The shared prefix up to its last character that is not a letter or digit ("tok-" of "tok-3f"). */
  String literalPrefix() {
    if (prefix == null) {
      return "";
    }
    for (int i = prefix.length() - 1; i >= 0; i--) {
      if (!Character.isLetterOrDigit(prefix.charAt(i))) {
        return prefix.substring(0, i + 1);
      }
    }
    return "";
  }

  /** Letters and digits by class (generated ids draw from a class), anything else as itself. */
  private static char classOf(char c) {
    if (c >= 'a' && c <= 'z') {
      return 'a';
    }
    if (c >= 'A' && c <= 'Z') {
      return 'A';
    }
    if (c >= '0' && c <= '9') {
      return '0';
    }
    return c;
  }

  /** The gap between two numbers, or two RFC 3339 timestamps in milliseconds. */
  static OptionalDouble gap(String a, String b) {
    OptionalDouble x = numeric(a);
    OptionalDouble y = numeric(b);
    return x.isPresent() && y.isPresent() ? OptionalDouble.of(Math.abs(x.getAsDouble() - y.getAsDouble()))
        : OptionalDouble.empty();
  }

  private static OptionalDouble numeric(String rendered) {
    try {
      return OptionalDouble.of(Double.parseDouble(rendered));
    } catch (NumberFormatException notANumber) {
      String s = unquote(rendered);
      if (s == null || s.length() < 20 || s.charAt(4) != '-') {
        return OptionalDouble.empty();
      }
      try {
        Instant t = Instant.parse(s);
        return OptionalDouble.of(t.getEpochSecond() * 1000.0 + t.getNano() / 1e6);
      } catch (DateTimeParseException notATimestamp) {
        return OptionalDouble.empty();
      }
    }
  }

  private static String unquote(String rendered) {
    if (rendered.length() >= 2 && rendered.startsWith("\"") && rendered.endsWith("\"")) {
      return rendered.substring(1, rendered.length() - 1);
    }
    return null;
  }

  private static String commonPrefix(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return a.substring(0, i);
  }

  private static String number(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.format(java.util.Locale.ROOT, "%.4g", d);
  }
}
