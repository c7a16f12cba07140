package io.natsharness.conformance.contract.content;

import static io.natsharness.conformance.contract.kit.Bad.bad;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.proto.content.kb.v1.DeleteFactRequest;
import io.natsharness.proto.content.kb.v1.DeleteFactResponse;
import io.natsharness.proto.content.kb.v1.Fact;
import io.natsharness.proto.content.kb.v1.FactDeleted;
import io.natsharness.proto.content.kb.v1.FactPut;
import io.natsharness.proto.content.kb.v1.GetFactRequest;
import io.natsharness.proto.content.kb.v1.PutFactRequest;
import io.natsharness.proto.content.kb.v1.SearchHit;
import io.natsharness.proto.content.kb.v1.SearchRequest;
import io.natsharness.proto.content.kb.v1.SearchResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The contract checks of knowledge_base (content/kb/v1/knowledge_base.proto): facts with
 * normalized tags and versions, compare-and-set, search ranked by the documented score and paged,
 * deletes that never reappear in search, and the fact events. Every fact carries a tag unique to
 * the check, so searches see only the check's own facts on a shared store.
 *
 * <pre>{@code
 * List<Check> checks = KnowledgeBaseChecks.checks();   // contract.knowledge_base.*
 * }</pre>
 */
public final class KnowledgeBaseChecks {

  static final String SERVICE = "knowledge_base";

  private KnowledgeBaseChecks() {}

