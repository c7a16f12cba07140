package io.natsharness.conformance.contract.content;

import static io.natsharness.conformance.contract.kit.Bad.bad;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.content.language.v1.DetectLanguageRequest;
import io.natsharness.proto.content.language.v1.DetectLanguageResponse;
import io.natsharness.proto.content.language.v1.Glossary;
import io.natsharness.proto.content.language.v1.GlossaryEntry;
import io.natsharness.proto.content.language.v1.GlossaryUpdated;
import io.natsharness.proto.content.language.v1.LanguageScore;
import io.natsharness.proto.content.language.v1.PutGlossaryRequest;
import io.natsharness.proto.content.language.v1.TranslateRequest;
import io.natsharness.proto.content.language.v1.TranslateResponse;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The contract checks of language_system (content/language/v1/language_system.proto): translate
 * with the glossary applied longest term first, whole words only and never inside an earlier
 * replacement, unknown words kept; canonical locales; detect_language's documented rule;
 * glossaries with versions and compare-and-set; and localize, whose checks are in
 * {@link LocalizeChecks}. Made-up words unique to the run keep the checks free of any built-in
 * dictionary. Glossaries exist per language pair, so on a shared store the glossary checks
 * replace those of two pairs (en to es, fr to de).
 *
 * <pre>{@code
 * List<Check> checks = LanguageSystemChecks.checks();   // contract.language_system.*
 * }</pre>
 */
public final class LanguageSystemChecks {

  static final String SERVICE = "language_system";
  static final List<String> LANGUAGES = List.of("de", "en", "es", "fr");

  private LanguageSystemChecks() {}

  public static List<Check> checks() {
    ContractChecks checks = ContractChecks.forService(SERVICE)
        .behaviour("translate", "same_language_unchanged",
            "translate between two locales of one language answers the text unchanged.",
            ctx -> {
              String text = "Zq " + word(ctx, "zq") + ", the end!";
              TranslateResponse r = Rpc.of(ctx, SERVICE).ok("translate", translate(text, "en-GB", "EN_us"));
              assertThat(r.getTranslatedText()).isEqualTo(text);
              assertThat(r.getSourceLanguage()).isEqualTo("en");
              assertThat(r.getTargetLanguage()).isEqualTo("en");
            })
        .behaviour("translate", "glossary_first",
            "translate applies the pair's glossary first: longest term first, whole words, any case, never inside an earlier replacement.",
            LanguageSystemChecks::glossaryFirst)
        .behaviour("translate", "detects_empty_source",
            "translate with an empty source_locale uses the language detect_language finds.",
            LanguageSystemChecks::detectsSource)
        .error("translate", "invalid_argument", Code.INVALID_ARGUMENT,
            "empty or long text, an unsupported or malformed locale, or an undetectable text without source_locale is INVALID_ARGUMENT.",
            LanguageSystemChecks::translateInvalid)
        .behaviour("detect_language", "undetermined",
            "text without a known word is language und with confidence 0, every supported language scoring 0.",
            ctx -> {
              DetectLanguageResponse r = Rpc.of(ctx, SERVICE).ok("detect_language", DetectLanguageRequest.newBuilder()
                  .setText(word(ctx, "zq") + " " + word(ctx, "xv") + "!").build());
              assertThat(r.getLanguage()).isEqualTo("und");
              assertThat(r.getConfidence()).isZero();
              assertThat(r.getCandidatesList()).extracting(LanguageScore::getLanguage).as("candidates, ties by code")
                  .containsExactlyElementsOf(LANGUAGES);
              assertThat(r.getCandidatesList()).extracting(LanguageScore::getScore).containsOnly(0.0);
            })
        .behaviour("detect_language", "scores_ranked",
            "detect_language answers every supported language's score in [0, 1], highest first, the winner's score as confidence.",
            LanguageSystemChecks::scoresRanked)
        .error("detect_language", "invalid_argument", Code.INVALID_ARGUMENT,
            "detect_language of empty text or text over 10000 characters is INVALID_ARGUMENT.",
            ctx -> Rpc.of(ctx, SERVICE).failsOnEach("detect_language", List.of(
                bad("empty text", "text", DetectLanguageRequest.getDefaultInstance()),
                bad("text of 10001 characters", "text", DetectLanguageRequest.newBuilder()
                    .setText("a".repeat(10_001)).build()))))
        .behaviour("put_glossary", "versions_in_put_order",
            "put_glossary replaces the pair's glossary, keeps the entries in put order, drops a region and grows meta.version by one.",
            LanguageSystemChecks::versions)
        .error("put_glossary", "compare_and_set", Code.ABORTED,
            "put_glossary with a stale expected_version is ABORTED and the glossary stays.",
            LanguageSystemChecks::glossaryCas)
        .error("put_glossary", "invalid_argument", Code.INVALID_ARGUMENT,
            "an unsupported or equal language pair, 1001 entries, an empty or long term or translation, or a repeated term is INVALID_ARGUMENT.",
            LanguageSystemChecks::glossaryInvalid)
        .error("put_glossary", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "put_glossary past its deadline is DEADLINE_EXCEEDED and the glossary in use stays.",
            LanguageSystemChecks::glossaryExpired)
        .behaviour("put_glossary", "glossary_updated_event",
            "put_glossary publishes one glossary_updated event with the pair, the version and the entry count.",
            LanguageSystemChecks::updatedEvent);
    LocalizeChecks.add(checks);
    return checks.build();
  }

