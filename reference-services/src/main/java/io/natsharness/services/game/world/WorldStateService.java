package io.natsharness.services.game.world;

import io.natsharness.proto.common.v1.PageResponse;
import io.natsharness.proto.common.v1.Vector3;
import io.natsharness.proto.game.world.v1.DeleteEntityRequest;
import io.natsharness.proto.game.world.v1.Entity;
import io.natsharness.proto.game.world.v1.EntityChange;
import io.natsharness.proto.game.world.v1.GetEntityRequest;
import io.natsharness.proto.game.world.v1.PutEntityRequest;
import io.natsharness.proto.game.world.v1.QueryRegionRequest;
import io.natsharness.proto.game.world.v1.QueryRegionResponse;
import io.natsharness.proto.game.world.v1.WatchRegionRequest;
import io.natsharness.proto.game.world.v1.WatchRegionResponse;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.service.StreamSink;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.game.kit.ChangeSignal;
import io.natsharness.services.game.kit.Checks;
import io.natsharness.services.game.kit.Checks.Format;
import io.natsharness.services.game.kit.PageCursor;
import io.natsharness.services.game.kit.ServiceEvents;
import io.natsharness.services.game.kit.StreamTiming;
import io.natsharness.services.support.ServiceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reference {@code world_state} service: entities by region, compare-and-set writes, paged
 * region queries and a change stream per region.
 *
 * <p>Every write is one Lua script of {@link WorldStore} (check, sequence number, entity, region
 * indexes, change log); entity_changed is published after it with the event id
 * {@code entity_changed:<sequence>}. watch_region reads the change log, woken by a
 * {@link ChangeSignal} on the sequence counter, so a write on any host reaches a watch on any
 * other.
 *
 * <pre>{@code
 * Entity e = rpc.call("svc.game.world.v1.put_entity", PutEntityRequest.newBuilder()
 *     .setEntityId("npc-1").setKind("npc").setRegion("eldermoor.north").setExpectedVersion(0).build());
 * }</pre>
 */
public final class WorldStateService implements NatsService {

  static final String NAME = "world_state";
  static final Format KIND = Format.of("[a-z0-9_]{1,64}", "1-64 chars of [a-z0-9_]");
  static final int DEFAULT_PAGE_SIZE = 50;
  static final int MAX_PAGE_SIZE = 100;

  private final ServiceContext ctx;
  private final WorldStore store;
  private final ServiceEvents events;
  private final ChangeSignal signal;

  public WorldStateService(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.store = new WorldStore(ctx);
    this.events = new ServiceEvents(ctx, NAME);
    this.signal = new ChangeSignal(ctx.redis().sync(), store.seqKey(), Duration.ofMillis(25));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.<PutEntityRequest, Entity>unary("put_entity", (q, call) -> putEntity(q))
        .<GetEntityRequest, Entity>unary("get_entity", (q, call) -> getEntity(q))
        .<QueryRegionRequest, QueryRegionResponse>unary("query_region", (q, call) -> queryRegion(q))
        .<DeleteEntityRequest, Entity>unary("delete_entity", (q, call) -> deleteEntity(q))
        .<WatchRegionRequest, WatchRegionResponse>stream("watch_region", this::watchRegion);
  }

  Entity putEntity(PutEntityRequest request) {
    Checks.format("entity_id", request.getEntityId(), Checks.ID_128);
    Checks.format("kind", request.getKind(), KIND);
    Checks.format("region", request.getRegion(), Checks.ID_128);
    Vector3 position = request.getPosition();
    Checks.finite("position.x", position.getX());
    Checks.finite("position.y", position.getY());
    Checks.finite("position.z", position.getZ());
    Checks.attributes("attributes", request.getAttributesMap());
    Entity body = Entity.newBuilder()
        .setEntityId(request.getEntityId())
        .setKind(request.getKind())
        .setRegion(request.getRegion())
        .setPosition(position)
        .putAllAttributes(request.getAttributesMap())
        .build();
    Optional<Long> expected = request.hasExpectedVersion() ? Optional.of(request.getExpectedVersion()) : Optional.empty();
    WorldStore.Write write = store.put(body, expected, ctx.clock().millis());
    if (write.status() == WorldStore.CONFLICT) {
      throw versionMismatch(request.getEntityId(), write.currentVersion(), request.getExpectedVersion());
    }
    return announce(write).getEntity();
  }

