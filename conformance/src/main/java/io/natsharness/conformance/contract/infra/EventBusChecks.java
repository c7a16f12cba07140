package io.natsharness.conformance.contract.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.MessageInfo;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Breaker;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.proto.infra.events.v1.ListTopicsRequest;
import io.natsharness.proto.infra.events.v1.ListTopicsResponse;
import io.natsharness.proto.infra.events.v1.PublishRequest;
import io.natsharness.proto.infra.events.v1.PublishResponse;
import io.natsharness.proto.infra.events.v1.ReplayRequest;
import io.natsharness.proto.infra.events.v1.StoredEvent;
import io.natsharness.proto.infra.events.v1.TopicInfo;
import io.natsharness.sdk.status.WireHeaders;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Contract checks of {@code event_bus}: publishing into the domain's JetStream stream with
 * Nats-Msg-Id (and its duplicate window), replay as an ordered snapshot stream, and topic listing.
 * Every check publishes to topics of a service name unique to the run, in the infra domain.
 *
 * <pre>{@code
 * List<Check> checks = EventBusChecks.checks();
 * }</pre>
 */
public final class EventBusChecks {

  static final String SERVICE = "event_bus";
  static final String STREAM = "EVT_INFRA";

  private EventBusChecks() {}

  public static List<Check> checks() {
    return ContractChecks.forService(SERVICE)
        .behaviour("publish", "stores_with_msg_id", "publish stores the event in EVT_<DOMAIN> under its topic with"
            + " Nats-Msg-Id = event_id and answers the stream and sequence", EventBusChecks::storesWithMsgId)
        .behaviour("publish", "duplicate_in_window", "a repeat of an event_id stores nothing and answers"
            + " duplicate = true with the first copy's sequence", EventBusChecks::duplicateInWindow)
        .error("publish", "invalid_request", Code.INVALID_ARGUMENT, "a malformed or wildcard topic, an unknown"
            + " domain, an empty or over-long event_id, a payload above 512 KiB or a Nats- header is"
            + " INVALID_ARGUMENT", EventBusChecks::invalidPublishes)
        .error("publish", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a publish past its"
            + " deadline is DEADLINE_EXCEEDED and stores nothing", ctx -> {
              PublishRequest event = event(ctx, topic(ctx, "late"), "first");
              bus(ctx).call("publish").expiredDeadline().fails(event, Code.DEADLINE_EXCEEDED);
              assertThat(replay(ctx, ReplayRequest.newBuilder().setTopic(event.getTopic()).build()))
                  .as("events of the topic after an expired publish").isEmpty();
              assertThat(bus(ctx).<PublishResponse>ok("publish", event).getDuplicate())
                  .as("duplicate flag of the first real publish").isFalse();
            })
        .behaviour("replay", "in_order_snapshot", "replay streams a topic's events in sequence order as gapless"
            + " chunks with every stored field, from from_sequence, at most max_events, then the end marker",
            EventBusChecks::inOrder)
        .behaviour("replay", "wildcard_within_domain", "a wildcard topic inside one domain replays the events of"
            + " every matching topic, each with its concrete topic", EventBusChecks::wildcard)
        .behaviour("replay", "empty_topic", "a topic with no stored events gives just the end marker",
            ctx -> assertThat(replay(ctx, ReplayRequest.newBuilder().setTopic(topic(ctx, "none")).build()))
                .as("events of an empty topic").isEmpty())
        .error("replay", "invalid_request", Code.INVALID_ARGUMENT, "a topic outside evt.<domain>. of a known"
            + " domain (or spanning domains) or a negative max_events ends the stream with INVALID_ARGUMENT",
            ctx -> {
              ReplayRequest valid = ReplayRequest.newBuilder().setTopic(topic(ctx, "x")).build();
              for (Breaker<ReplayRequest.Builder> breaker : List.<Breaker<ReplayRequest.Builder>>of(
                  Breaker.of("topic", b -> b.setTopic("evt.>")),
                  Breaker.of("topic", b -> b.setTopic("evt.*.quests.v1.quest_completed")),
                  Breaker.of("topic", b -> b.setTopic("evt.nodomain.x.v1.y")),
                  Breaker.of("topic", b -> b.setTopic("svc.infra.events.v1.publish")),
                  Breaker.of("max_events", b -> b.setMaxEvents(-1)))) {
                bus(ctx).call("replay").streamFailsOn(breaker.apply(valid.toBuilder()), breaker.field());
              }
            })
        .error("replay", "from_sequence_out_of_range", Code.OUT_OF_RANGE, "a from_sequence beyond the stream's"
            + " last sequence + 1 ends the stream with OUT_OF_RANGE", ctx -> {
              String topic = topic(ctx, "oor");
              PublishResponse stored = bus(ctx).ok("publish", event(ctx, topic, "x"));
              bus(ctx).call("replay").streamFails(ReplayRequest.newBuilder().setTopic(topic)
                  .setFromSequence(stored.getSequence() + 1_000_000_000L).build(), Code.OUT_OF_RANGE);
            })
        .behaviour("list_topics", "counts_and_filters", "list_topics lists the topics with stored events, sorted,"
            + " with counts and last sequences, filtered by domain and prefix", EventBusChecks::countsAndFilters)
        .behaviour("list_topics", "pages", "list_topics pages by page_size with a token that is empty on the last"
            + " page", EventBusChecks::pages)
        .error("list_topics", "invalid_request", Code.INVALID_ARGUMENT, "an unknown domain, a page_size above 1000"
            + " or a foreign page_token is INVALID_ARGUMENT", ctx -> {
              bus(ctx).failsOnEach("list_topics", ListTopicsRequest.getDefaultInstance(),
                  List.<Breaker<ListTopicsRequest.Builder>>of(
                      Breaker.of("domain", b -> b.setDomain("nodomain")),
                      Breaker.of("page", b -> b.setPage(PageRequest.newBuilder().setPageSize(1001))),
                      Breaker.of("page", b -> b.setPage(PageRequest.newBuilder().setPageToken("forged-"
                          + ctx.unique("t"))))));
            })
        .build();
  }