  /** A made-up word of letters only, unique to the run, that no dictionary holds. */
  static String word(CheckContext ctx, String base) {
    StringBuilder w = new StringBuilder(base);
    for (char c : ctx.unique("").toCharArray()) {
      if (Character.isDigit(c)) {
        w.append((char) ('j' + (c - '0')));
      } else if (Character.isLetter(c)) {
        w.append(c);
      }
    }
    return w.toString();
  }

  static TranslateRequest translate(String text, String source, String target) {
    return TranslateRequest.newBuilder().setText(text).setSourceLocale(source).setTargetLocale(target).build();
  }

  static GlossaryEntry entry(String term, String translation) {
    return GlossaryEntry.newBuilder().setTerm(term).setTranslation(translation).build();
  }

  static PutGlossaryRequest glossary(String source, String target, GlossaryEntry... entries) {
    return PutGlossaryRequest.newBuilder().setSourceLanguage(source).setTargetLanguage(target)
        .addAllEntries(List.of(entries)).build();
  }

  private static void glossaryFirst(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String qa = word(ctx, "qa");
    String qb = word(ctx, "qb");
    String qc = word(ctx, "qc");
    String unknown = word(ctx, "zz");
    String up = qb.substring(0, 1).toUpperCase() + qb.substring(1);
    Glossary g = wire.ok("put_glossary", glossary("en", "es", entry(qb, "XB"), entry(qa + " " + qb, up + " " + qc)));
    String text = qa.toUpperCase() + " " + qb + ", " + up + "; " + qb + "tail " + unknown + "!";
    TranslateResponse r = wire.ok("translate", translate(text, "en", "es"));
    assertThat(r.getTranslatedText()).as("translation of '%s'", text)
        .isEqualTo(up + " " + qc + ", XB; " + qb + "tail " + unknown + "!");
    assertThat(r.getGlossaryHits()).as("glossary_hits").isEqualTo(2);
    assertThat(r.getDictionaryHits()).as("dictionary_hits of made-up words").isZero();
    assertThat(r.getUnknownWordsList()).as("unknown_words, lower case, in order")
        .containsExactly(qb + "tail", unknown);
    assertThat(r.getGlossaryVersion()).as("glossary_version").isEqualTo(g.getMeta().getVersion());
    assertThat(r.getSourceLanguage()).isEqualTo("en");
    assertThat(r.getTargetLanguage()).isEqualTo("es");
  }

  private static void detectsSource(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    for (String text : List.of("Hello, and welcome to the house of my friend.", "Der Hund und die Katze sind hier.",
        "Le chien et le chat sont ici.", "El perro y el gato están aquí.")) {
      DetectLanguageResponse detected = wire.ok("detect_language", DetectLanguageRequest.newBuilder().setText(text).build());
      if (detected.getLanguage().equals("und")) {
        wire.fails("translate", translate(text, "", "en"), Code.INVALID_ARGUMENT);
      } else {
        TranslateResponse r = wire.ok("translate", translate(text, "", detected.getLanguage().equals("en") ? "de" : "en"));
        assertThat(r.getSourceLanguage()).as("source language of '%s'", text).isEqualTo(detected.getLanguage());
      }
    }
  }

  private static void translateInvalid(CheckContext ctx) {
    String nonsense = word(ctx, "zq") + " " + word(ctx, "xv");
    Rpc.of(ctx, SERVICE).failsOnEach("translate", List.of(
        bad("empty text", "text", translate("", "en", "de")),
        bad("text of 10001 characters", "text", translate("a".repeat(10_001), "en", "de")),
        bad("empty target_locale", "target_locale", translate("hello", "en", "")),
        bad("unsupported target_locale ja", "target_locale", translate("hello", "en", "ja")),
        bad("malformed target_locale", "target_locale", translate("hello", "en", "d")),
        bad("unsupported source_locale it-IT", "source_locale", translate("hello", "it-IT", "de")),
        bad("undetectable text without source_locale", "source_locale", translate(nonsense, "", "de"))));
  }

  private static void scoresRanked(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    for (String text : List.of("the and of", "Der Hund und die Katze.", "le chat et le chien", "hello " + word(ctx, "q"))) {
      DetectLanguageResponse r = wire.ok("detect_language", DetectLanguageRequest.newBuilder().setText(text).build());
      List<LanguageScore> candidates = r.getCandidatesList();
      assertThat(candidates).extracting(LanguageScore::getLanguage).as("candidates of '%s'", text)
          .containsExactlyInAnyOrderElementsOf(LANGUAGES);
      assertThat(candidates).extracting(LanguageScore::getScore).allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
      assertThat(candidates).as("candidates by score, ties by code").isSortedAccordingTo(
          Comparator.comparingDouble(LanguageScore::getScore).reversed().thenComparing(LanguageScore::getLanguage));
      LanguageScore best = candidates.get(0);
      assertThat(r.getConfidence()).as("confidence of '%s'", text).isEqualTo(best.getScore());
      assertThat(r.getLanguage()).as("language of '%s'", text).isEqualTo(best.getScore() > 0 ? best.getLanguage() : "und");
    }
  }

