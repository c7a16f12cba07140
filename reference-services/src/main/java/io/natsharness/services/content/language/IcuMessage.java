package io.natsharness.services.content.language;

import java.util.List;
import java.util.Map;

/**
 * A parsed ICU MessageFormat pattern, of the subset the catalogue uses: text with ICU's
 * apostrophe quoting, simple arguments ({@code {name}}), {@code {n, number}}, {@code select} and
 * {@code plural} (with {@code offset:}, explicit {@code =N} cases, CLDR categories and {@code #}).
 * Rendering is done by {@link IcuRenderer}; parsing by {@link IcuParser}.
 *
 * <pre>{@code
 * IcuMessage m = IcuMessage.parse("{count, plural, one {# coin} other {# coins}}");
 * }</pre>
 */
record IcuMessage(String pattern, List<Node> nodes) {

  static IcuMessage parse(String pattern) {
    return new IcuMessage(pattern, new IcuParser(pattern).parseMessage());
  }

  /** A piece of a message. */
  sealed interface Node permits Text, Argument, NumberArgument, Pound, Select, Plural {}

  /** Literal text, quoting already resolved. */
  record Text(String text) implements Node {}

  /** {@code {name}}: the parameter as given. */
  record Argument(String name) implements Node {}

  /** {@code {name, number}}: the parameter formatted as a number of the locale. */
  record NumberArgument(String name) implements Node {}

  /** {@code #} inside a plural case: the plural number minus the offset, formatted. */
  record Pound() implements Node {}

  /** {@code {name, select, key {...} other {...}}}. */
  record Select(String name, Map<String, List<Node>> cases) implements Node {}

  /**
   * {@code {name, plural, offset:k =0 {...} one {...} other {...}}}; case keys are {@code "=N"} or
   * category names.
   */
  record Plural(String name, long offset, Map<String, List<Node>> cases) implements Node {}
}