  public static List<Check> checks() {
    return ContractChecks.forService(SERVICE)
        .behaviour("put_fact", "normalized_and_versioned",
            "put_fact stores tags lower-case, deduplicated and sorted, with meta.version 1, 2, ..., and get_fact reads it back.",
            KnowledgeBaseChecks::puts)
        .error("put_fact", "compare_and_set", Code.ABORTED,
            "put_fact with a stale expected_version, or one for a fact that does not exist, is ABORTED and changes nothing.",
            KnowledgeBaseChecks::putCas)
        .error("put_fact", "invalid_argument", Code.INVALID_ARGUMENT,
            "a malformed fact_id, an empty or long title or text, more than 20 tags or a malformed tag is INVALID_ARGUMENT.",
            KnowledgeBaseChecks::putInvalid)
        .error("put_fact", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "put_fact past its deadline is DEADLINE_EXCEEDED and stores nothing.",
            ctx -> {
              Rpc wire = Rpc.of(ctx, SERVICE);
              String id = ctx.unique("fact");
              wire.call("put_fact").expiredDeadline().fails(fact(id, "Late", "Too late.", "x"), Code.DEADLINE_EXCEEDED);
              wire.fails("get_fact", GetFactRequest.newBuilder().setFactId(id).build(), Code.NOT_FOUND);
            })
        .behaviour("put_fact", "fact_put_event",
            "put_fact publishes one fact_put event with the version and the stored tags.",
            KnowledgeBaseChecks::putEvent)
        .error("get_fact", "invalid_argument", Code.INVALID_ARGUMENT,
            "get_fact with an empty or malformed fact_id is INVALID_ARGUMENT.",
            ctx -> Rpc.of(ctx, SERVICE).failsOnEach("get_fact", List.of(
                bad("empty fact_id", "fact_id", GetFactRequest.getDefaultInstance()),
                bad("upper-case fact_id", "fact_id", GetFactRequest.newBuilder().setFactId("Iron-Keep").build()),
                bad("fact_id starting with a dot", "fact_id", GetFactRequest.newBuilder().setFactId(".keep").build()))))
        .error("get_fact", "not_found", Code.NOT_FOUND,
            "get_fact of an unknown fact is NOT_FOUND.",
            ctx -> Rpc.of(ctx, SERVICE).fails("get_fact", GetFactRequest.newBuilder().setFactId(ctx.unique("fact"))
                .build(), Code.NOT_FOUND))
        .behaviour("search", "ranked_by_score",
            "search scores 3 per title and 1 per text occurrence of each distinct query term, highest first, ties by fact_id.",
            KnowledgeBaseChecks::ranked)
        .behaviour("search", "tags_filter",
            "search keeps only facts with every tag given, and an empty query lists them all with score 0 in fact_id order.",
            KnowledgeBaseChecks::tagsFilter)
        .behaviour("search", "pages",
            "search pages hold at most page_size hits, follow one order across pages, and total_hits counts them all.",
            KnowledgeBaseChecks::pages)
        .behaviour("search", "reindexed_and_deleted",
            "a replaced fact is found by its new terms only, and a deleted fact never appears in search again.",
            KnowledgeBaseChecks::reindexed)
        .error("search", "invalid_argument", Code.INVALID_ARGUMENT,
            "an empty query without tags, a long query or one with more than 32 terms, a malformed tag, a bad page_size or page_token is INVALID_ARGUMENT.",
            KnowledgeBaseChecks::searchInvalid)
        .behaviour("delete_fact", "removes",
            "delete_fact answers the deleted version, get_fact is then NOT_FOUND, and a later put starts again at version 1.",
            KnowledgeBaseChecks::deletes)
        .error("delete_fact", "not_found", Code.NOT_FOUND,
            "deleting an unknown or already deleted fact is NOT_FOUND.",
            ctx -> {
              Rpc wire = Rpc.of(ctx, SERVICE);
              String id = ctx.unique("fact");
              DeleteFactRequest delete = DeleteFactRequest.newBuilder().setFactId(id).build();
              wire.fails("delete_fact", delete, Code.NOT_FOUND);
              wire.ok("put_fact", fact(id, "Once", "Here once.", "x"));
              wire.ok("delete_fact", delete);
              wire.fails("delete_fact", delete, Code.NOT_FOUND);
            })
        .error("delete_fact", "compare_and_set", Code.ABORTED,
            "delete_fact with a stale expected_version is ABORTED and the fact stays.",
            ctx -> {
              Rpc wire = Rpc.of(ctx, SERVICE);
              String id = ctx.unique("fact");
              wire.ok("put_fact", fact(id, "Stays", "Still here.", "x"));
              wire.ok("put_fact", fact(id, "Stays", "Still here, twice.", "x"));
              wire.fails("delete_fact", DeleteFactRequest.newBuilder().setFactId(id).setExpectedVersion(1).build(),
                  Code.ABORTED);
              assertThat(wire.<Fact>ok("get_fact", GetFactRequest.newBuilder().setFactId(id).build()).getMeta()
                  .getVersion()).isEqualTo(2);
            })
        .error("delete_fact", "invalid_argument", Code.INVALID_ARGUMENT,
            "delete_fact with an empty or malformed fact_id is INVALID_ARGUMENT.",
            ctx -> Rpc.of(ctx, SERVICE).failsOnEach("delete_fact", List.of(
                bad("empty fact_id", "fact_id", DeleteFactRequest.getDefaultInstance()),
                bad("fact_id with a space", "fact_id", DeleteFactRequest.newBuilder().setFactId("a b").build()))))
        .error("delete_fact", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "delete_fact past its deadline is DEADLINE_EXCEEDED and the fact stays, in search too.",
            ctx -> {
              Rpc wire = Rpc.of(ctx, SERVICE);
              String id = ctx.unique("fact");
              String tag = ctx.unique("kb");
              wire.ok("put_fact", fact(id, "Stays", "Still searchable.", tag));
              wire.call("delete_fact").expiredDeadline()
                  .fails(DeleteFactRequest.newBuilder().setFactId(id).build(), Code.DEADLINE_EXCEEDED);
              assertThat(wire.<Fact>ok("get_fact", GetFactRequest.newBuilder().setFactId(id).build()).getFactId())
                  .isEqualTo(id);
              assertThat(search(wire, "searchable", List.of(tag), 0, "").getTotalHits()).isEqualTo(1);
            })
        .behaviour("delete_fact", "fact_deleted_event",
            "delete_fact publishes one fact_deleted event with the deleted version.",
            KnowledgeBaseChecks::deletedEvent)
        .build();
  }

