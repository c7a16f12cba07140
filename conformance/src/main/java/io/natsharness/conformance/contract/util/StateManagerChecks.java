package io.natsharness.conformance.contract.util;

import static io.natsharness.conformance.contract.kit.Bad.bad;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.util.state.v1.DeleteSlotRequest;
import io.natsharness.proto.util.state.v1.DeleteSlotResponse;
import io.natsharness.proto.util.state.v1.ListSlotsRequest;
import io.natsharness.proto.util.state.v1.ListSlotsResponse;
import io.natsharness.proto.util.state.v1.LoadRequest;
import io.natsharness.proto.util.state.v1.SaveRequest;
import io.natsharness.proto.util.state.v1.Slot;
import io.natsharness.proto.util.state.v1.SlotDeleted;
import io.natsharness.proto.util.state.v1.SlotInfo;
import io.natsharness.proto.util.state.v1.SlotSaved;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract checks of state_manager (util/state/v1/state_manager.proto): save slots with a
 * SHA-256 checksum, the 512 KiB limit, 32 slots per player, compare-and-set, ordered listing,
 * deletes, and slot_saved / slot_deleted. DATA_LOSS of load needs a stored payload that no longer
 * matches its checksum, which only a write behind the service's back can make: no wire check can
 * provoke it, so the checks hold load to the checksum it answers instead.
 *
 * <pre>{@code
 * List<Check> checks = StateManagerChecks.checks();   // contract.state_manager.*
 * }</pre>
 */
public final class StateManagerChecks {

  static final String SERVICE = "state_manager";
  static final int MAX_PAYLOAD = 524_288;

  private StateManagerChecks() {}

  public static List<Check> checks() {
    return ContractChecks.forService(SERVICE)
        .behaviour("save", "checksum_and_versions",
            "save stores the payload with its SHA-256, size, label and metadata, with meta.version 1, 2, ...",
            StateManagerChecks::saves)
        .behaviour("save", "largest_payload",
            "a payload of exactly 524288 bytes is saved and loads back whole.",
            StateManagerChecks::largest)
        .error("save", "invalid_argument", Code.INVALID_ARGUMENT,
            "a malformed player_id or slot, an empty or oversized payload, a long label or too much metadata is INVALID_ARGUMENT.",
            StateManagerChecks::saveInvalid)
        .error("save", "compare_and_set", Code.ABORTED,
            "save with a stale expected_version, or one for a slot that does not exist, is ABORTED and changes nothing.",
            StateManagerChecks::saveCas)
        .error("save", "slot_limit", Code.RESOURCE_EXHAUSTED,
            "a player's 33rd slot is RESOURCE_EXHAUSTED while overwriting one of the 32 still works.",
            StateManagerChecks::slotLimit)
        .error("save", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "save past its deadline is DEADLINE_EXCEEDED and stores nothing.",
            StateManagerChecks::saveExpired)
        .behaviour("save", "slot_saved_event",
            "save publishes one slot_saved event with the version, size and checksum.",
            StateManagerChecks::savedEvent)
        .behaviour("load", "payload_matches_checksum",
            "load answers the saved payload and a checksum that is its SHA-256.",
            StateManagerChecks::loads)
        .error("load", "invalid_argument", Code.INVALID_ARGUMENT,
            "load with a malformed player_id or slot is INVALID_ARGUMENT.",
            ctx -> Rpc.of(ctx, SERVICE).failsOnEach("load", List.of(
                bad("empty player_id", "player_id", LoadRequest.newBuilder().setSlot("a").build()),
                bad("player_id with a space", "player_id", LoadRequest.newBuilder().setPlayerId("a b").setSlot("a").build()),
                bad("upper-case slot", "slot", LoadRequest.newBuilder().setPlayerId("p").setSlot("Auto").build()),
                bad("slot of 65 characters", "slot", LoadRequest.newBuilder().setPlayerId("p").setSlot("s".repeat(65)).build()))))
        .error("load", "not_found", Code.NOT_FOUND,
            "load of a slot never saved is NOT_FOUND.",
            ctx -> Rpc.of(ctx, SERVICE).fails("load", LoadRequest.newBuilder().setPlayerId(ctx.unique("player"))
                .setSlot("autosave").build(), Code.NOT_FOUND))
        .behaviour("list_slots", "ordered_without_payloads",
            "list_slots answers the player's slots in byte order of their names, and an empty list for a player without any.",
            StateManagerChecks::lists)
        .error("list_slots", "invalid_argument", Code.INVALID_ARGUMENT,
            "list_slots with a malformed player_id is INVALID_ARGUMENT.",
            ctx -> Rpc.of(ctx, SERVICE).failsOnEach("list_slots", List.of(
                bad("empty player_id", "player_id", ListSlotsRequest.getDefaultInstance()),
                bad("player_id of 129 characters", "player_id", ListSlotsRequest.newBuilder()
                    .setPlayerId("p".repeat(129)).build()))))
        .behaviour("delete_slot", "removes",
            "delete_slot removes the slot from load and list_slots, and a later save starts again at version 1.",
            StateManagerChecks::deletes)
        .error("delete_slot", "not_found", Code.NOT_FOUND,
            "deleting a slot that does not exist, or twice, is NOT_FOUND.",
            StateManagerChecks::deleteNotFound)
        .error("delete_slot", "compare_and_set", Code.ABORTED,
            "delete_slot with a stale expected_version is ABORTED and the slot stays.",
            StateManagerChecks::deleteCas)
        .error("delete_slot", "invalid_argument", Code.INVALID_ARGUMENT,
            "delete_slot with a malformed player_id or slot is INVALID_ARGUMENT.",
            ctx -> Rpc.of(ctx, SERVICE).failsOnEach("delete_slot", List.of(
                bad("empty player_id", "player_id", DeleteSlotRequest.newBuilder().setSlot("a").build()),
                bad("slot with a slash", "slot", DeleteSlotRequest.newBuilder().setPlayerId("p").setSlot("a/b").build()))))
        .error("delete_slot", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "delete_slot past its deadline is DEADLINE_EXCEEDED and the slot stays.",
            ctx -> {
              Rpc wire = Rpc.of(ctx, SERVICE);
              String player = ctx.unique("player");
              wire.ok("save", save(player, "kept", bytes("k"), 0));
              wire.call("delete_slot").expiredDeadline().fails(DeleteSlotRequest.newBuilder().setPlayerId(player)
                  .setSlot("kept").build(), Code.DEADLINE_EXCEEDED);
              assertThat(load(wire, player, "kept").getPayload().toStringUtf8()).isEqualTo("k");
            })
        .behaviour("delete_slot", "slot_deleted_event",
            "delete_slot publishes one slot_deleted event with the deleted version.",
            StateManagerChecks::deletedEvent)
        .build();
  }

