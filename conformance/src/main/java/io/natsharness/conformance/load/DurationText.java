package io.natsharness.conformance.load;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/**
 * Durations as people type them on a command line: {@code 500ms}, {@code 10s}, {@code 2m},
 * {@code 1h}, or ISO-8601 ({@code PT10S}). A picocli converter.
 *
 * <pre>{@code
 * new DurationText().convert("500ms");   // PT0.5S
 * }</pre>
 */
public final class DurationText implements ITypeConverter<Duration> {

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  /**
   * @throws IllegalArgumentException for text that is no duration, saying what is expected
   */
  @Override
  public Duration convert(String value) {
    Matcher m = SIMPLE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    try {
      return Duration.parse(value.trim());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("'" + value + "' is not a duration like 500ms, 10s, 2m or PT10S");
    }
  }
}
