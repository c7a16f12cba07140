package io.natsharness.conformance.contract.game;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Breaker;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.Rpc;
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
import java.util.List;

/**
 * Contract checks of {@code world_state}: entities with compare-and-set writes and deletes, their
 * entity_changed events, and paged region queries. The watch stream has its own class
 * ({@link WorldWatchChecks}).
 *
 * <pre>{@code
 * List<Check> checks = WorldStateChecks.checks();
 * }</pre>
 */
public final class WorldStateChecks {

  static final String SERVICE = "world_state";

  private WorldStateChecks() {}

  public static List<Check> checks() {
    ContractChecks checks = ContractChecks.forService(SERVICE)
        .behaviour("put_entity", "creates_and_replaces", "put_entity creates at meta.version 1 with the fields"
            + " given, a replacement bumps the version, and get_entity returns what was stored",
            WorldStateChecks::createsAndReplaces)
        .error("put_entity", "compare_and_set", Code.ABORTED, "with expected_version, 0 means the entity must not"
            + " exist and n means meta.version n; a mismatch is ABORTED and changes nothing",
            WorldStateChecks::compareAndSet)
        .behaviour("put_entity", "entity_changed_events", "create, move and delete each publish one"
            + " entity_changed event (CREATED, UPDATED with previous_region, DELETED) with growing sequences",
            WorldStateChecks::changedEvents)
        .error("put_entity", "invalid_fields", Code.INVALID_ARGUMENT, "a malformed id, kind or region, a"
            + " non-finite coordinate, more than 64 attributes, a key over 64 or a value over 1024 chars are"
            + " INVALID_ARGUMENT", WorldStateChecks::invalidEntities)
        .error("put_entity", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a put past its deadline"
            + " is DEADLINE_EXCEEDED and stores nothing", ctx -> {
              PutEntityRequest request = entity(ctx, Names.id(ctx, "r"), "npc");
              world(ctx).call("put_entity").expiredDeadline().fails(request, Code.DEADLINE_EXCEEDED);
              world(ctx).fails("get_entity", get(request.getEntityId()), Code.NOT_FOUND);
            })
        .error("get_entity", "empty_id", Code.INVALID_ARGUMENT, "an empty entity_id is INVALID_ARGUMENT",
            ctx -> world(ctx).failsOn("get_entity", get(""), "entity_id"))
        .error("get_entity", "unknown", Code.NOT_FOUND, "an unknown entity is NOT_FOUND",
            ctx -> world(ctx).fails("get_entity", get(Names.id(ctx, "e")), Code.NOT_FOUND))
        .behaviour("query_region", "pages_by_id", "query_region lists a region's entities by entity_id in pages"
            + " with an opaque token, filters by kind, and gives an empty page for an empty region",
            WorldStateChecks::pagesById)
        .error("query_region", "invalid_request", Code.INVALID_ARGUMENT, "an empty region, a page_size outside"
            + " [0, 100] or a foreign page_token is INVALID_ARGUMENT", WorldStateChecks::invalidQueries)
        .behaviour("delete_entity", "deletes", "delete_entity returns the last state; the entity is then"
            + " NOT_FOUND and absent from its region", WorldStateChecks::deletes)
        .error("delete_entity", "compare_and_set", Code.ABORTED, "a delete whose expected_version differs from"
            + " meta.version is ABORTED and keeps the entity", ctx -> {
              Entity stored = world(ctx).ok("put_entity", entity(ctx, Names.id(ctx, "r"), "npc"));
              world(ctx).fails("delete_entity", delete(stored.getEntityId()).toBuilder().setExpectedVersion(2).build(),
                  Code.ABORTED);
              assertThat(world(ctx).<Entity>ok("get_entity", get(stored.getEntityId()))).as("entity after a refused"
                  + " delete").isEqualTo(stored);
              world(ctx).ok("delete_entity", delete(stored.getEntityId()).toBuilder().setExpectedVersion(1).build());
            })
        .error("delete_entity", "unknown_or_deleted", Code.NOT_FOUND, "deleting an unknown or already deleted"
            + " entity is NOT_FOUND", ctx -> {
              Entity stored = world(ctx).ok("put_entity", entity(ctx, Names.id(ctx, "r"), "npc"));
              world(ctx).ok("delete_entity", delete(stored.getEntityId()));
              world(ctx).fails("delete_entity", delete(stored.getEntityId()), Code.NOT_FOUND);
              world(ctx).fails("delete_entity", delete(Names.id(ctx, "e")), Code.NOT_FOUND);
            })
        .error("delete_entity", "empty_id", Code.INVALID_ARGUMENT, "an empty entity_id is INVALID_ARGUMENT",
            ctx -> world(ctx).failsOn("delete_entity", delete(""), "entity_id"))
        .error("delete_entity", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a delete past its"
            + " deadline is DEADLINE_EXCEEDED and keeps the entity", ctx -> {
              Entity stored = world(ctx).ok("put_entity", entity(ctx, Names.id(ctx, "r"), "npc"));
              world(ctx).call("delete_entity").expiredDeadline().fails(delete(stored.getEntityId()),
                  Code.DEADLINE_EXCEEDED);
              assertThat(world(ctx).<Entity>ok("get_entity", get(stored.getEntityId()))).as("entity after an"
                  + " expired delete").isEqualTo(stored);
            });
    WorldWatchChecks.add(checks);
    return checks.build();
  }