  static PutFactRequest fact(String id, String title, String text, String... tags) {
    return PutFactRequest.newBuilder().setFactId(id).setTitle(title).setText(text).addAllTags(List.of(tags)).build();
  }

  private static SearchResponse search(Rpc wire, String query, List<String> tags, int size, String token) {
    return wire.ok("search", SearchRequest.newBuilder().setQuery(query).addAllTags(tags)
        .setPage(PageRequest.newBuilder().setPageSize(size).setPageToken(token)).build());
  }

  private static void puts(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String id = ctx.unique("iron-keep.founding");
    Fact first = wire.ok("put_fact", fact(id, "The Iron Keep", "Built in the year of ash.", "Lore", "castle", "LORE"));
    assertThat(first.getFactId()).isEqualTo(id);
    assertThat(first.getTagsList()).as("tags stored lower-case, deduplicated, sorted").containsExactly("castle", "lore");
    assertThat(first.getMeta().getVersion()).isEqualTo(1);
    assertThat(wire.<Fact>ok("get_fact", GetFactRequest.newBuilder().setFactId(id).build())).isEqualTo(first);
    Fact second = wire.ok("put_fact", fact(id, "The Iron Keep", "Rebuilt.", "ruin"));
    assertThat(second.getMeta().getVersion()).isEqualTo(2);
    assertThat(second.getTagsList()).containsExactly("ruin");
    assertThat(second.getText()).isEqualTo("Rebuilt.");
  }

  private static void putCas(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String id = ctx.unique("fact");
    wire.fails("put_fact", fact(id, "T", "x").toBuilder().setExpectedVersion(1).build(), Code.ABORTED);
    wire.fails("get_fact", GetFactRequest.newBuilder().setFactId(id).build(), Code.NOT_FOUND);
    wire.ok("put_fact", fact(id, "T", "one"));
    wire.ok("put_fact", fact(id, "T", "two").toBuilder().setExpectedVersion(1).build());
    wire.fails("put_fact", fact(id, "T", "stale").toBuilder().setExpectedVersion(1).build(), Code.ABORTED);
    Fact now = wire.ok("get_fact", GetFactRequest.newBuilder().setFactId(id).build());
    assertThat(now.getText()).as("text after the stale put").isEqualTo("two");
    assertThat(now.getMeta().getVersion()).isEqualTo(2);
  }

  private static void putInvalid(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String id = ctx.unique("fact");
    String[] tooMany = IntStream.range(0, 21).mapToObj(i -> "t" + i).toArray(String[]::new);
    wire.failsOnEach("put_fact", List.of(
        bad("empty fact_id", "fact_id", fact("", "T", "x")),
        bad("fact_id with a slash", "fact_id", fact("a/b", "T", "x")),
        bad("fact_id of 129 characters", "fact_id", fact("f".repeat(129), "T", "x")),
        bad("empty title", "title", fact(id, "", "x")),
        bad("title of 201 characters", "title", fact(id, "t".repeat(201), "x")),
        bad("empty text", "text", fact(id, "T", "")),
        bad("text of 10001 characters", "text", fact(id, "T", "x".repeat(10_001))),
        bad("21 tags", "tags", fact(id, "T", "x", tooMany)),
        bad("tag with a space", "tags", fact(id, "T", "x", "two words")),
        bad("tag of 33 characters", "tags", fact(id, "T", "x", "t".repeat(33)))));
    wire.fails("get_fact", GetFactRequest.newBuilder().setFactId(id).build(), Code.NOT_FOUND);
  }

  private static void putEvent(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String id = ctx.unique("fact");
    try (EventSpy<FactPut> spy = EventSpy.on(ctx, SERVICE, "fact_put")) {
      wire.ok("put_fact", fact(id, "Evented", "Text.", "B", "a"));
      FactPut event = spy.awaitOne(e -> e.getFactId().equals(id));
      assertThat(event.getVersion()).isEqualTo(1);
      assertThat(event.getTagsList()).containsExactly("a", "b");
    }
  }