  static Rpc bus(CheckContext ctx) {
    return Rpc.of(ctx, SERVICE);
  }

  /** The prefix of this check's topics: a service token unique to the call site's context. */
  private static String prefix(CheckContext ctx) {
    return "evt.infra." + Names.token(ctx, "cf") + ".v1.";
  }

  /** A topic of its own service name, unique to the run. */
  private static String topic(CheckContext ctx, String event) {
    return prefix(ctx) + event;
  }

  private static PublishRequest event(CheckContext ctx, String topic, String text) {
    return PublishRequest.newBuilder().setTopic(topic).setEventId(ctx.unique("ev")).setType("conformance.v1.Note")
        .setContentType("application/json").setPayload(ByteString.copyFromUtf8("{\"text\":\"" + text + "\"}"))
        .putHeaders("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").build();
  }

  private static List<StoredEvent> replay(CheckContext ctx, ReplayRequest request) {
    return bus(ctx).call("replay").stream(request, Duration.ofSeconds(5)).chunks();
  }

  private static void storesWithMsgId(CheckContext ctx) throws IOException, JetStreamApiException {
    PublishRequest event = event(ctx, topic(ctx, "stored"), "hello");
    PublishResponse stored = bus(ctx).ok("publish", event);
    assertThat(stored.getStream()).as("stream").isEqualTo(STREAM);
    assertThat(stored.getSequence()).as("sequence").isPositive();
    assertThat(stored.getDuplicate()).as("duplicate").isFalse();
    MessageInfo message = ctx.nats().jetStreamManagement().getMessage(STREAM, stored.getSequence());
    assertThat(message.getSubject()).as("subject of the stored message").isEqualTo(event.getTopic());
    assertThat(message.getHeaders().getFirst(WireHeaders.NATS_MSG_ID)).as("Nats-Msg-Id of the stored message")
        .isEqualTo(event.getEventId());
    assertThat(message.getData()).as("data of the stored message").isEqualTo(event.getPayload().toByteArray());
  }