  static Rpc world(CheckContext ctx) {
    return Rpc.of(ctx, SERVICE);
  }

  static PutEntityRequest entity(CheckContext ctx, String region, String kind) {
    return PutEntityRequest.newBuilder().setEntityId(Names.id(ctx, "e")).setKind(kind).setRegion(region)
        .setPosition(Vector3.newBuilder().setX(10.5).setY(-3).setZ(0.25)).putAttributes("name", "Old Bram")
        .putAttributes("mood", "wary").build();
  }

  static GetEntityRequest get(String id) {
    return GetEntityRequest.newBuilder().setEntityId(id).build();
  }

  static DeleteEntityRequest delete(String id) {
    return DeleteEntityRequest.newBuilder().setEntityId(id).build();
  }

  private static void createsAndReplaces(CheckContext ctx) {
    PutEntityRequest request = entity(ctx, Names.id(ctx, "r"), "npc");
    Entity created = world(ctx).ok("put_entity", request);
    assertThat(created.getEntityId()).as("entity_id").isEqualTo(request.getEntityId());
    assertThat(created.getKind()).as("kind").isEqualTo("npc");
    assertThat(created.getRegion()).as("region").isEqualTo(request.getRegion());
    assertThat(created.getPosition()).as("position").isEqualTo(request.getPosition());
    assertThat(created.getAttributesMap()).as("attributes").isEqualTo(request.getAttributesMap());
    assertThat(created.getMeta().getVersion()).as("meta.version of a new entity").isEqualTo(1);
    assertThat(world(ctx).<Entity>ok("get_entity", get(request.getEntityId()))).as("get_entity").isEqualTo(created);
    Entity replaced = world(ctx).ok("put_entity", request.toBuilder().clearAttributes().putAttributes("mood", "calm")
        .build());
    assertThat(replaced.getMeta().getVersion()).as("meta.version after a replacement").isEqualTo(2);
    assertThat(replaced.getAttributesMap()).as("attributes after a replacement (the whole entity is replaced)")
        .containsExactlyEntriesOf(java.util.Map.of("mood", "calm"));
  }

  private static void compareAndSet(CheckContext ctx) {
    PutEntityRequest request = entity(ctx, Names.id(ctx, "r"), "npc");
    Entity created = world(ctx).ok("put_entity", request.toBuilder().setExpectedVersion(0).build());
    assertThat(created.getMeta().getVersion()).as("meta.version created with expected_version 0").isEqualTo(1);
    world(ctx).fails("put_entity", request.toBuilder().setExpectedVersion(0).build(), Code.ABORTED);
    Entity second = world(ctx).ok("put_entity", request.toBuilder().putAttributes("mood", "angry")
        .setExpectedVersion(1).build());
    assertThat(second.getMeta().getVersion()).as("meta.version after expected_version 1").isEqualTo(2);
    world(ctx).fails("put_entity", request.toBuilder().putAttributes("mood", "stale").setExpectedVersion(1).build(),
        Code.ABORTED);
    assertThat(world(ctx).<Entity>ok("get_entity", get(request.getEntityId()))).as("entity after refused writes")
        .isEqualTo(second);
  }

  private static void changedEvents(CheckContext ctx) {
    String from = Names.id(ctx, "r");
    String to = Names.id(ctx, "r");
    PutEntityRequest request = entity(ctx, from, "npc");
    try (EventSpy<EntityChange> events = EventSpy.on(ctx, SERVICE, "entity_changed")) {
      Entity created = world(ctx).ok("put_entity", request);
      EntityChange createdEvent = events.awaitOne(e -> e.getEntity().getEntityId().equals(request.getEntityId())
          && e.getChangeType() == ChangeType.CREATED);
      assertThat(createdEvent.getEntity()).as("entity of the CREATED event").isEqualTo(created);
      assertThat(createdEvent.getRegion()).as("region of the CREATED event").isEqualTo(from);
      Entity moved = world(ctx).ok("put_entity", request.toBuilder().setRegion(to).build());
      EntityChange movedEvent = events.awaitOne(e -> e.getEntity().getEntityId().equals(request.getEntityId())
          && e.getChangeType() == ChangeType.UPDATED);
      assertThat(movedEvent.getEntity()).as("entity of the UPDATED event").isEqualTo(moved);
      assertThat(movedEvent.getRegion()).as("region of the move event").isEqualTo(to);
      assertThat(movedEvent.getPreviousRegion()).as("previous_region of the move event").isEqualTo(from);
      world(ctx).ok("delete_entity", delete(request.getEntityId()));
      EntityChange deletedEvent = events.awaitOne(e -> e.getEntity().getEntityId().equals(request.getEntityId())
          && e.getChangeType() == ChangeType.DELETED);
      assertThat(deletedEvent.getEntity()).as("entity of the DELETED event (its last state)").isEqualTo(moved);
      assertThat(List.of(createdEvent.getSequence(), movedEvent.getSequence(), deletedEvent.getSequence()))
          .as("sequences of the three changes").isSorted().doesNotHaveDuplicates();
    }
  }