  private static void ranked(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String tag = ctx.unique("kb");
    String a = ctx.unique("a-fact");
    String b = ctx.unique("b-fact");
    String c = ctx.unique("c-fact");
    String d = ctx.unique("d-fact");
    wire.ok("put_fact", fact(a, "Dragon of the north", "The dragon sleeps. A dragon's hoard.", tag));
    wire.ok("put_fact", fact(b, "Hoard", "Gold in the hoard, no dragon here.", tag));
    wire.ok("put_fact", fact(c, "Nothing", "Plain fields.", tag));
    wire.ok("put_fact", fact(d, "Hoard", "Gold in the hoard, no dragon here.", tag));
    SearchResponse r = search(wire, "Dragon hoard dragon", List.of(tag), 0, "");
    // a: dragon 3 + 2 = 5, hoard 0 + 1 = 1 -> 6; b and d: dragon 1, hoard 3 + 1 = 4 -> 5; c: no term.
    assertThat(r.getHitsList()).extracting(h -> h.getFact().getFactId()).as("hits by score, ties by fact_id")
        .containsExactly(a, b, d);
    assertThat(r.getHitsList()).extracting(SearchHit::getScore).containsExactly(6L, 5L, 5L);
    assertThat(r.getHits(0).getMatchedTermsList()).as("matched terms in query order").containsExactly("dragon", "hoard");
    assertThat(r.getTotalHits()).isEqualTo(3);
  }

  private static void tagsFilter(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String tag = ctx.unique("kb");
    String both = ctx.unique("b-fact");
    String one = ctx.unique("a-fact");
    wire.ok("put_fact", fact(both, "Keep", "Stone keep.", tag, "castle"));
    wire.ok("put_fact", fact(one, "Keep", "Wooden keep.", tag));
    SearchResponse filtered = search(wire, "keep", List.of(tag, "castle"), 0, "");
    assertThat(filtered.getHitsList()).extracting(h -> h.getFact().getFactId()).as("facts with both tags")
        .containsExactly(both);
    SearchResponse all = search(wire, "", List.of(tag), 0, "");
    assertThat(all.getHitsList()).extracting(h -> h.getFact().getFactId()).as("every fact with the tag, by fact_id")
        .isEqualTo(List.of(both, one).stream().sorted().toList());
    assertThat(all.getHitsList()).extracting(SearchHit::getScore).containsOnly(0L);
  }

