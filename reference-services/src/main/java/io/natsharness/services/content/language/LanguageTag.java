package io.natsharness.services.content.language;

import io.natsharness.sdk.status.RpcException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A supported locale: a language of {@link #LANGUAGES}, optionally with a region. Parsing is
 * case-insensitive and accepts "_" for "-"; the canonical form is {@code de-AT}.
 *
 * <pre>{@code
 * LanguageTag tag = LanguageTag.parse("de_at", "locale"); // de-AT
 * tag.fallbackChain();                                   // [de, en]
 * }</pre>
 */
record LanguageTag(String language, Optional<String> region) {

  /** The supported languages, in code order (the order that breaks ties). */
  static final List<String> LANGUAGES = List.of("de", "en", "es", "fr");

  static final String FALLBACK_LANGUAGE = "en";

  private static final Pattern FORM = Pattern.compile("([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}|[0-9]{3}))?");

  /**
   * Parses a locale; {@code field} names the request field in errors. Malformed and unsupported
   * locales are INVALID_ARGUMENT with different descriptions.
   */
  static LanguageTag parse(String text, String field) {
    if (text.isEmpty()) {
      throw RpcException.invalidArgument(field, "is required");
    }
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw RpcException.invalidArgument(field, "'" + text + "' is not a locale such as \"de\" or \"de-AT\"");
    }
    String language = m.group(1).toLowerCase(Locale.ROOT);
    if (!LANGUAGES.contains(language)) {
      throw RpcException.invalidArgument(field, "locale '" + text + "' is not supported; supported languages: "
          + String.join(", ", LANGUAGES));
    }
    return new LanguageTag(language, Optional.ofNullable(m.group(2)).map(r -> r.toUpperCase(Locale.ROOT)));
  }

  /** {@code de-AT}, or {@code de} without a region. */
  String canonical() {
    return region.map(r -> language + "-" + r).orElse(language);
  }

  /** The bundles localize looks in, in order: the language, then English (no repeats). */
  List<String> fallbackChain() {
    return language.equals(FALLBACK_LANGUAGE) ? List.of(language) : List.of(language, FALLBACK_LANGUAGE);
  }

  /** The JDK locale for number formatting. */
  Locale locale() {
    return Locale.forLanguageTag(canonical());
  }
}
