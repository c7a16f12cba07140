package io.natsharness.services.content.language;

import static io.natsharness.services.util.kit.Calls.assertError;
import static io.natsharness.services.util.kit.Calls.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.nats.client.JetStreamManagement;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.content.language.v1.DetectLanguageRequest;
import io.natsharness.proto.content.language.v1.DetectLanguageResponse;
import io.natsharness.proto.content.language.v1.Glossary;
import io.natsharness.proto.content.language.v1.GlossaryEntry;
import io.natsharness.proto.content.language.v1.GlossaryUpdated;
import io.natsharness.proto.content.language.v1.LanguageScore;
import io.natsharness.proto.content.language.v1.LocalizeRequest;
import io.natsharness.proto.content.language.v1.LocalizeResponse;
import io.natsharness.proto.content.language.v1.PutGlossaryRequest;
import io.natsharness.proto.content.language.v1.TranslateRequest;
import io.natsharness.proto.content.language.v1.TranslateResponse;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.util.kit.Calls;
import io.natsharness.services.util.kit.Hosted;
import io.natsharness.services.util.kit.StoredEvents;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@NatsHarnessTest
@DisplayName("language_system")
class LanguageSystemServiceTest {

  static Hosted hosted;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    hosted = Hosted.start(info, "language_system");
  }

  @AfterAll
  static void stop() {
    if (hosted != null) {
      hosted.close();
    }
  }

  static Calls calls(RpcClient client) {
    return new Calls(client, "svc.content.language.v1");
  }

  static LocalizeResponse localize(Calls calls, String key, String locale, Map<String, String> params) {
    return calls.call("localize", LocalizeRequest.newBuilder().setKey(key).setLocale(locale).putAllParams(params)
        .build());
  }

  static GlossaryEntry entry(String term, String translation) {
    return GlossaryEntry.newBuilder().setTerm(term).setTranslation(translation).build();
  }

  @Nested
  @DisplayName("localize")
  class Localize {

    @ParameterizedTest(name = "{0} in {1} with {2}={3}: {4}")
    @CsvSource(delimiter = '|', value = {
        "quest.reward|en|count|1|You receive 1 gold coin.",
        "quest.reward|en|count|1.0|You receive 1.0 gold coins.",
        "quest.reward|en|count|1000|You receive 1,000 gold coins.",
        "quest.reward|de-AT|count|3|Du erhältst 3 Goldmünzen.",
        "quest.reward|fr|count|1.5|Tu reçois 1,5 pièce d'or.",
        "quest.reward|fr|count|0|Tu reçois 0 pièce d'or.",
        "quest.reward|fr|count|1000000|Tu reçois 1\u202f000\u202f000 de pièces d'or.",
        "quest.reward|es|count|1.0|Recibes 1,0 moneda de oro.",
        "quest.reward|es|count|2000000|Recibes 2.000.000 de monedas de oro.",
        "inventory.items|en|count|0|Your bag is empty.",
        "inventory.items|en_gb|count|1|You carry 1 item.",
        "greeting.player|de|gender|female|Willkommen zurück, Herrin {name}!"})
    @DisplayName("renders plurals with the CLDR categories of the language and its number format")
    void plurals(String key, String locale, String param, String value, String expected, RpcClient client) {
      Map<String, String> params = param.equals("gender") ? Map.of(param, value, "name", "{name}") : Map.of(param, value);
      assertThat(localize(calls(client), key, locale, params).getText()).isEqualTo(expected);
    }

    @Test
    @DisplayName("select, offset and explicit cases, number arguments and ICU quoting")
    void features(RpcClient client) {
      Calls calls = calls(client);
      assertThat(localize(calls, "greeting.player", "en", Map.of("gender", "unknown", "name", "Ann")).getText())
          .isEqualTo("Welcome back, Ann!");
      assertThat(localize(calls, "party.online", "en", Map.of("count", "1", "name", "Ann")).getText())
          .isEqualTo("Ann is online.");
      assertThat(localize(calls, "party.online", "en", Map.of("count", "2", "name", "Ann")).getText())
          .isEqualTo("Ann and 1 other player are online.");
      assertThat(localize(calls, "party.online", "en", Map.of("count", "4", "name", "Ann")).getText())
          .isEqualTo("Ann and 3 other players are online.");
      assertThat(localize(calls, "player.level_up", "de", Map.of("name", "Kai", "level", "1000")).getText())
          .isEqualTo("Kai hat Stufe 1.000 erreicht!");
      LocalizeResponse quoted = localize(calls, "build.info", "fr-CA", Map.of("version", "1.2"));
      assertThat(quoted.getText()).isEqualTo("Build 1.2 ({beta})");
      assertThat(quoted.getResolvedLocale()).isEqualTo("en");
    }

    @Test
    @DisplayName("falls back from de-AT to de to en and names where the message was found")
    void fallback(RpcClient client) {
      Calls calls = calls(client);
      assertThat(localize(calls, "menu.start", "DE_at", Map.of())).isEqualTo(LocalizeResponse.newBuilder()
          .setText("Spiel starten").setResolvedLocale("de").build());
      assertThat(localize(calls, "distance.walked", "es", Map.of("km", "2")).getResolvedLocale()).isEqualTo("en");
      assertError(() -> localize(calls, "no.such.key", "de-AT", Map.of()), Code.NOT_FOUND,
          "message 'no.such.key' is not in the catalogue for de-AT (looked in de, en)");
    }

    @Test
    @DisplayName("refuses missing or non-numeric parameters, bad keys and unsupported locales")
    void validates(RpcClient client) {
      Calls calls = calls(client);
      assertInvalid(() -> localize(calls, "quest.reward", "en", Map.of()), "params[count]",
          "params[count]: message 'quest.reward' uses parameter 'count', which params lacks");
      assertInvalid(() -> localize(calls, "quest.reward", "en", Map.of("count", "three")), "params[count]",
          "params[count]: must be a decimal number such as \"3\" or \"1.5\", got \"three\"");
      assertInvalid(() -> localize(calls, "", "en", Map.of()), "key", "key: must not be empty");
      assertInvalid(() -> localize(calls, "Quest Reward", "en", Map.of()), "key", "key: must match [a-z0-9._-]{1,128}");
      assertInvalid(() -> localize(calls, "menu.start", "it", Map.of()), "locale",
          "locale: locale 'it' is not supported; supported languages: de, en, es, fr");
      assertInvalid(() -> localize(calls, "menu.start", "english", Map.of()), "locale",
          "locale: 'english' is not a locale such as \"de\" or \"de-AT\"");
      assertInvalid(() -> localize(calls, "menu.start", "", Map.of()), "locale", "locale: is required");
    }
  }

  @Nested
  @DisplayName("translate and detect_language")
  class Translate {

    @Test
    @DisplayName("translates word by word, keeping punctuation and capital first letters")
    void dictionary(RpcClient client) {
      TranslateResponse r = calls(client).call("translate", TranslateRequest.newBuilder()
          .setText("The brave Knight finds 3 swords, and the Dragon!").setSourceLocale("en").setTargetLocale("es-ES")
          .build());
      assertThat(r.getTranslatedText()).isEqualTo("El valiente Caballero finds 3 swords, y el Dragón!");
      assertThat(r.getDictionaryHits()).isEqualTo(6);
      assertThat(r.getUnknownWordsList()).containsExactly("finds", "swords");
      assertThat(r.getSourceLanguage()).isEqualTo("en");
      assertThat(r.getTargetLanguage()).isEqualTo("es");
      assertThat(r.getGlossaryVersion()).isZero();
    }

    @Test
    @DisplayName("applies the glossary first: whole words, longest term first, never inside a replacement")
    void glossary(RpcClient client) {
      Calls calls = calls(client);
      Glossary g = calls.call("put_glossary", PutGlossaryRequest.newBuilder().setSourceLanguage("en")
          .setTargetLanguage("de").addEntries(entry("keep", "Festung")).addEntries(entry("Iron Keep", "Eisenfeste"))
          .addEntries(entry("fest", "NEVER")).build());
      TranslateResponse r = calls.call("translate", TranslateRequest.newBuilder()
          .setText("The iron keep and the keep; keeper.").setSourceLocale("en").setTargetLocale("de").build());
      assertThat(r.getTranslatedText()).isEqualTo("Die Eisenfeste und die Festung; keeper.");
      assertThat(r.getGlossaryHits()).isEqualTo(2);
      assertThat(r.getDictionaryHits()).isEqualTo(3);
      assertThat(r.getUnknownWordsList()).containsExactly("keeper");
      assertThat(r.getGlossaryVersion()).isEqualTo(g.getMeta().getVersion());
    }

    @Test
    @DisplayName("detects an empty source locale, and the same language leaves the text unchanged")
    void detection(RpcClient client) {
      Calls calls = calls(client);
      TranslateResponse r = calls.call("translate", TranslateRequest.newBuilder().setText("Der Drache und der Ritter")
          .setTargetLocale("en").build());
      assertThat(r.getSourceLanguage()).isEqualTo("de");
      assertThat(r.getTranslatedText()).isEqualTo("The Dragon and the Knight");
      TranslateResponse same = calls.call("translate", TranslateRequest.newBuilder().setText("Hola, amigo.")
          .setSourceLocale("es-MX").setTargetLocale("es").build());
      assertThat(same.getTranslatedText()).isEqualTo("Hola, amigo.");
      assertInvalid(() -> calls.call("translate", TranslateRequest.newBuilder().setText("zzz 123")
          .setTargetLocale("en").build()), "source_locale",
          "source_locale: is empty and the language of text cannot be detected (\"und\"); give source_locale");
      assertInvalid(() -> calls.call("translate", TranslateRequest.newBuilder().setTargetLocale("en").build()),
          "text", "text: must not be empty");
      assertInvalid(() -> calls.call("translate", TranslateRequest.newBuilder().setText("hi").setTargetLocale("xx-")
          .build()), "target_locale", "target_locale: 'xx-' is not a locale such as \"de\" or \"de-AT\"");
    }

    @Test
    @DisplayName("detect_language scores the share of known words per language, ties by code")
    void detect(RpcClient client) {
      Calls calls = calls(client);
      DetectLanguageResponse fr = calls.call("detect_language", DetectLanguageRequest.newBuilder()
          .setText("Le chevalier et la reine trouvent un trésor xyz").build());
      assertThat(fr.getLanguage()).isEqualTo("fr");
      assertThat(fr.getConfidence()).isEqualTo(7.0 / 9);
      assertThat(fr.getCandidatesList()).extracting(LanguageScore::getLanguage).hasSize(4).startsWith("fr");
      DetectLanguageResponse none = calls.call("detect_language", DetectLanguageRequest.newBuilder()
          .setText("1234 !!").build());
      assertThat(none.getLanguage()).isEqualTo("und");
      assertThat(none.getConfidence()).isZero();
      assertThat(none.getCandidatesList()).extracting(LanguageScore::getLanguage).containsExactly("de", "en", "es", "fr");
      assertInvalid(() -> calls.call("detect_language", DetectLanguageRequest.newBuilder().setText("x".repeat(10_001))
          .build()), "text", "text: must be at most 10000 characters");
    }
  }

  @Nested
  @DisplayName("put_glossary")
  class PutGlossary {

    @Test
    @DisplayName("versions each put, drops regions, and is compare-and-set with expected_version")
    void versions(RpcClient client) {
      Calls calls = calls(client);
      assertError(() -> calls.call("put_glossary", PutGlossaryRequest.newBuilder().setSourceLanguage("en")
          .setTargetLanguage("fr").setExpectedVersion(3).build()), Code.ABORTED,
          "glossary en->fr does not exist, expected version 3");
      Glossary first = calls.call("put_glossary", PutGlossaryRequest.newBuilder().setSourceLanguage("en-US")
          .setTargetLanguage("FR_ca").addEntries(entry("Iron Keep", "Donjon de Fer")).build());
      assertThat(first.getSourceLanguage()).isEqualTo("en");
      assertThat(first.getTargetLanguage()).isEqualTo("fr");
      assertThat(first.getMeta().getVersion()).isEqualTo(1);
      Glossary second = calls.call("put_glossary", PutGlossaryRequest.newBuilder().setSourceLanguage("en")
          .setTargetLanguage("fr").setExpectedVersion(1).build());
      assertThat(second.getEntriesList()).isEmpty();
      assertThat(second.getMeta().getVersion()).isEqualTo(2);
      assertError(() -> calls.call("put_glossary", PutGlossaryRequest.newBuilder().setSourceLanguage("en")
          .setTargetLanguage("fr").setExpectedVersion(1).build()), Code.ABORTED,
          "glossary en->fr is at version 2, expected 1");
    }

    @Test
    @DisplayName("refuses equal languages, repeated terms, empty or long entries and too many entries")
    void validates(RpcClient client) {
      Calls calls = calls(client);
      PutGlossaryRequest base = PutGlossaryRequest.newBuilder().setSourceLanguage("de").setTargetLanguage("fr").build();
      assertInvalid(() -> calls.call("put_glossary", base.toBuilder().setTargetLanguage("de-CH").build()),
          "target_language", "target_language: must differ from source_language");
      assertInvalid(() -> calls.call("put_glossary", base.toBuilder().addEntries(entry("Burg", "château"))
          .addEntries(entry("BURG", "fort")).build()), "entries[1].term",
          "entries[1].term: repeats the term of entries[0] (terms are compared ignoring case)");
      assertInvalid(() -> calls.call("put_glossary", base.toBuilder().addEntries(entry("", "x")).build()),
          "entries[0].term", "entries[0].term: must be 1-100 characters");
      assertInvalid(() -> calls.call("put_glossary", base.toBuilder().addEntries(entry("x", "y".repeat(201))).build()),
          "entries[0].translation", "entries[0].translation: must be 1-200 characters");
      PutGlossaryRequest.Builder many = base.toBuilder();
      for (int i = 0; i < 1001; i++) {
        many.addEntries(entry("t" + i, "u"));
      }
      assertInvalid(() -> calls.call("put_glossary", many.build()), "entries", "entries: must have at most 1000 entries");
      assertInvalid(() -> calls.call("put_glossary", base.toBuilder().setSourceLanguage("pt").build()),
          "source_language", "source_language: locale 'pt' is not supported; supported languages: de, en, es, fr");
    }

    @Test
    @DisplayName("publishes glossary_updated per put and survives a restart")
    void eventsAndRestart(RpcClient client, JetStreamManagement jsm) {
      Calls calls = calls(client);
      calls.call("put_glossary", PutGlossaryRequest.newBuilder().setSourceLanguage("es").setTargetLanguage("de")
          .addEntries(entry("castillo", "Burg")).build());
      hosted.restart();
      TranslateResponse r = calls.call("translate", TranslateRequest.newBuilder().setText("El castillo")
          .setSourceLocale("es").setTargetLocale("de").build());
      assertThat(r.getTranslatedText()).isEqualTo("Die Burg");
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(StoredEvents.payloads(jsm,
          "EVT_CONTENT", "evt.content.language.v1.glossary_updated", GlossaryUpdated.parser()))
          .filteredOn(e -> e.getSourceLanguage().equals("es")).containsExactly(GlossaryUpdated.newBuilder()
              .setSourceLanguage("es").setTargetLanguage("de").setVersion(1).setEntryCount(1).build()));
    }
  }
}
