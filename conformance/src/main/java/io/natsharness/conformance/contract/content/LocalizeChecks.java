package io.natsharness.conformance.contract.content;

import static io.natsharness.conformance.contract.kit.Bad.bad;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Bad;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.content.language.v1.LocalizeRequest;
import io.natsharness.proto.content.language.v1.LocalizeResponse;
import io.natsharness.sdk.status.RpcException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * language_system's localize. The catalogue of messages is the implementation's, so the plural
 * checks need one fixture message: {@value #PLURAL_KEY}, a plural on {@code {}{@value #PLURAL_ARG}{@code }}
 * whose one and other forms differ, in the en bundle at least. They never assume its wording: they
 * render it for several numbers and compare the texts with the number taken out, which must be
 * equal exactly when CLDR puts the numbers in the same category for the resolved language.
 */
final class LocalizeChecks {

  /** The catalogue message the plural checks render (the reference catalogue's coin reward). */
  static final String PLURAL_KEY = "quest.reward";
  static final String PLURAL_ARG = "count";

  private LocalizeChecks() {}

  static void add(ContractChecks checks) {
    checks
        .behaviour("localize", "cldr_plural_categories",
            "localize picks the plural form of " + PLURAL_KEY + " by the CLDR category of the resolved language, with # as the number.",
            LocalizeChecks::plurals)
        .behaviour("localize", "fallback_chain",
            "localize of a regional locale answers the message of the first bundle along de-AT, de, en that holds it, named in resolved_locale.",
            LocalizeChecks::fallback)
        .error("localize", "not_found", Code.NOT_FOUND,
            "localize of a key found nowhere along the fallback chain is NOT_FOUND.",
            ctx -> Rpc.of(ctx, LanguageSystemChecks.SERVICE).fails("localize", LocalizeRequest.newBuilder()
                .setKey(ctx.unique("nh.missing")).setLocale("de-AT").build(), Code.NOT_FOUND))
        .error("localize", "invalid_argument", Code.INVALID_ARGUMENT,
            "an empty key, an unsupported or malformed locale, a missing parameter or a plural value that is not a number is INVALID_ARGUMENT.",
            ctx -> Rpc.of(ctx, LanguageSystemChecks.SERVICE).failsOnEach("localize", List.of(
                bad("empty key", "key", localize("", "en", Map.of())),
                bad("unsupported locale ja", "locale", localize(PLURAL_KEY, "ja", Map.of(PLURAL_ARG, "1"))),
                bad("malformed locale", "locale", localize(PLURAL_KEY, "english", Map.of(PLURAL_ARG, "1"))),
                bad("missing locale", "locale", localize(PLURAL_KEY, "", Map.of(PLURAL_ARG, "1"))),
                Bad.namedInMessage("missing parameter " + PLURAL_ARG, PLURAL_ARG, localize(PLURAL_KEY, "en", Map.of())),
                Bad.namedInMessage("plural value that is not a number", PLURAL_ARG,
                    localize(PLURAL_KEY, "en", Map.of(PLURAL_ARG, "three"))))));
  }

  static LocalizeRequest localize(String key, String locale, Map<String, String> params) {
    return LocalizeRequest.newBuilder().setKey(key).setLocale(locale).putAllParams(params).build();
  }

  /** The fixture rendered for a number, failing with a hint when the catalogue lacks the fixture. */
  private static LocalizeResponse render(Rpc wire, String locale, String number) {
    try {
      return wire.ok("localize", localize(PLURAL_KEY, locale, Map.of(PLURAL_ARG, number)));
    } catch (AssertionError e) {
      if (e.getCause() instanceof RpcException rpc && rpc.code() == Code.NOT_FOUND) {
        throw new AssertionError("the plural checks need the catalogue message " + PLURAL_KEY
            + " (a plural on {" + PLURAL_ARG + "}) in the en bundle: " + rpc.statusMessage(), e);
      }
      throw e;
    }
  }

  /** The text with the number, as written or with a decimal comma, taken out. */
  private static String withoutNumber(String text, String number) {
    return text.replace(number, "#").replace(number.replace('.', ','), "#");
  }

  /** CLDR 44 cardinal category ("one", "many" or "other") of a number as written, per language. */
  static String category(String language, String number) {
    BigDecimal n = new BigDecimal(number).abs();
    BigInteger i = n.toBigInteger();
    int v = Math.max(0, n.scale());
    boolean million = i.signum() != 0 && i.mod(BigInteger.valueOf(1_000_000)).signum() == 0 && v == 0;
    return switch (language) {
      case "fr" -> i.compareTo(BigInteger.ONE) <= 0 ? "one" : million ? "many" : "other";
      case "es" -> n.compareTo(BigDecimal.ONE) == 0 ? "one" : million ? "many" : "other";
      default -> i.equals(BigInteger.ONE) && v == 0 ? "one" : "other";
    };
  }

  private static void plurals(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, LanguageSystemChecks.SERVICE);
    List<String> numbers = List.of("0", "1", "2", "5", "1.5", "1.0");
    for (String locale : List.of("en", "de-AT", "fr", "es")) {
      Map<String, String> texts = new LinkedHashMap<>();
      String resolved = "";
      for (String number : numbers) {
        LocalizeResponse r = render(wire, locale, number);
        resolved = r.getResolvedLocale();
        assertThat(r.getText()).as("%s in %s for %s: # is the number", PLURAL_KEY, locale, number)
            .satisfiesAnyOf(t -> assertThat(t).contains(number), t -> assertThat(t).contains(number.replace('.', ',')));
        texts.put(number, withoutNumber(r.getText(), number));
      }
      assertThat(resolved).as("resolved_locale of %s", locale).isIn(chain(locale));
      String language = resolved.split("-")[0];
      for (String a : numbers) {
        for (String b : numbers) {
          String ca = category(language, a);
          String cb = category(language, b);
          if (ca.equals(cb)) {
            assertThat(texts.get(b)).as("%s (%s) for %s and %s, both CLDR '%s'", locale, resolved, a, b, ca)
                .isEqualTo(texts.get(a));
          } else {
            assertThat(texts.get(b)).as("%s (%s) for %s ('%s') and %s ('%s')", locale, resolved, a, ca, b, cb)
                .isNotEqualTo(texts.get(a));
          }
        }
      }
    }
  }

  /** The fallback chain of a locale, e.g. de-AT, de, en. */
  static List<String> chain(String locale) {
    String language = locale.split("-")[0];
    return locale.contains("-") ? List.of(locale, language, "en") : language.equals("en") ? List.of("en")
        : List.of(language, "en");
  }

  private static void fallback(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, LanguageSystemChecks.SERVICE);
    for (String locale : List.of("de-AT", "fr-CA", "es-MX", "en-US")) {
      for (String alias : List.of(locale, locale.toLowerCase().replace('-', '_'))) {
        LocalizeResponse regional = render(wire, alias, "3");
        assertThat(regional.getResolvedLocale()).as("resolved_locale of %s", alias).isIn(chain(locale));
        LocalizeResponse direct = render(wire, regional.getResolvedLocale(), "3");
        assertThat(regional.getText()).as("%s in %s vs in %s", PLURAL_KEY, alias, regional.getResolvedLocale())
            .isEqualTo(direct.getText());
      }
    }
  }
}
