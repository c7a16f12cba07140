package io.natsharness.services.game.world;

import static io.natsharness.services.game.kit.Rpc.expect;
import static io.natsharness.services.game.kit.Rpc.expectInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.google.rpc.Code;
import io.nats.client.Connection;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.proto.common.v1.Vector3;
import io.natsharness.proto.game.world.v1.ChangeType;
import io.natsharness.proto.game.world.v1.DeleteEntityRequest;
import io.natsharness.proto.game.world.v1.Entity;
import io.natsharness.proto.game.world.v1.EntityChange;
import io.natsharness.proto.game.world.v1.GetEntityRequest;
import io.natsharness.proto.game.world.v1.PutEntityRequest;
import io.natsharness.proto.game.world.v1.QueryRegionRequest;
import io.natsharness.proto.game.world.v1.QueryRegionResponse;
import io.natsharness.proto.game.world.v1.WatchRegionRequest;
import io.natsharness.proto.game.world.v1.WatchRegionResponse;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.ResponseStream;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.game.kit.Concurrently;
import io.natsharness.services.game.kit.EventLog;
import io.natsharness.services.game.kit.HostedServices;
import io.natsharness.services.game.kit.Rpc;
import io.natsharness.services.host.ReferenceHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import io.natsharness.services.game.kit.DualStack;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("world_state")
class WorldStateServiceTest {

