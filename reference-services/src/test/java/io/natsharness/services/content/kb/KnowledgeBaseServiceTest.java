package io.natsharness.services.content.kb;

import static io.natsharness.services.util.kit.Calls.assertError;
import static io.natsharness.services.util.kit.Calls.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.nats.client.JetStreamManagement;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
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
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.util.kit.Calls;
import io.natsharness.services.util.kit.Hosted;
import io.natsharness.services.util.kit.StoredEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("knowledge_base")
class KnowledgeBaseServiceTest {

  static Hosted hosted;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    hosted = Hosted.start(info, "knowledge_base");
  }

  @AfterAll
  static void stop() {
    if (hosted != null) {
      hosted.close();
    }
  }

  static Calls calls(RpcClient client) {
    return new Calls(client, "svc.content.kb.v1");
  }

  /** A word no other test uses, so searches of one test see only its own facts. */
  static String word() {
    return "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  static Fact put(Calls calls, String id, String title, String text, String... tags) {
    return calls.call("put_fact", PutFactRequest.newBuilder().setFactId(id).setTitle(title).setText(text)
        .addAllTags(List.of(tags)).build());
  }

  static SearchResponse search(Calls calls, String query, String... tags) {
    return calls.call("search", SearchRequest.newBuilder().setQuery(query).addAllTags(List.of(tags)).build());
  }

  @Nested
  @DisplayName("put_fact, get_fact and delete_fact")
  class Facts {

    @Test
    @DisplayName("stores tags lower-case, unique and sorted, and versions every put")
    void puts(RpcClient client) {
      Calls calls = calls(client);
      String id = "lore." + word();
      Fact f = put(calls, id, "The Iron Keep", "Built in the first age.", "Lore", "castle", "LORE");
      assertThat(f.getTagsList()).containsExactly("castle", "lore");
      assertThat(f.getMeta().getVersion()).isEqualTo(1);
      Fact again = put(calls, id, "The Iron Keep", "Rebuilt in the second age.");
      assertThat(again.getMeta().getVersion()).isEqualTo(2);
      assertThat(again.getMeta().getCreatedAt()).isEqualTo(f.getMeta().getCreatedAt());
      assertThat((Fact) calls.call("get_fact", GetFactRequest.newBuilder().setFactId(id).build())).isEqualTo(again);
    }

    @Test
    @DisplayName("put and delete with expected_version are compare-and-set")
    void compareAndSet(RpcClient client) {
      Calls calls = calls(client);
      String id = "cas." + word();
      assertError(() -> calls.call("put_fact", PutFactRequest.newBuilder().setFactId(id).setTitle("t").setText("x")
          .setExpectedVersion(1).build()), Code.ABORTED, "fact " + id + " does not exist, expected version 1");
      put(calls, id, "t", "x");
      Fact second = calls.call("put_fact", PutFactRequest.newBuilder().setFactId(id).setTitle("t").setText("y")
          .setExpectedVersion(1).build());
      assertThat(second.getMeta().getVersion()).isEqualTo(2);
      assertError(() -> calls.call("delete_fact", DeleteFactRequest.newBuilder().setFactId(id).setExpectedVersion(1)
          .build()), Code.ABORTED, "fact " + id + " is at version 2, expected 1");
      DeleteFactResponse deleted = calls.call("delete_fact", DeleteFactRequest.newBuilder().setFactId(id)
          .setExpectedVersion(2).build());
      assertThat(deleted.getVersion()).isEqualTo(2);
      assertError(() -> calls.call("get_fact", GetFactRequest.newBuilder().setFactId(id).build()), Code.NOT_FOUND,
          "fact " + id + " does not exist");
      assertError(() -> calls.call("delete_fact", DeleteFactRequest.newBuilder().setFactId(id).build()),
          Code.NOT_FOUND, "fact " + id + " does not exist");
      assertThat(put(calls, id, "t", "z").getMeta().getVersion()).isEqualTo(1);
    }

    @Test
    @DisplayName("refuses malformed ids, titles, texts and tags")
    void validates(RpcClient client) {
      Calls calls = calls(client);
      assertInvalid(() -> put(calls, "-bad", "t", "x"), "fact_id", "fact_id: must match [a-z0-9][a-z0-9._-]{0,127}");
      assertInvalid(() -> put(calls, "", "t", "x"), "fact_id", "fact_id: must not be empty");
      assertInvalid(() -> put(calls, "ok", "", "x"), "title", "title: must not be empty");
      assertInvalid(() -> put(calls, "ok", "t".repeat(201), "x"), "title", "title: must be at most 200 characters");
      assertInvalid(() -> put(calls, "ok", "t", "x".repeat(10_001)), "text", "text: must be at most 10000 characters");
      assertInvalid(() -> put(calls, "ok", "t", "x", "bad tag"), "tags[0]", "tags[0]: must match [a-z0-9_-]{1,32}");
      String[] many = new String[21];
      for (int i = 0; i < many.length; i++) {
        many[i] = "t" + i;
      }
      assertInvalid(() -> put(calls, "ok", "t", "x", many), "tags", "tags: must have at most 20 entries");
      assertInvalid(() -> calls.call("get_fact", GetFactRequest.getDefaultInstance()), "fact_id",
          "fact_id: must not be empty");
    }

    @Test
    @DisplayName("publishes fact_put per put and fact_deleted per delete")
    void events(RpcClient client, JetStreamManagement jsm) {
      Calls calls = calls(client);
      String id = "evt." + word();
      put(calls, id, "t", "x", "a");
      calls.call("delete_fact", DeleteFactRequest.newBuilder().setFactId(id).build());
      put(calls, id, "t", "x");
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(StoredEvents.payloads(jsm, "EVT_CONTENT", "evt.content.kb.v1.fact_put", FactPut.parser()))
            .filteredOn(e -> e.getFactId().equals(id)).containsExactly(
                FactPut.newBuilder().setFactId(id).setVersion(1).addTags("a").build(),
                FactPut.newBuilder().setFactId(id).setVersion(1).build());
        assertThat(StoredEvents.payloads(jsm, "EVT_CONTENT", "evt.content.kb.v1.fact_deleted", FactDeleted.parser()))
            .containsOnlyOnce(FactDeleted.newBuilder().setFactId(id).setVersion(1).build());
      });
    }
  }

  @Nested
  @DisplayName("search")
  class Search {

    @Test
    @DisplayName("scores 3 per title occurrence plus 1 per text occurrence, ties by fact id")
    void ranks(RpcClient client) {
      Calls calls = calls(client);
      String dragon = word();
      String bell = word();
      put(calls, "b-" + dragon, dragon + " lair", "The " + dragon + " sleeps. A " + bell + " rings.");
      put(calls, "a-" + dragon, "Old tales", dragon + " and " + dragon + " and " + dragon + " and " + dragon);
      put(calls, "c-" + dragon, "Bells", "A " + bell + " rings twice: " + bell);
      SearchResponse r = search(calls, dragon.toUpperCase() + " " + bell + " " + dragon);
      assertThat(r.getTotalHits()).isEqualTo(3);
      assertThat(r.getHitsList()).extracting(h -> h.getFact().getFactId() + "=" + h.getScore()).containsExactly(
          "b-" + dragon + "=5", "a-" + dragon + "=4", "c-" + dragon + "=2");
      assertThat(r.getHits(0).getMatchedTermsList()).containsExactly(dragon, bell);
      assertThat(r.getHits(1).getMatchedTermsList()).containsExactly(dragon);
    }

    @Test
    @DisplayName("filters by every tag; an empty query lists the tagged facts with score 0 in id order")
    void tags(RpcClient client) {
      Calls calls = calls(client);
      String tag = word();
      String term = word();
      put(calls, "z-" + tag, "t", term, tag, "extra");
      put(calls, "y-" + tag, "t", "nothing", tag);
      put(calls, "x-" + tag, "t", term);
      assertThat(search(calls, term, tag).getHitsList()).extracting(h -> h.getFact().getFactId())
          .containsExactly("z-" + tag);
      assertThat(search(calls, "", tag).getHitsList()).extracting(h -> h.getFact().getFactId() + "=" + h.getScore())
          .containsExactly("y-" + tag + "=0", "z-" + tag + "=0");
      assertThat(search(calls, "", tag, "EXTRA").getHitsList()).hasSize(1);
    }

    @Test
    @DisplayName("pages with tokens bound to the query and tags")
    void pages(RpcClient client) {
      Calls calls = calls(client);
      String term = word();
      for (int i = 0; i < 5; i++) {
        put(calls, "p" + i + "-" + term, "t", term);
      }
      List<String> seen = new ArrayList<>();
      String token = "";
      for (int page = 0; page < 3; page++) {
        SearchResponse r = calls.call("search", SearchRequest.newBuilder().setQuery(term)
            .setPage(PageRequest.newBuilder().setPageSize(2).setPageToken(token)).build());
        assertThat(r.getTotalHits()).isEqualTo(5);
        r.getHitsList().forEach(h -> seen.add(h.getFact().getFactId()));
        token = r.getPage().getNextPageToken();
      }
      assertThat(token).isEmpty();
      assertThat(seen).containsExactly("p0-" + term, "p1-" + term, "p2-" + term, "p3-" + term, "p4-" + term);
      SearchResponse first = calls.call("search", SearchRequest.newBuilder().setQuery(term)
          .setPage(PageRequest.newBuilder().setPageSize(2)).build());
      assertInvalid(() -> calls.call("search", SearchRequest.newBuilder().setQuery(term + " other")
          .setPage(PageRequest.newBuilder().setPageToken(first.getPage().getNextPageToken())).build()),
          "page.page_token", "page.page_token: was not issued by this method for the same query and tags");
    }

    @Test
    @DisplayName("a deleted or rewritten fact is never found by its old terms")
    void deletedNeverReappear(RpcClient client) {
      Calls calls = calls(client);
      String old = word();
      String fresh = word();
      String id = "gone-" + old;
      put(calls, id, old, old + " " + old, "lore");
      put(calls, "kept-" + old, "x", old);
      calls.call("delete_fact", DeleteFactRequest.newBuilder().setFactId(id).build());
      assertThat(search(calls, old).getHitsList()).extracting(h -> h.getFact().getFactId())
          .containsExactly("kept-" + old);
      put(calls, "kept-" + old, "x", fresh);
      assertThat(search(calls, old).getTotalHits()).isZero();
      assertThat(search(calls, fresh).getTotalHits()).isEqualTo(1);
    }

    @Test
    @DisplayName("under concurrent rewrites every hit's score matches the fact it returns")
    void consistentUnderWrites(RpcClient client) throws Exception {
      Calls calls = calls(client);
      String term = word();
      String id = "busy-" + term;
      put(calls, id, term, term);
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
          int n = w;
          writers.add(pool.submit(() -> {
            for (int i = 0; i < 25; i++) {
              if ((i + n) % 3 == 0) {
                try {
                  calls.call("delete_fact", DeleteFactRequest.newBuilder().setFactId(id).build());
                } catch (io.natsharness.sdk.status.RpcException ignored) {
                  // NOT_FOUND when the other writer deleted it first
                }
              } else {
                put(calls, id, (term + " ").repeat(1 + i % 3), (term + " ").repeat(1 + i % 4));
              }
            }
          }));
        }
        for (int i = 0; i < 40; i++) {
          for (SearchHit hit : search(calls, term).getHitsList()) {
            Map<String, Long> weights = Terms.weights(hit.getFact());
            assertThat(hit.getScore()).isEqualTo(weights.get(term));
          }
        }
        for (Future<?> w : writers) {
          w.get();
        }
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    @DisplayName("refuses an empty query without tags, long or wide queries, bad tags and page sizes")
    void validates(RpcClient client) {
      Calls calls = calls(client);
      assertInvalid(() -> search(calls, " ,. "), "query", "query: must not be empty when no tags are given");
      assertInvalid(() -> search(calls, "q".repeat(501)), "query", "query: must be at most 500 characters");
      StringBuilder wide = new StringBuilder();
      for (int i = 0; i < 33; i++) {
        wide.append("t").append(i).append(' ');
      }
      assertInvalid(() -> search(calls, wide.toString()), "query", "query: must have at most 32 distinct terms, has 33");
      assertInvalid(() -> search(calls, "x", "no tag"), "tags[0]", "tags[0]: must match [a-z0-9_-]{1,32}");
      assertInvalid(() -> calls.call("search", SearchRequest.newBuilder().setQuery("x")
          .setPage(PageRequest.newBuilder().setPageSize(101)).build()), "page.page_size",
          "page.page_size: must be in [0, 100]");
    }

    @Test
    @DisplayName("a new host on the same Redis finds the indexed facts")
    void survivesRestart(RpcClient client) {
      Calls calls = calls(client);
      String term = word();
      put(calls, "r-" + term, "t", term);
      hosted.restart();
      assertThat(search(calls, term).getTotalHits()).isEqualTo(1);
    }
  }
}
