package io.natsharness.services.content.language;

import io.natsharness.services.content.language.IcuMessage.Argument;
import io.natsharness.services.content.language.IcuMessage.Node;
import io.natsharness.services.content.language.IcuMessage.NumberArgument;
import io.natsharness.services.content.language.IcuMessage.Plural;
import io.natsharness.services.content.language.IcuMessage.Pound;
import io.natsharness.services.content.language.IcuMessage.Select;
import io.natsharness.services.content.language.IcuMessage.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recursive-descent parser of {@link IcuMessage}. Apostrophes follow ICU's default
 * (DOUBLE_OPTIONAL) mode: {@code ''} is one apostrophe; an apostrophe starts quoted text only
 * before {@code {}, {@code }} or (inside a plural) {@code #}; any other apostrophe is literal, so
 * French "l'épée" needs no escaping. A malformed pattern is an IllegalArgumentException naming
 * the position: the catalogue is parsed at start, so a bad message fails fast, never at request
 * time.
 */
final class IcuParser {

  private final String p;
  private int pos;

  IcuParser(String pattern) {
    this.p = pattern;
  }

  List<Node> parseMessage() {
    List<Node> nodes = parseNodes(false);
    if (pos < p.length()) {
      throw error("unbalanced '}'");
    }
    return nodes;
  }

  private List<Node> parseNodes(boolean inPlural) {
    List<Node> nodes = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    while (pos < p.length()) {
      char c = p.charAt(pos);
      if (c == '\'') {
        quoted(text, inPlural);
      } else if (c == '{') {
        flush(text, nodes);
        nodes.add(argument());
      } else if (c == '}') {
        break;
      } else if (c == '#' && inPlural) {
        flush(text, nodes);
        nodes.add(new Pound());
        pos++;
      } else {
        text.append(c);
        pos++;
      }
    }
    flush(text, nodes);
    return List.copyOf(nodes);
  }

  private void quoted(StringBuilder text, boolean inPlural) {
    if (pos + 1 < p.length() && p.charAt(pos + 1) == '\'') {
      text.append('\'');
      pos += 2;
      return;
    }
    char next = pos + 1 < p.length() ? p.charAt(pos + 1) : 0;
    if (next != '{' && next != '}' && !(inPlural && next == '#')) {
      text.append('\'');
      pos++;
      return;
    }
    pos++;
    while (pos < p.length()) {
      char c = p.charAt(pos);
      if (c == '\'') {
        if (pos + 1 < p.length() && p.charAt(pos + 1) == '\'') {
          text.append('\'');
          pos += 2;
          continue;
        }
        pos++;
        return;
      }
      text.append(c);
      pos++;
    }
    // ICU quotes to the end of the pattern when the quote is not closed.
  }

  private Node argument() {
    pos++; // '{'
    String name = identifier("argument name");
    skipSpace();
    if (peek() == '}') {
      pos++;
      return new Argument(name);
    }
    expect(',');
    String type = identifier("argument type");
    skipSpace();
    switch (type) {
      case "number" -> {
        expect('}');
        return new NumberArgument(name);
      }
      case "select" -> {
        expect(',');
        Map<String, List<Node>> cases = cases(false);
        return new Select(name, cases);
      }
      case "plural" -> {
        expect(',');
        skipSpace();
        long offset = 0;
        if (p.startsWith("offset:", pos)) {
          pos += "offset:".length();
          skipSpace();
          offset = Long.parseLong(identifier("offset"));
        }
        Map<String, List<Node>> cases = cases(true);
        return new Plural(name, offset, cases);
      }
      default -> throw error("unsupported argument type '" + type + "'");
    }
  }

  private Map<String, List<Node>> cases(boolean plural) {
    Map<String, List<Node>> cases = new LinkedHashMap<>();
    while (true) {
      skipSpace();
      if (peek() == '}') {
        pos++;
        break;
      }
      String key = identifier("case key");
      skipSpace();
      expect('{');
      List<Node> body = parseNodes(plural);
      expect('}');
      if (cases.putIfAbsent(key, body) != null) {
        throw error("case '" + key + "' appears twice");
      }
    }
    if (!cases.containsKey("other")) {
      throw error("a select or plural needs an 'other' case");
    }
    return Map.copyOf(cases);
  }

  private String identifier(String what) {
    skipSpace();
    int start = pos;
    while (pos < p.length()) {
      char c = p.charAt(pos);
      if (Character.isLetterOrDigit(c) || c == '_' || c == '=' || c == '-' || c == '.') {
        pos++;
      } else {
        break;
      }
    }
    if (start == pos) {
      throw error("expected " + what);
    }
    return p.substring(start, pos);
  }

  private void expect(char c) {
    skipSpace();
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private char peek() {
    return pos < p.length() ? p.charAt(pos) : 0;
  }

  private void skipSpace() {
    while (pos < p.length() && Character.isWhitespace(p.charAt(pos))) {
      pos++;
    }
  }

  private static void flush(StringBuilder text, List<Node> nodes) {
    if (text.length() > 0) {
      nodes.add(new Text(text.toString()));
      text.setLength(0);
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at position " + pos + " of \"" + p + "\"");
  }
}