  private static void invalidEntities(CheckContext ctx) {
    PutEntityRequest valid = entity(ctx, Names.id(ctx, "r"), "npc");
    world(ctx).failsOnEach("put_entity", valid, List.<Breaker<PutEntityRequest.Builder>>of(
        Breaker.of("entity_id", b -> b.setEntityId("")),
        Breaker.of("entity_id", b -> b.setEntityId("id with spaces")),
        Breaker.of("kind", b -> b.setKind("")),
        Breaker.of("kind", b -> b.setKind("NPC")),
        Breaker.of("region", b -> b.setRegion("")),
        Breaker.of("region", b -> b.setRegion("north/south")),
        Breaker.of("position", b -> b.setPosition(Vector3.newBuilder().setX(Double.NaN))),
        Breaker.of("position", b -> b.setPosition(Vector3.newBuilder().setZ(Double.POSITIVE_INFINITY))),
        Breaker.of("attributes", b -> {
          for (int i = 0; i < 63; i++) {
            b.putAttributes("k" + i, "v");
          }
          return b;
        }),
        Breaker.of("attributes", b -> b.putAttributes("k".repeat(65), "v")),
        Breaker.of("attributes", b -> b.putAttributes("long", "v".repeat(1025)))));
    world(ctx).fails("get_entity", get(valid.getEntityId()), Code.NOT_FOUND);
  }

  private static void pagesById(CheckContext ctx) {
    String region = Names.id(ctx, "r");
    String base = Names.id(ctx, "e");
    for (String[] idKind : new String[][] {{"c", "npc"}, {"a", "item"}, {"b", "npc"}}) {
      world(ctx).ok("put_entity", entity(ctx, region, idKind[1]).toBuilder().setEntityId(base + "-" + idKind[0])
          .build());
    }
    QueryRegionRequest first = QueryRegionRequest.newBuilder().setRegion(region)
        .setPage(PageRequest.newBuilder().setPageSize(2)).build();
    QueryRegionResponse page1 = world(ctx).ok("query_region", first);
    assertThat(ids(page1)).as("first page of 2").containsExactly(base + "-a", base + "-b");
    assertThat(page1.getPage().getNextPageToken()).as("next_page_token of the first page").isNotEmpty();
    QueryRegionResponse page2 = world(ctx).ok("query_region", first.toBuilder()
        .setPage(PageRequest.newBuilder().setPageSize(2).setPageToken(page1.getPage().getNextPageToken())).build());
    assertThat(ids(page2)).as("second page").containsExactly(base + "-c");
    assertThat(page2.getPage().getNextPageToken()).as("next_page_token of the last page").isEmpty();
    QueryRegionResponse npcs = world(ctx).ok("query_region", QueryRegionRequest.newBuilder().setRegion(region)
        .addKinds("npc").build());
    assertThat(ids(npcs)).as("entities of kind npc").containsExactly(base + "-b", base + "-c");
    QueryRegionResponse empty = world(ctx).ok("query_region", QueryRegionRequest.newBuilder()
        .setRegion(Names.id(ctx, "empty")).build());
    assertThat(empty.getEntitiesList()).as("entities of an empty region").isEmpty();
    assertThat(empty.getPage().getNextPageToken()).as("next_page_token of an empty region").isEmpty();
  }

  static List<String> ids(QueryRegionResponse response) {
    return response.getEntitiesList().stream().map(Entity::getEntityId).toList();
  }

  private static void invalidQueries(CheckContext ctx) {
    QueryRegionRequest valid = QueryRegionRequest.newBuilder().setRegion(Names.id(ctx, "r")).build();
    world(ctx).failsOnEach("query_region", valid, List.<Breaker<QueryRegionRequest.Builder>>of(
        Breaker.of("region", b -> b.setRegion("")),
        Breaker.of("page", b -> b.setPage(PageRequest.newBuilder().setPageSize(101))),
        Breaker.of("page", b -> b.setPage(PageRequest.newBuilder().setPageSize(-1))),
        Breaker.of("page", b -> b.setPage(PageRequest.newBuilder().setPageToken("forged-" + ctx.unique("t"))))));
  }

  private static void deletes(CheckContext ctx) {
    String region = Names.id(ctx, "r");
    Entity stored = world(ctx).ok("put_entity", entity(ctx, region, "item"));
    Entity deleted = world(ctx).ok("delete_entity", delete(stored.getEntityId()));
    assertThat(deleted).as("answer of delete_entity (the last state)").isEqualTo(stored);
    world(ctx).fails("get_entity", get(stored.getEntityId()), Code.NOT_FOUND);
    assertThat(ids(world(ctx).ok("query_region", QueryRegionRequest.newBuilder().setRegion(region).build())))
        .as("entities of the region after the delete").isEmpty();
  }
}