  private static void pages(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String tag = ctx.unique("kb");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = ctx.unique("p" + i);
      ids.add(id);
      wire.ok("put_fact", fact(id, "Page fact", "word ".repeat(i + 1).strip(), tag));
    }
    SearchResponse whole = search(wire, "word", List.of(tag), 0, "");
    List<String> order = whole.getHitsList().stream().map(h -> h.getFact().getFactId()).toList();
    assertThat(order).as("hits by score: more occurrences first").isEqualTo(reversed(ids));
    List<String> paged = new ArrayList<>();
    String token = "";
    for (int page = 0; page < 5; page++) {
      SearchResponse r = search(wire, "word", List.of(tag), 2, token);
      assertThat(r.getHitsCount()).as("hits on a page of size 2").isLessThanOrEqualTo(2);
      assertThat(r.getTotalHits()).as("total_hits on every page").isEqualTo(5);
      r.getHitsList().forEach(h -> paged.add(h.getFact().getFactId()));
      token = r.getPage().getNextPageToken();
      if (token.isEmpty()) {
        break;
      }
    }
    assertThat(token).as("next_page_token of the last page").isEmpty();
    assertThat(paged).as("hits over pages of 2").isEqualTo(order);
  }

  private static List<String> reversed(List<String> list) {
    List<String> copy = new ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }

  private static void reindexed(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String tag = ctx.unique("kb");
    String id = ctx.unique("fact");
    wire.ok("put_fact", fact(id, "Griffin", "A griffin nests here.", tag));
    assertThat(search(wire, "griffin", List.of(tag), 0, "").getTotalHits()).isEqualTo(1);
    wire.ok("put_fact", fact(id, "Wyvern", "A wyvern nests here.", tag));
    assertThat(search(wire, "griffin", List.of(tag), 0, "").getHitsList()).as("hits of the replaced term").isEmpty();
    assertThat(search(wire, "wyvern", List.of(tag), 0, "").getTotalHits()).as("hits of the new term").isEqualTo(1);
    DeleteFactResponse deleted = wire.ok("delete_fact", DeleteFactRequest.newBuilder().setFactId(id).build());
    assertThat(deleted.getVersion()).isEqualTo(2);
    assertThat(search(wire, "wyvern nests", List.of(tag), 0, "").getHitsList()).as("hits after the delete").isEmpty();
    assertThat(search(wire, "", List.of(tag), 0, "").getTotalHits()).as("facts with the tag after the delete").isZero();
  }

  private static void searchInvalid(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String tag = ctx.unique("kb");
    for (int i = 0; i < 3; i++) {
      wire.ok("put_fact", fact(ctx.unique("fact"), "Token", "token", tag));
    }
    String token = search(wire, "token", List.of(tag), 1, "").getPage().getNextPageToken();
    assertThat(token).as("next_page_token of 3 hits read 1 at a time").isNotEmpty();
    String terms = IntStream.range(0, 33).mapToObj(i -> "term" + i).collect(Collectors.joining(" "));
    wire.failsOnEach("search", List.of(
        bad("empty query without tags", "query", SearchRequest.getDefaultInstance()),
        bad("query of 501 characters", "query", SearchRequest.newBuilder().setQuery("q".repeat(501)).build()),
        bad("33 distinct terms", "query", SearchRequest.newBuilder().setQuery(terms).build()),
        bad("tag with a dot", "tags", SearchRequest.newBuilder().setQuery("x").addTags("a.b").build()),
        bad("page_size 101", "page", pageOf("token", tag, 101, "")),
        bad("page_size -1", "page", pageOf("token", tag, -1, "")),
        bad("page_token of another query", "page", pageOf("other", tag, 1, token)),
        bad("page_token never issued", "page", pageOf("token", tag, 1, "nh-not-a-token"))));
  }

  private static SearchRequest pageOf(String query, String tag, int size, String token) {
    return SearchRequest.newBuilder().setQuery(query).addTags(tag)
        .setPage(PageRequest.newBuilder().setPageSize(size).setPageToken(token)).build();
  }

  private static void deletes(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String id = ctx.unique("fact");
    wire.ok("put_fact", fact(id, "Gone", "Soon gone."));
    DeleteFactResponse deleted = wire.ok("delete_fact", DeleteFactRequest.newBuilder().setFactId(id)
        .setExpectedVersion(1).build());
    assertThat(deleted.getFactId()).isEqualTo(id);
    assertThat(deleted.getVersion()).isEqualTo(1);
    wire.fails("get_fact", GetFactRequest.newBuilder().setFactId(id).build(), Code.NOT_FOUND);
    assertThat(wire.<Fact>ok("put_fact", fact(id, "Back", "Back again.")).getMeta().getVersion())
        .as("version of a put after the delete").isEqualTo(1);
  }

  private static void deletedEvent(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String id = ctx.unique("fact");
    wire.ok("put_fact", fact(id, "Evented", "Text."));
    wire.ok("put_fact", fact(id, "Evented", "Text again."));
    try (EventSpy<FactDeleted> spy = EventSpy.on(ctx, SERVICE, "fact_deleted")) {
      wire.ok("delete_fact", DeleteFactRequest.newBuilder().setFactId(id).build());
      assertThat(spy.awaitOne(e -> e.getFactId().equals(id)).getVersion()).isEqualTo(2);
    }
  }
}