  private static void duplicateInWindow(CheckContext ctx) {
    PublishRequest event = event(ctx, topic(ctx, "dup"), "first");
    PublishResponse first = bus(ctx).ok("publish", event);
    PublishResponse again = bus(ctx).ok("publish", event.toBuilder()
        .setPayload(ByteString.copyFromUtf8("{\"text\":\"second\"}")).build());
    assertThat(again.getDuplicate()).as("duplicate of the repeat").isTrue();
    assertThat(again.getSequence()).as("sequence of the repeat (the first copy's)").isEqualTo(first.getSequence());
    List<StoredEvent> stored = replay(ctx, ReplayRequest.newBuilder().setTopic(event.getTopic()).build());
    assertThat(stored).as("events stored for the topic").hasSize(1);
    assertThat(stored.get(0).getPayload()).as("payload stored (the first copy's)").isEqualTo(event.getPayload());
  }

  private static void invalidPublishes(CheckContext ctx) {
    PublishRequest valid = event(ctx, topic(ctx, "bad"), "x");
    bus(ctx).failsOnEach("publish", valid, List.<Breaker<PublishRequest.Builder>>of(
        Breaker.of("topic", b -> b.setTopic("evt.infra.conformance.v1")),
        Breaker.of("topic", b -> b.setTopic("evt.nodomain.conformance.v1.note")),
        Breaker.of("topic", b -> b.setTopic("evt.infra.conformance.v1.*")),
        Breaker.of("topic", b -> b.setTopic("evt.infra.conformance.v1.>")),
        Breaker.of("topic", b -> b.setTopic("evt.infra.Conformance.v1.note")),
        Breaker.of("topic", b -> b.setTopic("svc.infra.events.v1.publish")),
        Breaker.of("event_id", b -> b.setEventId("")),
        Breaker.of("event_id", b -> b.setEventId("e".repeat(129))),
        Breaker.of("payload", b -> b.setPayload(ByteString.copyFrom(new byte[512 * 1024 + 1]))),
        Breaker.of("headers", b -> b.putHeaders("Nats-Expected-Stream", "EVT_INFRA"))));
    assertThat(replay(ctx, ReplayRequest.newBuilder().setTopic(valid.getTopic()).build()))
        .as("events stored by refused publishes").isEmpty();
  }

  private static void inOrder(CheckContext ctx) {
    String topic = topic(ctx, "ordered");
    List<PublishRequest> events = List.of(event(ctx, topic, "one"), event(ctx, topic, "two"), event(ctx, topic, "three"));
    List<PublishResponse> stored = events.stream().map(e -> bus(ctx).<PublishResponse>ok("publish", e)).toList();
    List<StoredEvent> all = replay(ctx, ReplayRequest.newBuilder().setTopic(topic).build());
    assertThat(all).extracting(StoredEvent::getEventId).as("event ids in order")
        .containsExactly(events.get(0).getEventId(), events.get(1).getEventId(), events.get(2).getEventId());
    for (int i = 0; i < 3; i++) {
      StoredEvent e = all.get(i);
      assertThat(e.getTopic()).as("topic").isEqualTo(topic);
      assertThat(e.getStream()).as("stream").isEqualTo(STREAM);
      assertThat(e.getSequence()).as("sequence of event %d", i + 1).isEqualTo(stored.get(i).getSequence());
      assertThat(e.getPayload()).as("payload").isEqualTo(events.get(i).getPayload());
      assertThat(e.getType()).as("type").isEqualTo("conformance.v1.Note");
      assertThat(e.getContentType()).as("content_type").isEqualTo("application/json");
      assertThat(e.getHeadersMap()).as("headers").containsAllEntriesOf(events.get(i).getHeadersMap());
      assertThat(e.hasPublishedAt()).as("published_at is set").isTrue();
    }
    assertThat(replay(ctx, ReplayRequest.newBuilder().setTopic(topic).setFromSequence(stored.get(1).getSequence())
        .build())).extracting(StoredEvent::getSequence).as("replay from the second event's sequence")
        .containsExactly(stored.get(1).getSequence(), stored.get(2).getSequence());
    assertThat(replay(ctx, ReplayRequest.newBuilder().setTopic(topic).setMaxEvents(1).build()))
        .extracting(StoredEvent::getEventId).as("replay of at most one event")
        .containsExactly(events.get(0).getEventId());
  }

