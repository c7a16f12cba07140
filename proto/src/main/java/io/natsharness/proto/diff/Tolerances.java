package io.natsharness.proto.diff;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as in configuration files: {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 1m}. */
final class Tolerances {

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

  private Tolerances() {}

  static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("malformed tolerance '" + text + "': use a number and ms, s or m, e.g. '250ms' or '2s'");
    }
    BigDecimal amount = new BigDecimal(m.group(1));
    BigDecimal nanos = switch (m.group(2)) {
      case "ms" -> amount.movePointRight(6);
      case "s" -> amount.movePointRight(9);
      default -> amount.multiply(BigDecimal.valueOf(60)).movePointRight(9);
    };
    return Duration.ofNanos(nanos.longValue());
  }
}
