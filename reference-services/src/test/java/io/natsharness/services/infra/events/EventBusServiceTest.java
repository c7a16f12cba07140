package io.natsharness.services.infra.events;

import static io.natsharness.services.testing.RpcAssertions.assertInvalid;
import static io.natsharness.services.testing.RpcAssertions.assertRpcError;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.proto.infra.events.v1.ListTopicsRequest;
import io.natsharness.proto.infra.events.v1.ListTopicsResponse;
import io.natsharness.proto.infra.events.v1.PublishRequest;
import io.natsharness.proto.infra.events.v1.PublishResponse;
import io.natsharness.proto.infra.events.v1.ReplayRequest;
import io.natsharness.proto.infra.events.v1.StoredEvent;
import io.natsharness.proto.infra.events.v1.TopicInfo;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.ResponseStream;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.host.ReferenceHost;
import io.natsharness.services.testing.TestHosts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("event_bus")
class EventBusServiceTest {

  private static ReferenceHost host;

  @BeforeAll
  static void startHost(HarnessRuntimeInfo info) {
    host = TestHosts.start(info, "event_bus");
  }

  @AfterAll
  static void stopHost() {
    host.close();
  }

  private static PublishResponse publish(RpcClient client, String topic, String eventId, String payload) {
    return client.call("svc.infra.events.v1.publish", PublishRequest.newBuilder().setTopic(topic).setEventId(eventId)
        .setPayload(ByteString.copyFromUtf8(payload)).build());
  }

  private static List<StoredEvent> replay(RpcClient client, ReplayRequest request) {
    List<StoredEvent> events = new ArrayList<>();
    try (ResponseStream<StoredEvent> stream = client.stream("svc.infra.events.v1.replay", request, CallOptions.defaults())) {
      stream.forEachRemaining(events::add);
    }
    return events;
  }

  @Nested
  @DisplayName("publish")
  class Publish {

    @Test
    @DisplayName("stores the event in its domain's stream and a repeat of the event_id is a duplicate")
    void storesAndDeduplicates(RpcClient client) {
      PublishResponse first = publish(client, "evt.game.quests.v1.quest_completed", "pub-1", "one");
      assertThat(first.getStream()).isEqualTo("EVT_GAME");
      assertThat(first.getDuplicate()).isFalse();
      PublishResponse again = publish(client, "evt.game.quests.v1.quest_completed", "pub-1", "other payload");
      assertThat(again.getDuplicate()).isTrue();
      assertThat(again.getSequence()).isEqualTo(first.getSequence());
    }

