package io.natsharness.services.content.language;

import io.natsharness.proto.content.language.v1.Glossary;
import io.natsharness.proto.content.language.v1.GlossaryEntry;
import io.natsharness.proto.content.language.v1.GlossaryUpdated;
import io.natsharness.proto.content.language.v1.PutGlossaryRequest;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.Validation;
import io.natsharness.services.util.kit.CasRecords;
import io.natsharness.services.util.kit.CasRecords.Write;
import io.natsharness.services.util.kit.EventOutbox;
import io.natsharness.services.util.kit.Records;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The glossaries of language pairs in Redis: one versioned record per pair (compare-and-set
 * through {@link CasRecords}), published as glossary_updated with event id
 * {@code <source>:<target>:<revision>}.
 *
 * <pre>{@code
 * Glossary g = store.put(request);             // validated, versioned, event published
 * Optional<Glossary> found = store.find("en", "de");
 * }</pre>
 */
final class GlossaryStore {

  static final String SERVICE = "language_system";
  private static final int MAX_ENTRIES = 1000;

  private final ServiceContext ctx;
  private final CasRecords records;
  private final EventOutbox events;

  GlossaryStore(ServiceContext ctx, EventOutbox events) {
    this.ctx = ctx;
    this.records = new CasRecords(ctx.redis());
    this.events = events;
  }

  Glossary put(PutGlossaryRequest request) {
    String source = LanguageTag.parse(request.getSourceLanguage(), "source_language").language();
    String target = LanguageTag.parse(request.getTargetLanguage(), "target_language").language();
    Validation.require(!source.equals(target), "target_language", "must differ from source_language");
    List<GlossaryEntry> entries = request.getEntriesList();
    Validation.maxSize(entries, MAX_ENTRIES, "entries");
    checkEntries(entries);
    Glossary body = Glossary.newBuilder().setSourceLanguage(source).setTargetLanguage(target)
        .addAllEntries(entries).build();
    String pair = source + ":" + target;
    CasRecords.Written w = records.put(Write.of(key(source, target), ctx.key(SERVICE, "revisions"),
            "glossary " + source + "->" + target, pair)
        .expect(request.getExpectedVersion()).body(Records.encode(body)).at(ctx.clock().millis()));
    Glossary stored = body.toBuilder().setMeta(w.meta()).build();
    events.publish("glossary_updated", GlossaryUpdated.newBuilder().setSourceLanguage(source)
        .setTargetLanguage(target).setVersion(w.version()).setEntryCount(entries.size()).build(),
        "glossary:" + pair + ":" + w.revision());
    return stored;
  }

  Optional<Glossary> find(String source, String target) {
    Map<String, String> hash = ctx.redis().sync().hgetall(key(source, target));
    if (hash.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Records.decode(hash.get("body"), Glossary.parser()).toBuilder()
        .setMeta(Records.meta(hash)).build());
  }

  private static void checkEntries(List<GlossaryEntry> entries) {
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      GlossaryEntry e = entries.get(i);
      String field = "entries[" + i + "]";
      Validation.require(!e.getTerm().isEmpty() && e.getTerm().length() <= 100, field + ".term",
          "must be 1-100 characters");
      Validation.require(!e.getTranslation().isEmpty() && e.getTranslation().length() <= 200,
          field + ".translation", "must be 1-200 characters");
      Integer earlier = seen.putIfAbsent(e.getTerm().toLowerCase(Locale.ROOT), i);
      if (earlier != null) {
        throw RpcException.invalidArgument(field + ".term",
            "repeats the term of entries[" + earlier + "] (terms are compared ignoring case)");
      }
    }
  }

  private String key(String source, String target) {
    return ctx.key(SERVICE, "glossary", source, target);
  }
}
