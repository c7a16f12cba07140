package io.natsharness.services.util.state;

import static io.natsharness.services.util.kit.Calls.assertError;
import static io.natsharness.services.util.kit.Calls.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import io.nats.client.JetStreamManagement;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
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
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.util.kit.Calls;
import io.natsharness.services.util.kit.Hashes;
import io.natsharness.services.util.kit.Hosted;
import io.natsharness.services.util.kit.StoredEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("state_manager")
class StateManagerServiceTest {

  static Hosted hosted;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    hosted = Hosted.start(info, "state_manager");
  }

  @AfterAll
  static void stop() {
    if (hosted != null) {
      hosted.close();
    }
  }

  static String player() {
    return "p-" + UUID.randomUUID();
  }

  static Calls calls(RpcClient client) {
    return new Calls(client, "svc.util.state.v1");
  }

  static SaveRequest save(String player, String slot, String payload) {
    return SaveRequest.newBuilder().setPlayerId(player).setSlot(slot)
        .setPayload(ByteString.copyFromUtf8(payload)).build();
  }

  static Slot load(Calls calls, String player, String slot) {
    return calls.call("load", LoadRequest.newBuilder().setPlayerId(player).setSlot(slot).build());
  }

  @Nested
  @DisplayName("save and load")
  class SaveAndLoad {

    @Test
    @DisplayName("stores the payload with its SHA-256 and answers it back on load")
    void roundTrip(RpcClient client) {
      Calls calls = calls(client);
      String player = player();
      SlotInfo info = calls.call("save", save(player, "autosave", "level=3;hp=40").toBuilder().setLabel("Chapter 3")
          .putMetadata("level", "3").build());
      byte[] payload = "level=3;hp=40".getBytes(StandardCharsets.UTF_8);
      assertThat(info.getChecksum()).isEqualTo(Hashes.sha256Hex(payload));
      assertThat(info.getSizeBytes()).isEqualTo(payload.length);
      assertThat(info.getMeta().getVersion()).isEqualTo(1);
      Slot slot = load(calls, player, "autosave");
      assertThat(slot.getPayload().toByteArray()).isEqualTo(payload);
      assertThat(slot.getInfo()).isEqualTo(info);
    }

    @Test
    @DisplayName("takes a payload of exactly 512 KiB and refuses one byte more")
    void sizeLimit(RpcClient client) {
      Calls calls = calls(client);
      String player = player();
      SlotInfo info = calls.call("save", SaveRequest.newBuilder().setPlayerId(player).setSlot("big")
          .setPayload(ByteString.copyFrom(new byte[524_288])).build());
      assertThat(info.getSizeBytes()).isEqualTo(524_288);
      assertThat(load(calls, player, "big").getPayload().size()).isEqualTo(524_288);
      assertInvalid(() -> calls.call("save", SaveRequest.newBuilder().setPlayerId(player).setSlot("big")
          .setPayload(ByteString.copyFrom(new byte[524_289])).build()), "payload",
          "payload: must be at most 524288 bytes, has 524289");
    }

    @Test
    @DisplayName("a payload that no longer matches its checksum is DATA_LOSS")
    void corruption(RpcClient client) {
      Calls calls = calls(client);
      String player = player();
      calls.call("save", save(player, "slot-1", "gold=100"));
      hosted.redis().hset(hosted.prefix() + "state_manager:slot:" + player + ":slot-1", "payload",
          Base64.getEncoder().encodeToString("gold=999".getBytes(StandardCharsets.UTF_8)));
      assertError(() -> load(calls, player, "slot-1"), Code.DATA_LOSS,
          "slot slot-1 of player " + player + " is corrupt: its payload does not match its checksum");
    }

    @Test
    @DisplayName("an unknown slot is NOT_FOUND")
    void unknown(RpcClient client) {
      String player = player();
      assertError(() -> load(calls(client), player, "nope"), Code.NOT_FOUND,
          "slot nope of player " + player + " does not exist");
    }

    @Test
    @DisplayName("refuses malformed ids, an empty payload, a long label and oversized metadata")
    void validates(RpcClient client) {
      Calls calls = calls(client);
      String player = player();
      assertInvalid(() -> calls.call("save", save("bad id", "s", "x")), "player_id",
          "player_id: must match [A-Za-z0-9._:-]{1,128}");
      assertInvalid(() -> calls.call("save", save(player, "Slot!", "x")), "slot", "slot: must match [a-z0-9_-]{1,64}");
      assertInvalid(() -> calls.call("save", save(player, "s", "")), "payload", "payload: must not be empty");
      assertInvalid(() -> calls.call("save", save(player, "s", "x").toBuilder().setLabel("l".repeat(101)).build()),
          "label", "label: must be at most 100 characters");
      SaveRequest.Builder many = save(player, "s", "x").toBuilder();
      for (int i = 0; i < 17; i++) {
        many.putMetadata("k" + i, "v");
      }
      assertInvalid(() -> calls.call("save", many.build()), "metadata", "metadata: must have at most 16 entries");
      assertInvalid(() -> calls.call("save", save(player, "s", "x").toBuilder().putMetadata("k".repeat(65), "v")
          .build()), "metadata", "metadata: key 'kkkkkkkkkkkkkkkkkkkk...' is over 64 characters");
      assertInvalid(() -> calls.call("save", save(player, "s", "x").toBuilder().putMetadata("k", "v".repeat(257))
          .build()), "metadata[k]", "metadata[k]: must be at most 256 characters");
      assertInvalid(() -> calls.call("load", LoadRequest.newBuilder().setPlayerId(player).build()), "slot",
          "slot: must match [a-z0-9_-]{1,64}");
    }
  }

  @Nested
  @DisplayName("versions")
  class Versions {

    @Test
    @DisplayName("grow by one per save; a matching expected_version writes, another is ABORTED")
    void compareAndSet(RpcClient client) {
      Calls calls = calls(client);
      String player = player();
      calls.call("save", save(player, "s", "a"));
      calls.call("save", save(player, "s", "b"));
      SlotInfo third = calls.call("save", save(player, "s", "c").toBuilder().setExpectedVersion(2).build());
      assertThat(third.getMeta().getVersion()).isEqualTo(3);
      assertError(() -> calls.call("save", save(player, "s", "d").toBuilder().setExpectedVersion(2).build()),
          Code.ABORTED, "slot s of player " + player + " is at version 3, expected 2");
      assertError(() -> calls.call("save", save(player, "other", "d").toBuilder().setExpectedVersion(1).build()),
          Code.ABORTED, "slot other of player " + player + " does not exist, expected version 1");
      assertThat(load(calls, player, "s").getPayload().toStringUtf8()).isEqualTo("c");
    }

    @Test
    @DisplayName("delete is compare-and-set too, and a save after it starts again at 1")
    void deleteThenSave(RpcClient client) {
      Calls calls = calls(client);
      String player = player();
      calls.call("save", save(player, "s", "a"));
      calls.call("save", save(player, "s", "b"));
      assertError(() -> calls.call("delete_slot", DeleteSlotRequest.newBuilder().setPlayerId(player).setSlot("s")
          .setExpectedVersion(1).build()), Code.ABORTED, "slot s of player " + player + " is at version 2, expected 1");
      DeleteSlotResponse deleted = calls.call("delete_slot", DeleteSlotRequest.newBuilder().setPlayerId(player)
          .setSlot("s").setExpectedVersion(2).build());
      assertThat(deleted.getVersion()).isEqualTo(2);
      assertError(() -> calls.call("delete_slot", DeleteSlotRequest.newBuilder().setPlayerId(player).setSlot("s")
          .build()), Code.NOT_FOUND, "slot s of player " + player + " does not exist");
      SlotInfo again = calls.call("save", save(player, "s", "c"));
      assertThat(again.getMeta().getVersion()).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("list_slots")
  class ListSlots {

    @Test
    @DisplayName("lists a player's slots in byte order, without payloads; none for a new player")
    void lists(RpcClient client) {
      Calls calls = calls(client);
      String player = player();
      for (String slot : new String[] {"slot-2", "autosave", "slot-10"}) {
        calls.call("save", save(player, slot, slot));
      }
      ListSlotsResponse list = calls.call("list_slots", ListSlotsRequest.newBuilder().setPlayerId(player).build());
      assertThat(list.getSlotsList()).extracting(SlotInfo::getSlot).containsExactly("autosave", "slot-10", "slot-2");
      ListSlotsResponse none = calls.call("list_slots", ListSlotsRequest.newBuilder().setPlayerId(player()).build());
      assertThat(none.getSlotsList()).isEmpty();
      assertInvalid(() -> calls.call("list_slots", ListSlotsRequest.getDefaultInstance()), "player_id",
          "player_id: must match [A-Za-z0-9._:-]{1,128}");
    }

    @Test
    @DisplayName("a 33rd slot is RESOURCE_EXHAUSTED, overwriting one of 32 is not")
    void atMost32(RpcClient client) {
      Calls calls = calls(client);
      String player = player();
      for (int i = 0; i < 32; i++) {
        calls.call("save", save(player, "s" + i, "x"));
      }
      assertError(() -> calls.call("save", save(player, "s32", "x")), Code.RESOURCE_EXHAUSTED,
          "player " + player + " already has 32 slots; delete one before saving a new one");
      SlotInfo overwritten = calls.call("save", save(player, "s7", "y"));
      assertThat(overwritten.getMeta().getVersion()).isEqualTo(2);
      calls.call("delete_slot", DeleteSlotRequest.newBuilder().setPlayerId(player).setSlot("s0").build());
      calls.call("save", save(player, "s32", "x"));
      ListSlotsResponse list = calls.call("list_slots", ListSlotsRequest.newBuilder().setPlayerId(player).build());
      assertThat(list.getSlotsCount()).isEqualTo(32);
    }
  }

  @Nested
  @DisplayName("events and restarts")
  class EventsAndRestarts {

    @Test
    @DisplayName("one slot_saved per save and one slot_deleted per delete, distinct across a re-save")
    void events(RpcClient client, JetStreamManagement jsm) {
      Calls calls = calls(client);
      String player = player();
      calls.call("save", save(player, "s", "a"));
      calls.call("delete_slot", DeleteSlotRequest.newBuilder().setPlayerId(player).setSlot("s").build());
      calls.call("save", save(player, "s", "b"));
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
          StoredEvents.payloads(jsm, "EVT_UTIL", "evt.util.state.v1.slot_saved", SlotSaved.parser()))
          .filteredOn(e -> e.getPlayerId().equals(player)).extracting(SlotSaved::getVersion).containsExactly(1L, 1L));
      assertThat(StoredEvents.ids(jsm, "EVT_UTIL", "evt.util.state.v1.slot_saved"))
          .contains(hosted.prefix() + "slot:" + player + "/s:1", hosted.prefix() + "slot:" + player + "/s:3");
      assertThat(StoredEvents.payloads(jsm, "EVT_UTIL", "evt.util.state.v1.slot_deleted", SlotDeleted.parser()))
          .filteredOn(e -> e.getPlayerId().equals(player)).hasSize(1);
    }

    @Test
    @DisplayName("a new host on the same Redis loads what the old one saved")
    void survivesRestart(RpcClient client) {
      Calls calls = calls(client);
      String player = player();
      calls.call("save", save(player, "s", "kept"));
      hosted.restart();
      assertThat(load(calls, player, "s").getPayload().toStringUtf8()).isEqualTo("kept");
    }
  }
}
