package io.natsharness.proto.diff;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A pattern over field names (no list indices or map keys): names joined by {@code .}, where
 * {@code *} stands for one name and {@code **} for any number of names. {@code meta.updated_at}
 * names one field in every element of every list on the way; {@code **.created_at} every
 * {@code created_at} at any depth; {@code @status.message} the error message of the call.
 */
final class PathPattern {

  private static final Pattern NAME = Pattern.compile("@?[A-Za-z_][A-Za-z0-9_]*|\\*|\\*\\*");

  private final String text;
  private final List<String> segments;

  private PathPattern(String text, List<String> segments) {
    this.text = text;
    this.segments = segments;
  }

  /**
   * Parses a pattern.
   *
   * @throws IllegalArgumentException naming the pattern when it is empty or has a malformed name
   */
  static PathPattern parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a field path pattern must not be empty");
    }
    String trimmed = text.strip();
    List<String> segments = FieldPath.segments(trimmed);
    for (int i = 0; i < segments.size(); i++) {
      String s = segments.get(i);
      if (!NAME.matcher(s).matches() || (s.startsWith("@") && i > 0)) {
        throw new IllegalArgumentException("malformed field path pattern '" + trimmed
            + "': use field names joined by '.', with * for one name and ** for any number, e.g. 'meta.updated_at' or '**.created_at'");
      }
    }
    return new PathPattern(trimmed, List.copyOf(segments));
  }

  /** Whether the field path (indices stripped) matches. */
  boolean matches(String strippedPath) {
    return match(0, FieldPath.segments(strippedPath), 0);
  }

  boolean matches(List<String> pathSegments) {
    return match(0, pathSegments, 0);
  }

  private boolean match(int p, List<String> path, int i) {
    if (p == segments.size()) {
      return i == path.size();
    }
    String s = segments.get(p);
    if (s.equals("**")) {
      for (int k = i; k <= path.size(); k++) {
        if (match(p + 1, path, k)) {
          return true;
        }
      }
      return false;
    }
    if (i == path.size()) {
      return false;
    }
    return (s.equals("*") || s.equals(path.get(i))) && match(p + 1, path, i + 1);
  }

  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathPattern other && other.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
