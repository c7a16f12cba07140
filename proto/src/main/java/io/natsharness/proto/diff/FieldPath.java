package io.natsharness.proto.diff;

import java.util.ArrayList;
import java.util.List;

/** Difference paths and their field names: {@code a.b[2].c["k"]} and {@code a.b.c}. */
final class FieldPath {

  private FieldPath() {}

  /** The path without list indices and map keys. */
  static String strip(String path) {
    StringBuilder out = new StringBuilder(path.length());
    boolean inBracket = false;
    boolean quoted = false;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (inBracket) {
        if (quoted && c == '\\') {
          i++; // skip the escaped character
        } else if (c == '"') {
          quoted = !quoted;
        } else if (c == ']' && !quoted) {
          inBracket = false;
        }
      } else if (c == '[') {
        inBracket = true;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** The names of a stripped path, e.g. {@code [a, b, c]}; none for the empty path. */
  static List<String> segments(String strippedPath) {
    List<String> segments = new ArrayList<>();
    if (!strippedPath.isEmpty()) {
      for (String s : strippedPath.split("\\.", -1)) {
        segments.add(s);
      }
    }
    return segments;
  }

  static String child(String parent, String name) {
    return parent.isEmpty() ? name : parent + "." + name;
  }

  static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  static String key(String parent, String key) {
    return parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
  }
}
