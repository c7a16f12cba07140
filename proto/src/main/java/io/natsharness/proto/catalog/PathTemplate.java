package io.natsharness.proto.catalog;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code google.api.http} path template such as {@code /v1/world/entities/{entity_id}} or
 * {@code /v1/ai/llm/infer:stream}, compiled once for matching request paths.
 *
 * <p>Supported syntax: literal segments, single-segment variables {@code {field}} and
 * {@code {field=*}}, multi-segment {@code {field=**}} as the last segment, and a {@code :verb}
 * suffix. A variable names a top-level request field.
 *
 * <pre>{@code
 * PathTemplate t = PathTemplate.parse("/v1/util/settings/{scope}/{key}");
 * t.match("/v1/util/settings/GLOBAL/volume"); // Optional[{scope=GLOBAL, key=volume}]
 * }</pre>
 */
public final class PathTemplate {

  private static final Pattern VARIABLE = Pattern.compile("\\{([a-zA-Z_][a-zA-Z0-9_.]*)(=([^}]*))?}");

  private final String template;
  private final List<String> variables;
  private final Pattern regex;
  private final int literalLength;

  private PathTemplate(String template, List<String> variables, Pattern regex, int literalLength) {
    this.template = template;
    this.variables = List.copyOf(variables);
    this.regex = regex;
    this.literalLength = literalLength;
  }

  /**
   * Parses a template.
   *
   * @throws IllegalArgumentException if the template does not start with '/' or uses a variable
   *     pattern other than {@code *} or {@code **}
   */
  public static PathTemplate parse(String template) {
    if (template == null || !template.startsWith("/")) {
      throw new IllegalArgumentException("path template must start with '/': " + template);
    }
    List<String> variables = new ArrayList<>();
    StringBuilder regex = new StringBuilder("^");
    Matcher m = VARIABLE.matcher(template);
    int last = 0;
    int literal = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(last, m.start())));
      literal += m.start() - last;
      String pattern = m.group(3) == null ? "*" : m.group(3);
      switch (pattern) {
        case "*" -> regex.append("([^/:]+)");
        case "**" -> regex.append("(.+?)");
        default -> throw new IllegalArgumentException(
            "unsupported variable pattern '" + pattern + "' in " + template);
      }
      variables.add(m.group(1));
      last = m.end();
    }
    regex.append(Pattern.quote(template.substring(last))).append('$');
    literal += template.length() - last;
    return new PathTemplate(template, variables, Pattern.compile(regex.toString()), literal);
  }

  /** The template as written in the proto. */
  public String template() {
    return template;
  }

  /** Variable names (request field paths) in order of appearance. */
  public List<String> variables() {
    return variables;
  }

  /**
   * Number of literal characters; a router prefers the match with more literal characters, so
   * {@code /v1/x/items/latest} wins over {@code /v1/x/items/{id}} when both could apply.
   */
  public int literalLength() {
    return literalLength;
  }

  /**
   * Matches a request path (without query string) and returns the URL-decoded variable values.
   */
  public Optional<Map<String, String>> match(String path) {
    Matcher m = regex.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < variables.size(); i++) {
      // '+' is a literal in a path segment, not a space as in a query string.
      String raw = m.group(i + 1).replace("+", "%2B");
      values.put(variables.get(i), URLDecoder.decode(raw, StandardCharsets.UTF_8));
    }
    return Optional.of(values);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathTemplate other && other.template.equals(template);
  }

  @Override
  public int hashCode() {
    return template.hashCode();
  }

  @Override
  public String toString() {
    return template;
  }
}
