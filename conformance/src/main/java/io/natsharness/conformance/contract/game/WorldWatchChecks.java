package io.natsharness.conformance.contract.game;

import static io.natsharness.conformance.contract.game.WorldStateChecks.delete;
import static io.natsharness.conformance.contract.game.WorldStateChecks.entity;
import static io.natsharness.conformance.contract.game.WorldStateChecks.world;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.google.rpc.Code;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Breaker;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.OpenStream;
import io.natsharness.conformance.wire.WireReply;
import io.natsharness.proto.game.world.v1.ChangeType;
import io.natsharness.proto.game.world.v1.Entity;
import io.natsharness.proto.game.world.v1.EntityChange;
import io.natsharness.proto.game.world.v1.PutEntityRequest;
import io.natsharness.proto.game.world.v1.WatchRegionRequest;
import io.natsharness.proto.game.world.v1.WatchRegionResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * world_state's watch_region: the snapshot, the changes of a region in order (LEFT and ENTERED for
 * moves), kind filters, heartbeats, and the end at the request's deadline.
 *
 * <pre>{@code
 * ContractChecks checks = ContractChecks.forService("world_state");
 * WorldWatchChecks.add(checks);
 * }</pre>
 */
final class WorldWatchChecks {

  private static final Duration IDLE = Duration.ofSeconds(3);
  /** How much earlier than its deadline a stream may end to deliver its end marker in time. */
  private static final Duration END_MARGIN = Duration.ofMillis(400);

  private WorldWatchChecks() {}

  static void add(ContractChecks checks) {
    checks
        .behaviour("watch_region", "snapshot_then_changes", "a watch with include_snapshot sends the region's"
            + " entities as SNAPSHOT, then its changes in sequence order (CREATED, UPDATED, LEFT, DELETED) in"
            + " gapless chunks, and ends with the end marker at the deadline", WorldWatchChecks::snapshotThenChanges)
        .behaviour("watch_region", "entered_and_kind_filter", "an entity moving into a watched region shows as"
            + " ENTERED with previous_region, and a kinds filter leaves out other kinds",
            WorldWatchChecks::enteredAndKinds)
        .behaviour("watch_region", "heartbeats_until_deadline", "a quiet watch sends empty heartbeat messages"
            + " every heartbeat_interval_ms and ends with the end marker at the request's deadline",
            WorldWatchChecks::heartbeats)
        .error("watch_region", "invalid_request", Code.INVALID_ARGUMENT, "an empty region, an empty kind or a"
            + " heartbeat_interval_ms neither 0 nor in [100, 60000] ends the stream with INVALID_ARGUMENT",
            WorldWatchChecks::invalid);
  }

  /**
   * A watch lasts until its deadline: it may end a little before it, so that the end marker
   * reaches the caller in time (at most {@link #END_MARGIN}), and never well after it.
   */
  private static void assertEndsAtDeadline(Instant deadline) {
    assertThat(Instant.now()).as("end of the watch, near its deadline %s", deadline)
        .isBetween(deadline.minus(END_MARGIN), deadline.plusSeconds(1));
  }

  private static OpenStream watch(CheckContext ctx, WatchRegionRequest request, Instant deadline) {
    return world(ctx).call("watch_region").deadline(deadline).open(request);
  }

  /** Reads until a message with at least one change arrives; returns the stream's messages so far. */
  private static void awaitFirstChange(OpenStream stream) {
    long end = System.nanoTime() + IDLE.toNanos();
    while (System.nanoTime() < end) {
      WireReply reply = stream.next(IDLE).orElseThrow(() -> new AssertionError("the watch sent nothing"));
      if (reply.isError() || stream.ended()) {
        return;
      }
      try {
        if (WatchRegionResponse.parseFrom(reply.body()).getChangesCount() > 0) {
          return;
        }
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError("a watch message is not a WatchRegionResponse", e);
      }
    }
  }

  private static List<EntityChange> changes(List<WatchRegionResponse> messages) {
    return messages.stream().flatMap(m -> m.getChangesList().stream()).toList();
  }

