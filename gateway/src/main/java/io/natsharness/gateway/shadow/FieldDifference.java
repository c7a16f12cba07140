package io.natsharness.gateway.shadow;

import java.util.Objects;

/**
 * One field on which two answers disagree.
 *
 * <pre>{@code
 * new FieldDifference("tokens_used", "12", "13");
 * new FieldDifference("beats[2].text", "\"Dawn\"", "<absent>");
 * }</pre>
 *
 * @param path proto field path: names as in the schema, {@code .} for nesting, {@code [i]} for a
 *     list element, {@code ["key"]} for a map entry; {@code status} and {@code status.code} for
 *     the outcome of the call itself
 * @param expected the value in the reference answer (the legacy one in SHADOW mode)
 * @param actual the value in the compared answer (the NATS one)
 */
public record FieldDifference(String path, String expected, String actual) {

  public FieldDifference {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(actual, "actual");
  }

  /** The path without list indices and map keys: the name that metrics count by. */
  public String fieldName() {
    return stripIndices(path);
  }

  static String stripIndices(String path) {
    StringBuilder out = new StringBuilder(path.length());
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (depth > 0) {
        if (c == '"') {
          quoted = !quoted;
        } else if (c == ']' && !quoted) {
          depth--;
        } else if (c == '\\' && quoted) {
          i++;
        }
      } else if (c == '[') {
        depth++;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return path + ": expected " + expected + ", got " + actual;
  }
}