  private static void wildcard(CheckContext ctx) {
    String prefix = prefix(ctx);
    PublishRequest a = event(ctx, prefix + "alpha", "a");
    PublishRequest b = event(ctx, prefix + "beta", "b");
    bus(ctx).ok("publish", a);
    bus(ctx).ok("publish", b);
    assertThat(replay(ctx, ReplayRequest.newBuilder().setTopic(prefix + "*").build()))
        .extracting(StoredEvent::getTopic, StoredEvent::getEventId).as("events of %s*", prefix)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(a.getTopic(), a.getEventId()),
            org.assertj.core.groups.Tuple.tuple(b.getTopic(), b.getEventId()));
  }

  private static void countsAndFilters(CheckContext ctx) {
    String prefix = prefix(ctx);
    bus(ctx).ok("publish", event(ctx, prefix + "beta", "1"));
    bus(ctx).ok("publish", event(ctx, prefix + "alpha", "1"));
    PublishResponse last = bus(ctx).ok("publish", event(ctx, prefix + "alpha", "2"));
    ListTopicsResponse listed = bus(ctx).ok("list_topics", ListTopicsRequest.newBuilder().setDomain("infra")
        .setPrefix(prefix).build());
    assertThat(listed.getTopicsList()).extracting(TopicInfo::getTopic, TopicInfo::getEventCount, TopicInfo::getStream)
        .as("topics under %s", prefix).containsExactly(
            org.assertj.core.groups.Tuple.tuple(prefix + "alpha", 2L, STREAM),
            org.assertj.core.groups.Tuple.tuple(prefix + "beta", 1L, STREAM));
    assertThat(listed.getTopics(0).getLastSequence()).as("last_sequence of alpha").isEqualTo(last.getSequence());
    assertThat(listed.getTopics(0).hasLastPublishedAt()).as("last_published_at is set").isTrue();
    assertThat(bus(ctx).<ListTopicsResponse>ok("list_topics", ListTopicsRequest.newBuilder().setDomain("game")
        .setPrefix(prefix).build()).getTopicsList()).as("topics under %s in the game domain", prefix).isEmpty();
  }

  private static void pages(CheckContext ctx) {
    String prefix = prefix(ctx);
    bus(ctx).ok("publish", event(ctx, prefix + "beta", "1"));
    bus(ctx).ok("publish", event(ctx, prefix + "alpha", "1"));
    ListTopicsRequest first = ListTopicsRequest.newBuilder().setPrefix(prefix)
        .setPage(PageRequest.newBuilder().setPageSize(1)).build();
    ListTopicsResponse page1 = bus(ctx).ok("list_topics", first);
    assertThat(page1.getTopicsList()).extracting(TopicInfo::getTopic).as("first page").containsExactly(prefix + "alpha");
    assertThat(page1.getPage().getNextPageToken()).as("token of the first page").isNotEmpty();
    ListTopicsResponse page2 = bus(ctx).ok("list_topics", first.toBuilder().setPage(PageRequest.newBuilder()
        .setPageSize(1).setPageToken(page1.getPage().getNextPageToken())).build());
    assertThat(page2.getTopicsList()).extracting(TopicInfo::getTopic).as("second page").containsExactly(prefix + "beta");
    assertThat(page2.getPage().getNextPageToken()).as("token of the last page").isEmpty();
  }
}