    @Test
    @DisplayName("keeps type, content type and extra headers, which replay gives back")
    void keepsHeaders(RpcClient client) {
      client.call("svc.infra.events.v1.publish", PublishRequest.newBuilder()
          .setTopic("evt.util.weather.v1.storm").setEventId("pub-h1").setPayload(ByteString.copyFromUtf8("{}"))
          .setType("util.weather.v1.Storm").setContentType("application/json")
          .putHeaders("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").build());
      StoredEvent stored = replay(client, ReplayRequest.newBuilder().setTopic("evt.util.weather.v1.storm").build()).get(0);
      assertThat(stored.getEventId()).isEqualTo("pub-h1");
      assertThat(stored.getType()).isEqualTo("util.weather.v1.Storm");
      assertThat(stored.getContentType()).isEqualTo("application/json");
      assertThat(stored.getHeadersMap()).containsEntry("traceparent",
          "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
      assertThat(stored.getPayload().toStringUtf8()).isEqualTo("{}");
      assertThat(stored.hasPublishedAt()).isTrue();
    }

    @Test
    @DisplayName("refuses malformed topics, naming topic")
    void badTopics(RpcClient client) {
      assertInvalid(() -> publish(client, "evt.game.>", "x", "p"), "topic", "topic: must not contain wildcards");
      assertInvalid(() -> publish(client, "evt.game.quests.quest_completed", "x", "p"), "topic",
          "topic: must be evt.<domain>.<service>.v1.<event> with tokens of [a-z0-9_]");
      assertInvalid(() -> publish(client, "evt.space.quests.v1.x", "x", "p"), "topic",
          "topic: has unknown domain 'space' (known: [ai, content, game, infra, util])");
      assertInvalid(() -> publish(client, "", "x", "p"), "topic", "topic: must not be empty");
    }

    @Test
    @DisplayName("refuses bad event ids, an oversized payload and Nats- headers")
    void badFields(RpcClient client) {
      assertInvalid(() -> publish(client, "evt.ai.llm.v1.x", "", "p"), "event_id", "event_id: must not be empty");
      assertInvalid(() -> publish(client, "evt.ai.llm.v1.x", "e".repeat(129), "p"), "event_id",
          "event_id: must be at most 128 characters");
      assertInvalid(() -> publish(client, "evt.ai.llm.v1.x", "big", "x".repeat(512 * 1024 + 1)), "payload",
          "payload: must be at most 512 KiB");
      assertInvalid(() -> client.call("svc.infra.events.v1.publish", PublishRequest.newBuilder()
          .setTopic("evt.ai.llm.v1.x").setEventId("h").putHeaders("Nats-Expected-Stream", "X").build()), "headers",
          "headers: header names starting with 'Nats-' are reserved: Nats-Expected-Stream");
    }

    @Test
    @DisplayName("answers RESOURCE_EXHAUSTED when the domain's stream is full")
    void streamFull(RpcClient client, JetStreamManagement jsm) throws Exception {
      jsm.addStream(StreamConfiguration.builder().name("EVT_CONTENT").subjects("evt.content.>")
          .storageType(StorageType.Memory).maxMessages(1).discardPolicy(DiscardPolicy.New).build());
      publish(client, "evt.content.kb.v1.fact_put", "full-1", "a");
      assertRpcError(() -> publish(client, "evt.content.kb.v1.fact_put", "full-2", "b"), Code.RESOURCE_EXHAUSTED,
          "stream EVT_CONTENT refused the event: maximum messages exceeded");
    }
  }

  @Nested
  @DisplayName("replay")
  class Replay {

    @Test
    @DisplayName("streams a topic's events in sequence order, from a sequence, up to max_events")
    void inOrder(RpcClient client) {
      List<Long> seqs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        seqs.add(publish(client, "evt.ai.models.v1.model_registered", "rp-" + i, "m" + i).getSequence());
      }
      publish(client, "evt.ai.models.v1.model_status_changed", "rp-other", "x");
      List<StoredEvent> all = replay(client, ReplayRequest.newBuilder().setTopic("evt.ai.models.v1.model_registered").build());
      assertThat(all).extracting(StoredEvent::getSequence).containsExactlyElementsOf(seqs);
      assertThat(all).extracting(e -> e.getPayload().toString(StandardCharsets.UTF_8)).containsExactly("m0", "m1", "m2", "m3");
      List<StoredEvent> part = replay(client, ReplayRequest.newBuilder().setTopic("evt.ai.models.v1.model_registered")
          .setFromSequence(seqs.get(1)).setMaxEvents(2).build());
      assertThat(part).extracting(StoredEvent::getEventId).containsExactly("rp-1", "rp-2");
    }

    @Test
    @DisplayName("takes wildcards inside one domain and gives each event its concrete topic")
    void wildcards(RpcClient client) {
      publish(client, "evt.infra.auth.v1.a", "wc-1", "1");
      publish(client, "evt.infra.auth.v1.b", "wc-2", "2");
      List<StoredEvent> events = replay(client, ReplayRequest.newBuilder().setTopic("evt.infra.auth.v1.*").build());
      assertThat(events).extracting(StoredEvent::getTopic).containsExactly("evt.infra.auth.v1.a", "evt.infra.auth.v1.b");
      assertThat(events).extracting(StoredEvent::getStream).containsOnly("EVT_INFRA");
    }

    @Test
    @DisplayName("of a topic without events is just the end marker")
    void empty(RpcClient client) {
      assertThat(replay(client, ReplayRequest.newBuilder().setTopic("evt.util.time.v1.never").build())).isEmpty();
    }

    @Test
    @DisplayName("refuses a wildcard across domains and a negative max_events")
    void badRequests(RpcClient client) {
      assertInvalid(() -> replay(client, ReplayRequest.newBuilder().setTopic("evt.>").build()), "topic",
          "topic: must be evt.<domain>. followed by a subject inside that domain");
      assertInvalid(() -> replay(client, ReplayRequest.newBuilder().setTopic("evt.*.x.v1.y").build()), "topic",
          "topic: must stay inside one domain (no wildcard for the domain)");
      assertInvalid(() -> replay(client, ReplayRequest.newBuilder().setTopic("evt.ai.>").setMaxEvents(-1).build()),
          "max_events", "max_events: must not be negative");
    }