  private static void snapshotThenChanges(CheckContext ctx) {
    String region = Names.id(ctx, "r");
    String elsewhere = Names.id(ctx, "r");
    Entity x = world(ctx).ok("put_entity", entity(ctx, region, "npc"));
    Instant deadline = Instant.now().plusMillis(2500);
    try (OpenStream stream = watch(ctx, WatchRegionRequest.newBuilder().setRegion(region).setIncludeSnapshot(true)
        .setHeartbeatIntervalMs(200).build(), deadline)) {
      awaitFirstChange(stream);
      PutEntityRequest y = entity(ctx, region, "item");
      world(ctx).ok("put_entity", y);
      world(ctx).ok("put_entity", PutEntityRequest.newBuilder().setEntityId(x.getEntityId()).setKind("npc")
          .setRegion(region).putAttributes("mood", "alert").build());
      world(ctx).ok("put_entity", PutEntityRequest.newBuilder().setEntityId(x.getEntityId()).setKind("npc")
          .setRegion(elsewhere).build());
      world(ctx).ok("delete_entity", delete(y.getEntityId()));
      world(ctx).ok("put_entity", entity(ctx, elsewhere, "npc"));
      List<WatchRegionResponse> messages = stream.readToEnd(IDLE).chunks();
      assertEndsAtDeadline(deadline);
      List<EntityChange> changes = changes(messages);
      assertThat(changes).as("changes of region %s", region)
          .extracting(c -> c.getEntity().getEntityId(), EntityChange::getChangeType)
          .containsExactly(tuple(x.getEntityId(), ChangeType.SNAPSHOT), tuple(y.getEntityId(), ChangeType.CREATED),
              tuple(x.getEntityId(), ChangeType.UPDATED), tuple(x.getEntityId(), ChangeType.LEFT),
              tuple(y.getEntityId(), ChangeType.DELETED));
      assertThat(changes).as("every change is seen from the watched region")
          .allSatisfy(c -> assertThat(c.getRegion()).isEqualTo(region));
      assertThat(changes.get(3).getEntity().getRegion()).as("LEFT carries the entity's new state")
          .isEqualTo(elsewhere);
      assertThat(changes.subList(1, changes.size())).extracting(EntityChange::getSequence)
          .as("sequences of the changes after the snapshot").isSorted().doesNotHaveDuplicates();
    }
  }

  private static void enteredAndKinds(CheckContext ctx) {
    String from = Names.id(ctx, "r");
    String watched = Names.id(ctx, "r");
    PutEntityRequest npc = entity(ctx, from, "npc");
    world(ctx).ok("put_entity", npc);
    Instant deadline = Instant.now().plusMillis(1500);
    try (OpenStream stream = watch(ctx, WatchRegionRequest.newBuilder().setRegion(watched).addKinds("npc")
        .setHeartbeatIntervalMs(100).build(), deadline)) {
      stream.next(IDLE).orElseThrow(() -> new AssertionError("the watch sent no first heartbeat"));
      world(ctx).ok("put_entity", entity(ctx, watched, "item"));
      world(ctx).ok("put_entity", npc.toBuilder().setRegion(watched).build());
      List<EntityChange> changes = changes(stream.readToEnd(IDLE).chunks());
      assertThat(changes).as("changes of kind npc in region %s", watched)
          .extracting(c -> c.getEntity().getEntityId(), EntityChange::getChangeType, EntityChange::getPreviousRegion)
          .containsExactly(tuple(npc.getEntityId(), ChangeType.ENTERED, from));
    }
  }

  private static void heartbeats(CheckContext ctx) {
    Instant deadline = Instant.now().plusMillis(1200);
    List<WatchRegionResponse> messages = world(ctx).call("watch_region").deadline(deadline)
        .stream(WatchRegionRequest.newBuilder().setRegion(Names.id(ctx, "quiet")).setHeartbeatIntervalMs(100)
            .build(), IDLE).chunks();
    assertEndsAtDeadline(deadline);
    assertThat(messages).as("heartbeats of a quiet watch of 1.2 s at 100 ms").hasSizeGreaterThanOrEqualTo(4)
        .allSatisfy(m -> assertThat(m.getChangesList()).as("changes of a heartbeat").isEmpty());
  }

  private static void invalid(CheckContext ctx) {
    WatchRegionRequest valid = WatchRegionRequest.newBuilder().setRegion(Names.id(ctx, "r")).build();
    for (Breaker<WatchRegionRequest.Builder> breaker : List.<Breaker<WatchRegionRequest.Builder>>of(
        Breaker.of("region", b -> b.setRegion("")),
        Breaker.of("kinds", b -> b.addKinds("")),
        Breaker.of("heartbeat_interval_ms", b -> b.setHeartbeatIntervalMs(50)),
        Breaker.of("heartbeat_interval_ms", b -> b.setHeartbeatIntervalMs(60_001)))) {
      world(ctx).call("watch_region").deadline(Instant.now().plusSeconds(2))
          .streamFailsOn(breaker.apply(valid.toBuilder()), breaker.field());
    }
  }
}