  Entity getEntity(GetEntityRequest request) {
    String id = Checks.required("entity_id", request.getEntityId());
    return store.get(id).orElseThrow(() -> notFound(id));
  }

  QueryRegionResponse queryRegion(QueryRegionRequest request) {
    String region = Checks.required("region", request.getRegion());
    int size = PageCursor.size(request.getPage(), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    Set<String> kinds = new TreeSet<>(request.getKindsList());
    PageCursor cursor = new PageCursor("world_state.query_region", region, String.join(",", kinds));
    Optional<String> position = cursor.position(request.getPage());
    RegionView view = new RegionView(region, kinds);
    List<Entity> page = new ArrayList<>(size);
    boolean more = false;
    scan:
    while (true) {
      List<String> ids = store.regionIds(region, position, 200);
      if (ids.isEmpty()) {
        break;
      }
      for (WorldStore.Stored s : store.fetch(ids)) {
        // An entity that moved away between the index read and the fetch is not in the region.
        if (!s.entity().getRegion().equals(region) || !view.admitsKind(s.entity().getKind())) {
          continue;
        }
        if (page.size() == size) {
          more = true;
          break scan;
        }
        page.add(s.entity());
      }
      position = Optional.of(ids.get(ids.size() - 1));
    }
    PageResponse.Builder next = PageResponse.newBuilder();
    if (more) {
      next.setNextPageToken(cursor.token(page.get(page.size() - 1).getEntityId()));
    }
    return QueryRegionResponse.newBuilder().addAllEntities(page).setPage(next).build();
  }

  Entity deleteEntity(DeleteEntityRequest request) {
    String id = Checks.required("entity_id", request.getEntityId());
    Optional<Long> expected = request.hasExpectedVersion() ? Optional.of(request.getExpectedVersion()) : Optional.empty();
    WorldStore.Write write = store.delete(id, expected, ctx.clock().millis());
    if (write.status() == WorldStore.MISSING) {
      throw notFound(id);
    }
    if (write.status() == WorldStore.CONFLICT) {
      throw versionMismatch(id, write.currentVersion(), request.getExpectedVersion());
    }
    return announce(write).getEntity();
  }

  void watchRegion(WatchRegionRequest request, CallContext call, StreamSink<WatchRegionResponse> sink)
      throws InterruptedException {
    String region = Checks.required("region", request.getRegion());
    for (int i = 0; i < request.getKindsCount(); i++) {
      Checks.required("kinds[" + i + "]", request.getKinds(i));
    }
    Duration heartbeat = StreamTiming.heartbeat("heartbeat_interval_ms", request.getHeartbeatIntervalMs());
    RegionView view = new RegionView(region, Set.copyOf(request.getKindsList()));
    new RegionWatch(store, signal, view, request.getIncludeSnapshot(), heartbeat).run(call, sink);
  }

  /** Publishes the change of a successful write and wakes this host's watches. */
  private EntityChange announce(WorldStore.Write write) {
    EntityChange change = write.change().orElseThrow();
    signal.advanceTo(change.getSequence());
    events.publish("entity_changed", change, "entity_changed:" + change.getSequence());
    return change;
  }

  private static RpcException versionMismatch(String id, long current, long expected) {
    return RpcException.aborted(current == 0
        ? "entity " + id + " does not exist, expected version " + expected
        : expected == 0
            ? "entity " + id + " already exists (version " + current + "), expected none"
            : "entity " + id + " is at version " + current + ", expected " + expected);
  }

  private static RpcException notFound(String id) {
    return RpcException.notFound("entity " + id + " not found");
  }
}