    @Test
    @DisplayName("answers OUT_OF_RANGE for a start beyond the last sequence + 1")
    void outOfRange(RpcClient client) {
      long last = publish(client, "evt.util.state.v1.saved", "oor-1", "s").getSequence();
      assertThat(replay(client, ReplayRequest.newBuilder().setTopic("evt.util.>").setFromSequence(last + 1).build()))
          .isEmpty();
      assertRpcError(() -> replay(client, ReplayRequest.newBuilder().setTopic("evt.util.>").setFromSequence(last + 2).build()),
          Code.OUT_OF_RANGE, "from_sequence " + (last + 2) + " is beyond the stream's last sequence + 1 (" + (last + 1) + ")");
    }
  }

  @Nested
  @DisplayName("list_topics")
  class ListTopics {

    @Test
    @DisplayName("counts the stored events per topic, sorted, filtered by domain and prefix")
    void counts(RpcClient client) {
      publish(client, "evt.game.npc.v1.decided", "lt-1", "a");
      publish(client, "evt.game.npc.v1.decided", "lt-2", "b");
      long last = publish(client, "evt.game.npc.v1.profile_set", "lt-3", "c").getSequence();
      ListTopicsResponse r = client.call("svc.infra.events.v1.list_topics",
          ListTopicsRequest.newBuilder().setDomain("game").setPrefix("evt.game.npc.").build());
      assertThat(r.getTopicsList()).extracting(TopicInfo::getTopic)
          .containsExactly("evt.game.npc.v1.decided", "evt.game.npc.v1.profile_set");
      assertThat(r.getTopics(0).getEventCount()).isEqualTo(2);
      assertThat(r.getTopics(1).getLastSequence()).isEqualTo(last);
      assertThat(r.getTopics(1).getStream()).isEqualTo("EVT_GAME");
      assertThat(r.getPage().getNextPageToken()).isEmpty();
    }

    @Test
    @DisplayName("pages with an opaque token tied to the filters")
    void pages(RpcClient client) {
      publish(client, "evt.util.perfmode.v1.a", "pg-1", "a");
      publish(client, "evt.util.perfmode.v1.b", "pg-2", "b");
      ListTopicsRequest first = ListTopicsRequest.newBuilder().setPrefix("evt.util.perfmode.")
          .setPage(PageRequest.newBuilder().setPageSize(1)).build();
      ListTopicsResponse one = client.call("svc.infra.events.v1.list_topics", first);
      assertThat(one.getTopicsList()).extracting(TopicInfo::getTopic).containsExactly("evt.util.perfmode.v1.a");
      String token = one.getPage().getNextPageToken();
      ListTopicsResponse two = client.call("svc.infra.events.v1.list_topics", first.toBuilder()
          .setPage(PageRequest.newBuilder().setPageSize(1).setPageToken(token)).build());
      assertThat(two.getTopicsList()).extracting(TopicInfo::getTopic).containsExactly("evt.util.perfmode.v1.b");
      assertThat(two.getPage().getNextPageToken()).isEmpty();
      assertInvalid(() -> client.call("svc.infra.events.v1.list_topics", ListTopicsRequest.newBuilder()
          .setPrefix("evt.util.").setPage(PageRequest.newBuilder().setPageToken(token)).build()),
          "page.page_token", "page.page_token: is not from a previous answer with the same filters");
    }

    @Test
    @DisplayName("refuses an unknown domain and a page above 1000")
    void badRequests(RpcClient client) {
      assertInvalid(() -> client.call("svc.infra.events.v1.list_topics", ListTopicsRequest.newBuilder()
          .setDomain("space").build()), "domain", "domain: unknown domain 'space' (known: [ai, content, game, infra, util])");
      assertInvalid(() -> client.call("svc.infra.events.v1.list_topics", ListTopicsRequest.newBuilder()
          .setPage(PageRequest.newBuilder().setPageSize(1001)).build()), "page.page_size", "page.page_size: must be in [0, 1000]");
    }
  }
}
