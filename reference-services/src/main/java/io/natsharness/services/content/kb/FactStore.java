package io.natsharness.services.content.kb;

import com.google.protobuf.util.Timestamps;
import io.natsharness.proto.content.kb.v1.Fact;
import io.natsharness.proto.content.kb.v1.SearchHit;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.util.kit.LuaScript;
import io.natsharness.services.util.kit.Records;
import io.natsharness.services.util.kit.ScriptReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Facts and their term index in Redis. Records live in one hash (id to base64 Fact with its
 * meta), versions in another, and the index in one sorted set per term (member fact id, score its
 * weight) and one set per tag. Writes and deletes read the fact, then run one Lua script that
 * checks nothing changed meanwhile and updates record and index together; search ranks, pages
 * and reads the records in one script too, so a deleted fact never shows up.
 *
 * <pre>{@code
 * FactStore store = new FactStore(ctx);
 * Stored s = store.put(fact, expectedVersion);
 * Page p = store.search(List.of("dragon"), List.of("lore"), 0, 20);
 * }</pre>
 */
final class FactStore {

  static final String SERVICE = "knowledge_base";
  private static final LuaScript PUT = LuaScript.resource(FactStore.class, "put_fact.lua");
  private static final LuaScript DELETE = LuaScript.resource(FactStore.class, "delete_fact.lua");
  private static final LuaScript SEARCH = LuaScript.resource(FactStore.class, "search.lua");
  private static final int MAX_ATTEMPTS = 20;

  private final ServiceContext ctx;

  FactStore(ServiceContext ctx) {
    this.ctx = ctx;
  }

  /** A written fact with the revision its event id uses. */
  record Stored(Fact fact, long revision) {}

  /** A deleted fact's last version and the revision its event id uses. */
  record Removed(long version, long revision) {}

  /** One page of hits, with the total number of matches. */
  record Page(List<SearchHit> hits, int total) {}

  Optional<Fact> find(String factId) {
    String record = ctx.redis().sync().hget(key("facts"), factId);
    return Optional.ofNullable(record).map(r -> Records.decode(r, Fact.parser()));
  }

  /** Creates or replaces a fact (tags already normalized); ABORTED on a version mismatch. */
  Stored put(Fact fact, long expectedVersion) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<Fact> old = find(fact.getFactId());
      long seen = old.map(f -> f.getMeta().getVersion()).orElse(0L);
      long now = ctx.clock().millis();
      long created = old.map(f -> Timestamps.toMillis(f.getMeta().getCreatedAt())).orElse(now);
      Fact stored = fact.toBuilder().setMeta(Records.meta(seen + 1, created, now)).build();
      Map<String, Long> newTerms = Terms.weights(stored);
      List<String> oldTerms = old.map(f -> List.copyOf(Terms.weights(f).keySet())).orElse(List.of());
      List<String> oldTags = old.<List<String>>map(Fact::getTagsList).orElse(List.of());
      List<String> keys = new ArrayList<>(List.of(key("facts"), key("versions"), key("revisions")));
      oldTerms.forEach(t -> keys.add(termKey(t)));
      newTerms.keySet().forEach(t -> keys.add(termKey(t)));
      oldTags.forEach(t -> keys.add(tagKey(t)));
      fact.getTagsList().forEach(t -> keys.add(tagKey(t)));
      List<String> args = new ArrayList<>(List.of(fact.getFactId(), Long.toString(expectedVersion),
          Long.toString(seen), Records.encode(stored), Integer.toString(oldTerms.size()),
          Integer.toString(newTerms.size()), Integer.toString(oldTags.size()),
          Integer.toString(fact.getTagsCount())));
      newTerms.values().forEach(w -> args.add(Long.toString(w)));
      ScriptReply reply = PUT.run(ctx.redis().sync(), keys, args);
      if (!"STALE".equals(reply.stringAt(0))) {
        reply.ok();
        return new Stored(stored, reply.longAt(2));
      }
    }
    throw RpcException.aborted("fact " + fact.getFactId() + " is changing too often; try again");
  }

  /** Deletes a fact and its index entries; returns its last version and the revision. */
  Removed delete(String factId, long expectedVersion) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<Fact> old = find(factId);
      List<String> terms = old.map(f -> List.copyOf(Terms.weights(f).keySet())).orElse(List.of());
      List<String> tags = old.<List<String>>map(Fact::getTagsList).orElse(List.of());
      List<String> keys = new ArrayList<>(List.of(key("facts"), key("versions"), key("revisions")));
      terms.forEach(t -> keys.add(termKey(t)));
      tags.forEach(t -> keys.add(tagKey(t)));
      ScriptReply reply = DELETE.run(ctx.redis().sync(), keys, List.of(factId, Long.toString(expectedVersion),
          Long.toString(old.map(f -> f.getMeta().getVersion()).orElse(0L)), Integer.toString(terms.size()),
          Integer.toString(tags.size())));
      if (!"STALE".equals(reply.stringAt(0))) {
        reply.ok();
        return new Removed(reply.longAt(1), reply.longAt(2));
      }
    }
    throw RpcException.aborted("fact " + factId + " is changing too often; try again");
  }

  /** Hits for distinct query terms and tags, ranked, from {@code offset}, at most {@code size}. */
  Page search(List<String> terms, List<String> tags, long offset, int size) {
    List<String> keys = new ArrayList<>(List.of(key("facts")));
    terms.forEach(t -> keys.add(termKey(t)));
    tags.forEach(t -> keys.add(tagKey(t)));
    ScriptReply reply = SEARCH.run(ctx.redis().sync(), keys, List.of(Integer.toString(terms.size()),
        Integer.toString(tags.size()), Long.toString(offset), Integer.toString(size))).ok();
    List<SearchHit> hits = new ArrayList<>();
    for (int i = 2; i + 2 < reply.size(); i += 3) {
      Fact fact = Records.decode(reply.stringAt(i + 2), Fact.parser());
      Map<String, Long> weights = Terms.weights(fact);
      SearchHit.Builder hit = SearchHit.newBuilder().setFact(fact).setScore(reply.longAt(i + 1));
      terms.stream().filter(weights::containsKey).forEach(hit::addMatchedTerms);
      hits.add(hit.build());
    }
    return new Page(hits, (int) reply.longAt(1));
  }

  private String key(String name) {
    return ctx.key(SERVICE, name);
  }

  private String termKey(String term) {
    return ctx.key(SERVICE, "term", term);
  }

  private String tagKey(String tag) {
    return ctx.key(SERVICE, "tag", tag);
  }
}
