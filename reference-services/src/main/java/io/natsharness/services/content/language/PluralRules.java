package io.natsharness.services.content.language;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * CLDR plural categories (cardinal) of the supported languages, from the rules of CLDR 44:
 * <ul>
 *   <li>en, de: one when i = 1 and v = 0; else other;
 *   <li>es: one when n = 1; many when i != 0, i % 1000000 = 0 and v = 0; else other;
 *   <li>fr: one when i = 0 or 1; many when i != 0, i % 1000000 = 0 and v = 0; else other.
 * </ul>
 * Operands as CLDR defines them on the number as written: n = absolute value, i = its integer
 * digits, v = the count of visible fraction digits ("1.0" has v = 1, so English says "other").
 *
 * <pre>{@code
 * PluralRules.category("fr", new BigDecimal("1.5")); // "one"
 * }</pre>
 */
final class PluralRules {

  private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);

  private PluralRules() {}

  static String category(String language, BigDecimal number) {
    BigDecimal n = number.abs();
    BigInteger i = n.toBigInteger();
    int v = Math.max(0, n.scale());
    boolean many = i.signum() != 0 && i.mod(MILLION).signum() == 0 && v == 0;
    return switch (language) {
      case "fr" -> i.compareTo(BigInteger.ONE) <= 0 ? "one" : many ? "many" : "other";
      case "es" -> n.compareTo(BigDecimal.ONE) == 0 ? "one" : many ? "many" : "other";
      default -> i.equals(BigInteger.ONE) && v == 0 ? "one" : "other";
    };
  }
}