  private static void versions(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String a = word(ctx, "qa");
    String b = word(ctx, "qb");
    Glossary first = wire.ok("put_glossary", glossary("fr-CA", "de_AT", entry(b, "B"), entry(a, "A")));
    assertThat(first.getSourceLanguage()).as("source_language with the region dropped").isEqualTo("fr");
    assertThat(first.getTargetLanguage()).isEqualTo("de");
    assertThat(first.getEntriesList()).as("entries in put order").containsExactly(entry(b, "B"), entry(a, "A"));
    Glossary second = wire.ok("put_glossary", glossary("fr", "de", entry(a, "AA")));
    assertThat(second.getMeta().getVersion()).as("version after another put").isEqualTo(first.getMeta().getVersion() + 1);
    assertThat(second.getEntriesList()).as("the whole glossary replaced").containsExactly(entry(a, "AA"));
    Glossary emptied = wire.ok("put_glossary", glossary("fr", "de"));
    assertThat(emptied.getEntriesList()).as("an empty entry list leaves an empty glossary").isEmpty();
    TranslateResponse r = wire.ok("translate", translate(a, "fr", "de"));
    assertThat(r.getTranslatedText()).as("translation with the emptied glossary").isEqualTo(a);
    assertThat(r.getGlossaryVersion()).isEqualTo(emptied.getMeta().getVersion());
  }

  private static void glossaryCas(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String a = word(ctx, "qa");
    Glossary current = wire.ok("put_glossary", glossary("fr", "de", entry(a, "one")));
    long v = current.getMeta().getVersion();
    Glossary next = wire.ok("put_glossary", glossary("fr", "de", entry(a, "two")).toBuilder().setExpectedVersion(v).build());
    assertThat(next.getMeta().getVersion()).isEqualTo(v + 1);
    wire.fails("put_glossary", glossary("fr", "de", entry(a, "stale")).toBuilder().setExpectedVersion(v).build(),
        Code.ABORTED);
    TranslateResponse r = wire.ok("translate", translate(a, "fr", "de"));
    assertThat(r.getTranslatedText()).as("translation after the stale put").isEqualTo("two");
    assertThat(r.getGlossaryVersion()).isEqualTo(v + 1);
  }

  private static void glossaryInvalid(CheckContext ctx) {
    String a = word(ctx, "qa");
    GlossaryEntry[] many = IntStream.range(0, 1001).mapToObj(i -> entry(a + "n" + (char) ('a' + i % 26) + i, "x"))
        .toArray(GlossaryEntry[]::new);
    Rpc.of(ctx, SERVICE).failsOnEach("put_glossary", List.of(
        bad("unsupported source ja", "source_language", glossary("ja", "de", entry(a, "x"))),
        bad("malformed target", "target_language", glossary("fr", "d3", entry(a, "x"))),
        bad("the same language twice", "target_language", glossary("fr-CA", "fr", entry(a, "x"))),
        bad("1001 entries", "entries", glossary("fr", "de", many)),
        bad("empty term", "entries", glossary("fr", "de", entry("", "x"))),
        bad("term of 101 characters", "entries", glossary("fr", "de", entry("t".repeat(101), "x"))),
        bad("empty translation", "entries", glossary("fr", "de", entry(a, ""))),
        bad("translation of 201 characters", "entries", glossary("fr", "de", entry(a, "x".repeat(201)))),
        bad("a term twice, ignoring case", "entries", glossary("fr", "de", entry(a, "x"), entry(a.toUpperCase(), "y")))));
  }

  private static void glossaryExpired(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String a = word(ctx, "qa");
    Glossary current = wire.ok("put_glossary", glossary("fr", "de", entry(a, "kept")));
    wire.call("put_glossary").expiredDeadline().fails(glossary("fr", "de", entry(a, "late")), Code.DEADLINE_EXCEEDED);
    TranslateResponse r = wire.ok("translate", translate(a, "fr", "de"));
    assertThat(r.getTranslatedText()).as("translation after the expired put").isEqualTo("kept");
    assertThat(r.getGlossaryVersion()).isEqualTo(current.getMeta().getVersion());
  }

  private static void updatedEvent(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String a = word(ctx, "qa");
    try (EventSpy<GlossaryUpdated> spy = EventSpy.on(ctx, SERVICE, "glossary_updated")) {
      Glossary g = wire.ok("put_glossary", glossary("fr", "de", entry(a, "x"), entry(a + "b", "y")));
      GlossaryUpdated event = spy.awaitOne(e -> e.getSourceLanguage().equals("fr") && e.getTargetLanguage().equals("de")
          && e.getVersion() == g.getMeta().getVersion());
      assertThat(event.getEntryCount()).isEqualTo(2);
    }
  }
}