  private static SaveRequest save(String player, String slot, byte[] payload, long expected) {
    return SaveRequest.newBuilder().setPlayerId(player).setSlot(slot).setPayload(ByteString.copyFrom(payload))
        .setExpectedVersion(expected).build();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Slot load(Rpc wire, String player, String slot) {
    return wire.ok("load", LoadRequest.newBuilder().setPlayerId(player).setSlot(slot).build());
  }

  private static void saves(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String player = ctx.unique("Player.One:");
    byte[] payload = bytes("level=3;hp=42");
    SlotInfo first = wire.ok("save", save(player, "slot-1", payload, 0).toBuilder().setLabel("Before the bridge")
        .putMetadata("level", "3").build());
    assertThat(first.getPlayerId()).isEqualTo(player);
    assertThat(first.getSlot()).isEqualTo("slot-1");
    assertThat(first.getSizeBytes()).isEqualTo(payload.length);
    assertThat(first.getChecksum()).as("checksum = lower-case hex SHA-256 of the payload")
        .isEqualTo(Names.sha256Hex(payload));
    assertThat(first.getLabel()).isEqualTo("Before the bridge");
    assertThat(first.getMetadataMap()).containsExactly(Map.entry("level", "3"));
    assertThat(first.getMeta().getVersion()).isEqualTo(1);
    byte[] next = bytes("level=4");
    SlotInfo second = wire.ok("save", save(player, "slot-1", next, 0));
    assertThat(second.getMeta().getVersion()).as("meta.version of the overwrite").isEqualTo(2);
    Slot loaded = load(wire, player, "slot-1");
    assertThat(loaded.getPayload().toByteArray()).isEqualTo(next);
    assertThat(loaded.getInfo().getChecksum()).isEqualTo(Names.sha256Hex(next));
  }

  private static void largest(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String player = ctx.unique("player");
    byte[] payload = new byte[MAX_PAYLOAD];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31 + 7);
    }
    SlotInfo saved = wire.ok("save", save(player, "big", payload, 0));
    assertThat(saved.getSizeBytes()).isEqualTo(MAX_PAYLOAD);
    Slot loaded = load(wire, player, "big");
    assertThat(loaded.getPayload().toByteArray()).as("the 512 KiB payload loaded back").isEqualTo(payload);
  }

  private static void saveInvalid(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String player = ctx.unique("player");
    Map<String, String> seventeen = new HashMap<>();
    for (int i = 0; i < 17; i++) {
      seventeen.put("k" + i, "v");
    }
    byte[] one = {1};
    wire.failsOnEach("save", List.of(
        bad("empty player_id", "player_id", save("", "a", one, 0)),
        bad("player_id with a slash", "player_id", save("a/b", "a", one, 0)),
        bad("empty slot", "slot", save(player, "", one, 0)),
        bad("upper-case slot", "slot", save(player, "Auto", one, 0)),
        bad("empty payload", "payload", save(player, "a", new byte[0], 0)),
        bad("payload of 524289 bytes", "payload", save(player, "a", new byte[MAX_PAYLOAD + 1], 0)),
        bad("label of 101 characters", "label", save(player, "a", one, 0).toBuilder().setLabel("l".repeat(101)).build()),
        bad("17 metadata entries", "metadata", save(player, "a", one, 0).toBuilder().putAllMetadata(seventeen).build()),
        bad("metadata key of 65 characters", "metadata", save(player, "a", one, 0).toBuilder()
            .putMetadata("k".repeat(65), "v").build()),
        bad("metadata value of 257 characters", "metadata", save(player, "a", one, 0).toBuilder()
            .putMetadata("k", "v".repeat(257)).build())));
    assertThat(wire.<ListSlotsResponse>ok("list_slots", ListSlotsRequest.newBuilder().setPlayerId(player).build())
        .getSlotsList()).as("slots after the refused saves").isEmpty();
  }

  private static void saveCas(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String player = ctx.unique("player");
    wire.fails("save", save(player, "cas", bytes("a"), 1), Code.ABORTED);
    wire.fails("load", LoadRequest.newBuilder().setPlayerId(player).setSlot("cas").build(), Code.NOT_FOUND);
    wire.ok("save", save(player, "cas", bytes("a"), 0));
    wire.ok("save", save(player, "cas", bytes("b"), 1));
    wire.fails("save", save(player, "cas", bytes("stale"), 1), Code.ABORTED);
    Slot now = load(wire, player, "cas");
    assertThat(now.getPayload().toStringUtf8()).as("payload after the stale save").isEqualTo("b");
    assertThat(now.getInfo().getMeta().getVersion()).isEqualTo(2);
    assertThat(wire.<SlotInfo>ok("save", save(player, "cas", bytes("c"), 2)).getMeta().getVersion()).isEqualTo(3);
  }

  private static void slotLimit(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String player = ctx.unique("player");
    for (int i = 0; i < 32; i++) {
      wire.ok("save", save(player, String.format("s%02d", i), bytes("x"), 0));
    }
    wire.fails("save", save(player, "s32", bytes("x"), 0), Code.RESOURCE_EXHAUSTED);
    assertThat(wire.<SlotInfo>ok("save", save(player, "s07", bytes("y"), 0)).getMeta().getVersion())
        .as("overwriting one of the 32 slots").isEqualTo(2);
    assertThat(wire.<ListSlotsResponse>ok("list_slots", ListSlotsRequest.newBuilder().setPlayerId(player).build())
        .getSlotsCount()).isEqualTo(32);
  }

  private static void saveExpired(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String player = ctx.unique("player");
    wire.call("save").expiredDeadline().fails(save(player, "late", bytes("x"), 0), Code.DEADLINE_EXCEEDED);
    wire.fails("load", LoadRequest.newBuilder().setPlayerId(player).setSlot("late").build(), Code.NOT_FOUND);
  }

  private static void savedEvent(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String player = ctx.unique("player");
    try (EventSpy<SlotSaved> spy = EventSpy.on(ctx, SERVICE, "slot_saved")) {
      byte[] payload = bytes("event");
      wire.ok("save", save(player, "ev", payload, 0));
      SlotSaved event = spy.awaitOne(e -> e.getPlayerId().equals(player));
      assertThat(event.getSlot()).isEqualTo("ev");
      assertThat(event.getVersion()).isEqualTo(1);
      assertThat(event.getSizeBytes()).isEqualTo(payload.length);
      assertThat(event.getChecksum()).isEqualTo(Names.sha256Hex(payload));
    }
  }

  private static void loads(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String player = ctx.unique("player");
    byte[] payload = new byte[256];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }
    SlotInfo saved = wire.ok("save", save(player, "bin", payload, 0));
    Slot loaded = load(wire, player, "bin");
    assertThat(loaded.getPayload().toByteArray()).as("every byte value round-trips").isEqualTo(payload);
    assertThat(loaded.getInfo().getChecksum()).isEqualTo(Names.sha256Hex(loaded.getPayload().toByteArray()));
    assertThat(loaded.getInfo().getSizeBytes()).isEqualTo(payload.length);
    assertThat(loaded.getInfo().getMeta().getVersion()).isEqualTo(saved.getMeta().getVersion());
  }

  private static void lists(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String player = ctx.unique("player");
    assertThat(wire.<ListSlotsResponse>ok("list_slots", ListSlotsRequest.newBuilder().setPlayerId(player).build())
        .getSlotsList()).as("slots of a player who never saved").isEmpty();
    for (String slot : List.of("b-2", "a_1", "b", "9", "a")) {
      wire.ok("save", save(player, slot, bytes(slot), 0));
    }
    ListSlotsResponse listed = wire.ok("list_slots", ListSlotsRequest.newBuilder().setPlayerId(player).build());
    assertThat(listed.getSlotsList()).extracting(SlotInfo::getSlot).containsExactly("9", "a", "a_1", "b", "b-2");
    assertThat(listed.getSlotsList()).allSatisfy(s -> {
      assertThat(s.getPlayerId()).isEqualTo(player);
      assertThat(s.getChecksum()).isEqualTo(Names.sha256Hex(bytes(s.getSlot())));
    });
  }

  private static void deletes(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String player = ctx.unique("player");
    wire.ok("save", save(player, "gone", bytes("a"), 0));
    wire.ok("save", save(player, "gone", bytes("b"), 0));
    wire.ok("save", save(player, "kept", bytes("c"), 0));
    DeleteSlotResponse deleted = wire.ok("delete_slot", DeleteSlotRequest.newBuilder().setPlayerId(player)
        .setSlot("gone").setExpectedVersion(2).build());
    assertThat(deleted.getVersion()).as("version of the deleted slot").isEqualTo(2);
    wire.fails("load", LoadRequest.newBuilder().setPlayerId(player).setSlot("gone").build(), Code.NOT_FOUND);
    assertThat(wire.<ListSlotsResponse>ok("list_slots", ListSlotsRequest.newBuilder().setPlayerId(player).build())
        .getSlotsList()).extracting(SlotInfo::getSlot).containsExactly("kept");
    assertThat(wire.<SlotInfo>ok("save", save(player, "gone", bytes("d"), 0)).getMeta().getVersion())
        .as("version of a save after the delete").isEqualTo(1);
  }

  private static void deleteNotFound(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String player = ctx.unique("player");
    DeleteSlotRequest request = DeleteSlotRequest.newBuilder().setPlayerId(player).setSlot("once").build();
    wire.fails("delete_slot", request, Code.NOT_FOUND);
    wire.ok("save", save(player, "once", bytes("a"), 0));
    wire.ok("delete_slot", request);
    wire.fails("delete_slot", request, Code.NOT_FOUND);
  }

  private static void deleteCas(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String player = ctx.unique("player");
    wire.ok("save", save(player, "cas", bytes("a"), 0));
    wire.ok("save", save(player, "cas", bytes("b"), 0));
    wire.fails("delete_slot", DeleteSlotRequest.newBuilder().setPlayerId(player).setSlot("cas").setExpectedVersion(1)
        .build(), Code.ABORTED);
    assertThat(load(wire, player, "cas").getPayload().toStringUtf8()).as("payload after the stale delete")
        .isEqualTo("b");
  }

  private static void deletedEvent(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String player = ctx.unique("player");
    wire.ok("save", save(player, "ev", bytes("a"), 0));
    try (EventSpy<SlotDeleted> spy = EventSpy.on(ctx, SERVICE, "slot_deleted")) {
      wire.ok("delete_slot", DeleteSlotRequest.newBuilder().setPlayerId(player).setSlot("ev").build());
      SlotDeleted event = spy.awaitOne(e -> e.getPlayerId().equals(player));
      assertThat(event.getSlot()).isEqualTo("ev");
      assertThat(event.getVersion()).isEqualTo(1);
    }
  }
}
