package io.natsharness.services.content.language;

import io.natsharness.proto.content.language.v1.DetectLanguageRequest;
import io.natsharness.proto.content.language.v1.DetectLanguageResponse;
import io.natsharness.proto.content.language.v1.Glossary;
import io.natsharness.proto.content.language.v1.LocalizeRequest;
import io.natsharness.proto.content.language.v1.LocalizeResponse;
import io.natsharness.proto.content.language.v1.PutGlossaryRequest;
import io.natsharness.proto.content.language.v1.TranslateRequest;
import io.natsharness.proto.content.language.v1.TranslateResponse;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.ServiceLifecycle;
import io.natsharness.services.support.Validation;
import io.natsharness.services.util.kit.EventOutbox;
import java.util.Optional;

/**
 * language_system: translate (glossary, then the built-in dictionary), localize (ICU
 * MessageFormat with CLDR plurals over the bundled catalogue), detect_language (share of known
 * words) and put_glossary (versioned, compare-and-set). The word data and messages are loaded
 * once at construction; glossaries live in Redis.
 *
 * <pre>{@code
 * ServiceHost.builder().connection(nats).add(new LanguageSystemService(ctx)).build().start();
 * // svc.content.language.v1.localize {key: "quest.reward", locale: "de-AT", params: {count: "3"}}
 * //   -> {text: "Du erhältst 3 Goldmünzen.", resolved_locale: "de"}
 * }</pre>
 */
public final class LanguageSystemService implements NatsService, ServiceLifecycle {

  private static final int MAX_TEXT = 10_000;

  private final MessageCatalogue catalogue = MessageCatalogue.load();
  private final Lexicon lexicon = Lexicon.load();
  private final LanguageDetector detector = new LanguageDetector(lexicon);
  private final Translator translator = new Translator(lexicon);
  private final EventOutbox events;
  private final GlossaryStore glossaries;

  public LanguageSystemService(ServiceContext ctx) {
    this.events = new EventOutbox(ctx, GlossaryStore.SERVICE);
    this.glossaries = new GlossaryStore(ctx, events);
  }

  @Override
  public String name() {
    return GlossaryStore.SERVICE;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.unary("translate", this::translate)
        .unary("localize", this::localize)
        .unary("detect_language", this::detectLanguage)
        .unary("put_glossary", this::putGlossary);
  }

  @Override
  public void start() {
    events.startSweeping();
  }

  @Override
  public void close() {
    events.close();
  }

  TranslateResponse translate(TranslateRequest request, CallContext call) {
    String text = checkText(request.getText());
    String target = LanguageTag.parse(request.getTargetLocale(), "target_locale").language();
    String source;
    if (request.getSourceLocale().isEmpty()) {
      source = detector.detect(text).getLanguage();
      Validation.require(!source.equals(LanguageDetector.UNDETERMINED), "source_locale",
          "is empty and the language of text cannot be detected (\"und\"); give source_locale");
    } else {
      source = LanguageTag.parse(request.getSourceLocale(), "source_locale").language();
    }
    Optional<Glossary> glossary = source.equals(target) ? Optional.empty() : glossaries.find(source, target);
    return translator.translate(text, source, target, glossary);
  }

  LocalizeResponse localize(LocalizeRequest request, CallContext call) {
    String key = Validation.nonEmpty(request.getKey(), "key");
    Validation.matches(key, MessageCatalogue.KEY, "key");
    LanguageTag tag = LanguageTag.parse(request.getLocale(), "locale");
    for (String language : tag.fallbackChain()) {
      Optional<IcuMessage> message = catalogue.find(language, key);
      if (message.isPresent()) {
        String text = new IcuRenderer(language, key, request.getParamsMap()).render(message.get());
        return LocalizeResponse.newBuilder().setText(text).setResolvedLocale(language).build();
      }
    }
    throw RpcException.notFound("message '" + key + "' is not in the catalogue for " + tag.canonical()
        + " (looked in " + String.join(", ", tag.fallbackChain()) + ")");
  }

  DetectLanguageResponse detectLanguage(DetectLanguageRequest request, CallContext call) {
    return detector.detect(checkText(request.getText()));
  }

  Glossary putGlossary(PutGlossaryRequest request, CallContext call) {
    return glossaries.put(request);
  }

  private static String checkText(String text) {
    Validation.require(!text.isEmpty(), "text", "must not be empty");
    Validation.maxLength(text, MAX_TEXT, "text");
    return text;
  }
}