  private static HostedServices hosted;
  private Rpc world;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    hosted = HostedServices.start(info, "world_state");
  }

  @AfterAll
  static void stop() {
    hosted.close();
  }

  @BeforeEach
  void client(RpcClient client) {
    world = new Rpc(client, "world_state");
  }

  static PutEntityRequest entity(String id, String kind, String region) {
    return PutEntityRequest.newBuilder().setEntityId(id).setKind(kind).setRegion(region)
        .setPosition(Vector3.newBuilder().setX(1).setY(2).setZ(3)).putAttributes("hp", "10").build();
  }

  private Entity put(PutEntityRequest request) {
    return world.call("put_entity", request);
  }

  private Entity delete(String id) {
    return world.call("delete_entity", DeleteEntityRequest.newBuilder().setEntityId(id).build());
  }

  private List<String> region(String region, String... kinds) {
    QueryRegionResponse r = world.call("query_region", QueryRegionRequest.newBuilder().setRegion(region)
        .addAllKinds(List.of(kinds)).build());
    return r.getEntitiesList().stream().map(Entity::getEntityId).toList();
  }

  private List<EventLog.Event<EntityChange>> changesOf(Connection nats, String entityId) throws Exception {
    return EventLog.read(nats, "world_state", "entity_changed", hosted.prefix(), EntityChange.parser()).stream()
        .filter(e -> e.payload().getEntity().getEntityId().equals(entityId)).toList();
  }

  @Nested
  @DisplayName("put_entity")
  class Put {

    @Test
    @DisplayName("creates at version 1 and replaces at version 2")
    void createsAndReplaces() {
      Entity v1 = put(entity("put-1", "npc", "r-put"));
      Entity v2 = put(entity("put-1", "npc", "r-put").toBuilder().putAttributes("hp", "7").build());

      assertThat(v1.getMeta().getVersion()).isEqualTo(1);
      assertThat(v2.getMeta().getVersion()).isEqualTo(2);
      assertThat(v2.getAttributesMap()).containsEntry("hp", "7");
      assertThat(v2.getMeta().getCreatedAt()).isEqualTo(v1.getMeta().getCreatedAt());
      assertThat((Entity) world.call("get_entity", GetEntityRequest.newBuilder().setEntityId("put-1").build())).isEqualTo(v2);
    }

    @Test
    @DisplayName("publishes entity_changed per write, numbered by the change sequence, a move with previous_region")
    void events(Connection nats) throws Exception {
      put(entity("put-ev", "npc", "r-ev-a"));
      put(entity("put-ev", "npc", "r-ev-b"));
      delete("put-ev");

      List<EventLog.Event<EntityChange>> events = changesOf(nats, "put-ev");

      assertThat(events).extracting(e -> e.payload().getChangeType(), e -> e.payload().getRegion(),
              e -> e.payload().getPreviousRegion())
          .containsExactly(tuple(ChangeType.CREATED, "r-ev-a", ""), tuple(ChangeType.UPDATED, "r-ev-b", "r-ev-a"),
              tuple(ChangeType.DELETED, "r-ev-b", ""));
      assertThat(events).allSatisfy(e -> assertThat(e.id()).isEqualTo("entity_changed:" + e.payload().getSequence()));
      long first = events.get(0).payload().getSequence();
      assertThat(events).extracting(e -> e.payload().getSequence()).isSorted().doesNotHaveDuplicates();
      assertThat(events.get(2).payload().getSequence()).isGreaterThan(first);
    }

    @Test
    @DisplayName("with expected_version 0 creates only when the entity does not exist")
    void createOnly() {
      put(entity("cas-new", "npc", "r-cas").toBuilder().setExpectedVersion(0).build());

      expect(() -> put(entity("cas-new", "npc", "r-cas").toBuilder().setExpectedVersion(0).build()), Code.ABORTED,
          "entity cas-new already exists (version 1), expected none");
    }

    @Test
    @DisplayName("answers ABORTED for a stale expected_version")
    void stale() {
      put(entity("cas-stale", "npc", "r-cas"));
      put(entity("cas-stale", "npc", "r-cas"));

      expect(() -> put(entity("cas-stale", "npc", "r-cas").toBuilder().setExpectedVersion(1).build()), Code.ABORTED,
          "entity cas-stale is at version 2, expected 1");
    }

    @Test
    @DisplayName("answers ABORTED for a version of an entity that does not exist")
    void missing() {
      expect(() -> put(entity("cas-missing", "npc", "r-cas").toBuilder().setExpectedVersion(3).build()), Code.ABORTED,
          "entity cas-missing does not exist, expected version 3");
    }

    @Test
    @DisplayName("lets exactly one of 20 concurrent writers with the same expected_version win")
    void concurrentCas(Connection nats) throws Exception {
      put(entity("cas-race", "npc", "r-cas"));

      Concurrently.Outcomes<Entity> outcomes = Concurrently.run(20, i -> put(entity("cas-race", "npc", "r-cas").toBuilder()
          .putAttributes("writer", Integer.toString(i)).setExpectedVersion(1).build()));

      assertThat(outcomes.successes()).singleElement().satisfies(e -> assertThat(e.getMeta().getVersion()).isEqualTo(2));
      assertThat(outcomes.failures()).hasSize(19)
          .allSatisfy(e -> assertThat(e.statusMessage()).isEqualTo("entity cas-race is at version 2, expected 1"));
      assertThat(changesOf(nats, "cas-race")).hasSize(2);
    }

    @Test
    @DisplayName("applies 30 concurrent unconditional writes one after another")
    void concurrentWrites(Connection nats) throws Exception {
      Concurrently.Outcomes<Entity> outcomes = Concurrently.run(30, i -> put(entity("race-free", "npc", "r-race")
          .toBuilder().putAttributes("writer", Integer.toString(i)).build()));

      assertThat(outcomes.successes()).extracting(e -> e.getMeta().getVersion())
          .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 30).mapToObj(Long::valueOf).toList());
      assertThat(changesOf(nats, "race-free")).extracting(e -> e.payload().getEntity().getMeta().getVersion())
          .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, 30).mapToObj(Long::valueOf).toList());
    }

    @Test
    @DisplayName("refuses a malformed entity_id")
    void malformedId() {
      expectInvalid(() -> put(entity("a b", "npc", "r")), "entity_id", "must be 1-128 chars of [A-Za-z0-9_.:-], got 'a b'");
    }

    @Test
    @DisplayName("refuses a malformed kind")
    void malformedKind() {
      expectInvalid(() -> put(entity("e", "NPC", "r")), "kind", "must be 1-64 chars of [a-z0-9_], got 'NPC'");
    }

    @Test
    @DisplayName("refuses an empty region")
    void emptyRegion() {
      expectInvalid(() -> put(entity("e", "npc", "")), "region", "is required");
    }

    @Test
    @DisplayName("refuses a non-finite coordinate")
    void nonFinite() {
      expectInvalid(() -> put(entity("e", "npc", "r").toBuilder().setPosition(Vector3.newBuilder().setY(Double.NaN)).build()),
          "position.y", "must be a finite number, got NaN");
    }

    @Test
    @DisplayName("refuses more than 64 attributes")
    void tooManyAttributes() {
      PutEntityRequest.Builder r = entity("e", "npc", "r").toBuilder().clearAttributes();
      IntStream.range(0, 65).forEach(i -> r.putAttributes("k" + i, "v"));

      expectInvalid(() -> put(r.build()), "attributes", "must have at most 64 entries, got 65");
    }

    @Test
    @DisplayName("refuses an attribute value over 1024 chars")
    void longValue() {
      expectInvalid(() -> put(entity("e", "npc", "r").toBuilder().putAttributes("k", "v".repeat(1025)).build()),
          "attributes[k]", "must be at most 1024 chars, got 1025");
    }
  }

  @Nested
  @DisplayName("get_entity and delete_entity")
  class GetAndDelete {

    @Test
    @DisplayName("delete returns the last state; the entity is then NOT_FOUND, and a new one starts at version 1")
    void deletes() {
      Entity stored = put(entity("del-1", "item", "r-del"));

      Entity last = delete("del-1");

      assertThat(last).isEqualTo(stored);
      expect(() -> world.call("get_entity", GetEntityRequest.newBuilder().setEntityId("del-1").build()),
          Code.NOT_FOUND, "entity del-1 not found");
      expect(() -> delete("del-1"), Code.NOT_FOUND, "entity del-1 not found");
      assertThat(region("r-del")).isEmpty();
      assertThat(put(entity("del-1", "item", "r-del")).getMeta().getVersion()).isEqualTo(1);
    }

    @Test
    @DisplayName("delete with a stale expected_version answers ABORTED and keeps the entity")
    void staleDelete() {
      put(entity("del-cas", "item", "r-del-cas"));
      put(entity("del-cas", "item", "r-del-cas"));

      expect(() -> world.call("delete_entity", DeleteEntityRequest.newBuilder().setEntityId("del-cas").setExpectedVersion(1).build()),
          Code.ABORTED, "entity del-cas is at version 2, expected 1");
      assertThat(region("r-del-cas")).containsExactly("del-cas");
    }

    @Test
    @DisplayName("get refuses an empty entity_id")
    void emptyId() {
      expectInvalid(() -> world.call("get_entity", GetEntityRequest.getDefaultInstance()), "entity_id", "is required");
    }

    @Test
    @DisplayName("delete refuses an empty entity_id")
    void deleteEmptyId() {
      expectInvalid(() -> world.call("delete_entity", DeleteEntityRequest.getDefaultInstance()), "entity_id", "is required");
    }

    @Test
    @DisplayName("entities survive a restart")
    void survivesRestart(RpcClient client) {
      Entity stored = put(entity("durable-1", "npc", "r-durable"));

      hosted.restart();

      assertThat((Entity) new Rpc(client, "world_state").call("get_entity",
          GetEntityRequest.newBuilder().setEntityId("durable-1").build())).isEqualTo(stored);
    }
  }

  @Nested
  @DisplayName("query_region")
  class QueryRegion {

    @Test
    @DisplayName("pages a region's entities by entity_id")
    void pages() {
      for (String id : List.of("q-c", "q-a", "q-e", "q-b", "q-d")) {
        put(entity(id, "npc", "r-query"));
      }
      List<String> seen = new ArrayList<>();
      int pages = 0;
      String token = "";
      do {
        QueryRegionResponse r = world.call("query_region", QueryRegionRequest.newBuilder().setRegion("r-query")
            .setPage(PageRequest.newBuilder().setPageSize(2).setPageToken(token)).build());
        r.getEntitiesList().forEach(e -> seen.add(e.getEntityId()));
        token = r.getPage().getNextPageToken();
        pages++;
      } while (!token.isEmpty());

      assertThat(seen).containsExactly("q-a", "q-b", "q-c", "q-d", "q-e");
      assertThat(pages).isEqualTo(3);
    }

    @Test
    @DisplayName("filters by kind")
    void kinds() {
      put(entity("k-npc", "npc", "r-kinds"));
      put(entity("k-item", "item", "r-kinds"));
      put(entity("k-player", "player", "r-kinds"));

      assertThat(region("r-kinds", "item", "player")).containsExactly("k-item", "k-player");
    }

    @Test
    @DisplayName("follows moves between regions, and gives an empty page for an empty region")
    void moves() {
      put(entity("mover", "npc", "r-from"));
      put(entity("mover", "npc", "r-to"));

      assertThat(region("r-from")).isEmpty();
      assertThat(region("r-to")).containsExactly("mover");
    }

    @Test
    @DisplayName("refuses an empty region")
    void emptyRegion() {
      expectInvalid(() -> region(""), "region", "is required");
    }

    @Test
    @DisplayName("refuses a page_size above 100")
    void pageSize() {
      expectInvalid(() -> world.call("query_region", QueryRegionRequest.newBuilder().setRegion("r")
          .setPage(PageRequest.newBuilder().setPageSize(101)).build()), "page.page_size", "must be in [0, 100], got 101");
    }

    @Test
    @DisplayName("refuses a token issued for another region")
    void foreignToken() {
      put(entity("t-1", "npc", "r-token"));
      put(entity("t-2", "npc", "r-token"));
      QueryRegionResponse first = world.call("query_region", QueryRegionRequest.newBuilder().setRegion("r-token")
          .setPage(PageRequest.newBuilder().setPageSize(1)).build());

      expectInvalid(() -> world.call("query_region", QueryRegionRequest.newBuilder().setRegion("r-other")
              .setPage(PageRequest.newBuilder().setPageToken(first.getPage().getNextPageToken())).build()),
          "page.page_token", "was not issued by this method for these filters");
    }
  }

  @Nested
  @DisplayName("watch_region")
  class Watch {

    private List<WatchRegionResponse> untilEnd(ResponseStream<WatchRegionResponse> stream) {
      List<WatchRegionResponse> rest = new ArrayList<>();
      stream.forEachRemaining(rest::add);
      return rest;
    }

    private static List<EntityChange> changes(List<WatchRegionResponse> messages) {
      return messages.stream().flatMap(m -> m.getChangesList().stream()).toList();
    }

    @Test
    @DisplayName("sends the snapshot, then the region's changes in sequence order, and ends normally at the deadline")
    void snapshotThenChanges() {
      put(entity("w-b", "npc", "r-watch"));
      put(entity("w-a", "npc", "r-watch"));
      put(entity("w-far", "npc", "r-elsewhere"));
      long started = System.nanoTime();
      List<WatchRegionResponse> rest;
      WatchRegionResponse snapshot;
      try (ResponseStream<WatchRegionResponse> stream = world.stream("watch_region", WatchRegionRequest.newBuilder()
          .setRegion("r-watch").setIncludeSnapshot(true).setHeartbeatIntervalMs(60_000).build(),
          CallOptions.builder().timeout(Duration.ofSeconds(3)).build())) {
        snapshot = stream.next();
        put(entity("w-c", "npc", "r-watch"));
        put(entity("w-a", "npc", "r-watch").toBuilder().putAttributes("hp", "1").build());
        put(entity("w-far", "npc", "r-watch"));
        put(entity("w-b", "npc", "r-elsewhere"));
        delete("w-c");
        rest = untilEnd(stream);
      }
      double seconds = (System.nanoTime() - started) / 1e9;

      assertThat(snapshot.getChangesList()).extracting(c -> c.getEntity().getEntityId(), EntityChange::getChangeType)
          .containsExactly(tuple("w-a", ChangeType.SNAPSHOT), tuple("w-b", ChangeType.SNAPSHOT));
      List<EntityChange> changes = changes(rest);
      assertThat(changes).extracting(c -> c.getEntity().getEntityId(), EntityChange::getChangeType, EntityChange::getRegion)
          .containsExactly(
              tuple("w-c", ChangeType.CREATED, "r-watch"),
              tuple("w-a", ChangeType.UPDATED, "r-watch"),
              tuple("w-far", ChangeType.ENTERED, "r-watch"),
              tuple("w-b", ChangeType.LEFT, "r-watch"),
              tuple("w-c", ChangeType.DELETED, "r-watch"));
      assertThat(changes).extracting(EntityChange::getSequence).isSorted().doesNotHaveDuplicates();
      assertThat(changes.get(3).getEntity().getRegion()).isEqualTo("r-elsewhere");
      assertThat(changes.get(2).getPreviousRegion()).isEqualTo("r-elsewhere");
      assertThat(seconds).as("ended by itself before the 3 s deadline").isLessThan(3.0);
    }

    @Test
    @DisplayName("sends heartbeats when the region is quiet")
    void heartbeats() {
      List<WatchRegionResponse> messages = world.collect("watch_region", WatchRegionRequest.newBuilder()
          .setRegion("r-quiet").setHeartbeatIntervalMs(100).build(), CallOptions.builder().timeout(Duration.ofMillis(1500)).build());

      assertThat(messages).hasSizeGreaterThanOrEqualTo(5).allSatisfy(m -> assertThat(m.getChangesList()).isEmpty());
    }

    @Test
    @DisplayName("keeps to the kinds asked for")
    void kinds() {
      List<WatchRegionResponse> rest;
      try (ResponseStream<WatchRegionResponse> stream = world.stream("watch_region", WatchRegionRequest.newBuilder()
          .setRegion("r-watch-kinds").addKinds("item").setHeartbeatIntervalMs(100).build(),
          CallOptions.builder().timeout(Duration.ofSeconds(2)).build())) {
        stream.next(); // a heartbeat: the watch is live
        put(entity("wk-npc", "npc", "r-watch-kinds"));
        put(entity("wk-item", "item", "r-watch-kinds"));
        rest = untilEnd(stream);
      }

      assertThat(changes(rest)).extracting(c -> c.getEntity().getEntityId()).containsExactly("wk-item");
    }

    @Test
    @DisplayName("sees writes served by another host sharing the load")
    void acrossHosts(HarnessRuntimeInfo info) {
      try (ReferenceHost second = ReferenceHost.builder().withEnvironment(info.implementationEnvironment())
          .withKeyPrefix(hosted.prefix()).withServices("world_state").start()) {
        List<WatchRegionResponse> rest;
        try (ResponseStream<WatchRegionResponse> stream = world.stream("watch_region", WatchRegionRequest.newBuilder()
            .setRegion("r-hosts").setHeartbeatIntervalMs(100).build(), CallOptions.builder().timeout(Duration.ofSeconds(3)).build())) {
          stream.next();
          IntStream.range(0, 12).forEach(i -> put(entity("wh-" + i, "npc", "r-hosts")));
          rest = untilEnd(stream);
        }
        assertThat(changes(rest)).extracting(c -> c.getEntity().getEntityId())
            .containsExactlyElementsOf(IntStream.range(0, 12).mapToObj(i -> "wh-" + i).toList());
      }
    }

    @Test
    @DisplayName("refuses an empty region")
    void emptyRegion() {
      expectInvalid(() -> world.collect("watch_region", WatchRegionRequest.getDefaultInstance(), CallOptions.defaults()),
          "region", "is required");
    }

    @Test
    @DisplayName("refuses an empty kind")
    void emptyKind() {
      expectInvalid(() -> world.collect("watch_region", WatchRegionRequest.newBuilder().setRegion("r").addKinds("").build(),
          CallOptions.defaults()), "kinds[0]", "is required");
    }

    @Test
    @DisplayName("refuses a heartbeat interval outside [100, 60000]")
    void heartbeatRange() {
      expectInvalid(() -> world.collect("watch_region", WatchRegionRequest.newBuilder().setRegion("r")
          .setHeartbeatIntervalMs(50).build(), CallOptions.defaults()), "heartbeat_interval_ms",
          "must be 0 or in [100, 60000], got 50");
    }
  }

  @Nested
  @DisplayName("over HTTP and NATS")
  class DualStackAnswers {

    private DualStack dual(RpcClient client) {
      return new DualStack(hosted.host().httpUrl(), client);
    }

    @Test
    @DisplayName("put_entity answers the same for twin entities")
    void put(RpcClient client) {
      dual(client).assertSame(world.method("put_entity"),
          entity("ds-nats-e", "npc", "r-dual").toBuilder().setExpectedVersion(0).build(),
          entity("ds-http-e", "npc", "r-dual").toBuilder().setExpectedVersion(0).build(), Optional.empty(), s -> s.replace("ds-http", "ds-nats"));
    }

    @Test
    @DisplayName("get_entity answers the same")
    void get(RpcClient client) {
      WorldStateServiceTest.this.put(entity("ds-get", "npc", "r-dual-get"));
      dual(client).assertSame(world.method("get_entity"), GetEntityRequest.newBuilder().setEntityId("ds-get").build());
    }

    @Test
    @DisplayName("query_region answers the same")
    void query(RpcClient client) {
      WorldStateServiceTest.this.put(entity("ds-q1", "npc", "r-dual-q"));
      WorldStateServiceTest.this.put(entity("ds-q2", "item", "r-dual-q"));
      dual(client).assertSame(world.method("query_region"), QueryRegionRequest.newBuilder().setRegion("r-dual-q")
          .setPage(PageRequest.newBuilder().setPageSize(1)).build());
    }

    @Test
    @DisplayName("delete_entity answers the same for twin entities")
    void delete(RpcClient client) {
      WorldStateServiceTest.this.put(entity("ds-nats-d", "npc", "r-dual-d"));
      WorldStateServiceTest.this.put(entity("ds-http-d", "npc", "r-dual-d"));
      dual(client).assertSame(world.method("delete_entity"), DeleteEntityRequest.newBuilder().setEntityId("ds-nats-d").build(),
          DeleteEntityRequest.newBuilder().setEntityId("ds-http-d").build(), Optional.empty(), s -> s.replace("ds-http", "ds-nats"));
    }

    @Test
    @DisplayName("watch_region streams the same snapshot and ends the same")
    void watch(RpcClient client) {
      WorldStateServiceTest.this.put(entity("ds-w", "npc", "r-dual-w"));
      WatchRegionRequest request = WatchRegionRequest.newBuilder().setRegion("r-dual-w").setIncludeSnapshot(true)
          .setHeartbeatIntervalMs(60_000).build();
      assertThat(dual(client).assertSame(world.method("watch_region"), request, request, Optional.empty(),
          s -> s, Optional.of(Duration.ofSeconds(3))).messages()).hasSize(1);
    }
  }
}
