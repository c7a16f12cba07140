package io.natsharness.services.util.state;

import com.google.protobuf.ByteString;
import io.lettuce.core.KeyValue;
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
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.ServiceLifecycle;
import io.natsharness.services.support.Validation;
import io.natsharness.services.util.kit.CasRecords;
import io.natsharness.services.util.kit.CasRecords.Write;
import io.natsharness.services.util.kit.EventOutbox;
import io.natsharness.services.util.kit.Hashes;
import io.natsharness.services.util.kit.Records;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * state_manager: save slots per player, each an opaque payload of at most 512 KiB stored with its
 * SHA-256, verified on every load (DATA_LOSS when the stored bytes no longer match), versioned
 * with compare-and-set, at most 32 per player.
 *
 * <p>In Redis a slot is one hash: the SlotInfo (without meta) as {@code body}, the payload as a
 * separate base64 field, and the version fields; the player's slot names sit in a sorted set
 * (all scores 0, so byte order) that the same Lua script updates.
 *
 * <pre>{@code
 * // svc.util.state.v1.save {player_id: "p-1", slot: "autosave", payload: <bytes>, expected_version: 3}
 * //   -> SlotInfo {size_bytes, checksum, meta.version: 4}
 * }</pre>
 */
public final class StateManagerService implements NatsService, ServiceLifecycle {

  static final String SERVICE = "state_manager";
  static final int MAX_PAYLOAD = 524_288;
  static final int MAX_SLOTS = 32;
  private static final Pattern PLAYER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Pattern SLOT = Pattern.compile("[a-z0-9_-]{1,64}");

  private final ServiceContext ctx;
  private final CasRecords records;
  private final EventOutbox events;

  public StateManagerService(ServiceContext ctx) {
    this.ctx = ctx;
    this.records = new CasRecords(ctx.redis());
    this.events = new EventOutbox(ctx, SERVICE);
  }

  @Override
  public String name() {
    return SERVICE;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.unary("save", this::save)
        .unary("load", this::load)
        .unary("list_slots", this::listSlots)
        .unary("delete_slot", this::deleteSlot);
  }

  @Override
  public void start() {
    events.startSweeping();
  }

  @Override
  public void close() {
    events.close();
  }

  SlotInfo save(SaveRequest request, CallContext call) {
    String player = playerId(request.getPlayerId());
    String slot = slot(request.getSlot());
    byte[] payload = request.getPayload().toByteArray();
    Validation.require(payload.length > 0, "payload", "must not be empty");
    Validation.require(payload.length <= MAX_PAYLOAD, "payload",
        "must be at most " + MAX_PAYLOAD + " bytes, has " + payload.length);
    Validation.maxLength(request.getLabel(), 100, "label");
    checkMetadata(request.getMetadataMap());
    SlotInfo body = SlotInfo.newBuilder().setPlayerId(player).setSlot(slot).setSizeBytes(payload.length)
        .setChecksum(Hashes.sha256Hex(payload)).setLabel(request.getLabel())
        .putAllMetadata(request.getMetadataMap()).build();
    CasRecords.Written w = records.put(Write.of(key(player, slot), revisionsKey(), what(player, slot),
            player + "/" + slot)
        .expect(request.getExpectedVersion()).body(Records.encode(body)).at(ctx.clock().millis())
        .index(indexKey(player), slot, MAX_SLOTS, "player " + player + " already has " + MAX_SLOTS
            + " slots; delete one before saving a new one")
        .extra("payload", Base64.getEncoder().encodeToString(payload)));
    SlotInfo saved = body.toBuilder().setMeta(w.meta()).build();
    events.publish("slot_saved", SlotSaved.newBuilder().setPlayerId(player).setSlot(slot).setVersion(w.version())
        .setSizeBytes(payload.length).setChecksum(body.getChecksum()).build(),
        "slot:" + player + "/" + slot + ":" + w.revision());
    return saved;
  }

  Slot load(LoadRequest request, CallContext call) {
    String player = playerId(request.getPlayerId());
    String slot = slot(request.getSlot());
    Map<String, String> hash = ctx.redis().sync().hgetall(key(player, slot));
    if (hash.isEmpty()) {
      throw RpcException.notFound(what(player, slot) + " does not exist");
    }
    SlotInfo info = Records.decode(hash.get("body"), SlotInfo.parser()).toBuilder().setMeta(Records.meta(hash)).build();
    byte[] payload;
    try {
      payload = Base64.getDecoder().decode(hash.getOrDefault("payload", ""));
    } catch (IllegalArgumentException e) {
      throw corrupt(player, slot);
    }
    if (payload.length != info.getSizeBytes() || !Hashes.sha256Hex(payload).equals(info.getChecksum())) {
      throw corrupt(player, slot);
    }
    return Slot.newBuilder().setInfo(info).setPayload(ByteString.copyFrom(payload)).build();
  }

  ListSlotsResponse listSlots(ListSlotsRequest request, CallContext call) {
    String player = playerId(request.getPlayerId());
    ListSlotsResponse.Builder out = ListSlotsResponse.newBuilder();
    List<String> slots = ctx.redis().sync().zrange(indexKey(player), 0, -1);
    for (String slot : slots) {
      Map<String, String> hash = new HashMap<>();
      List<KeyValue<String, String>> values = ctx.redis().sync()
          .hmget(key(player, slot), "body", "version", "created_ms", "updated_ms");
      values.forEach(kv -> kv.ifHasValue(v -> hash.put(kv.getKey(), v)));
      if (hash.size() == 4) { // a slot deleted since the index was read is left out
        out.addSlots(Records.decode(hash.get("body"), SlotInfo.parser()).toBuilder().setMeta(Records.meta(hash)));
      }
    }
    return out.build();
  }

  DeleteSlotResponse deleteSlot(DeleteSlotRequest request, CallContext call) {
    String player = playerId(request.getPlayerId());
    String slot = slot(request.getSlot());
    CasRecords.Deleted d = records.delete(key(player, slot), revisionsKey(), player + "/" + slot,
        request.getExpectedVersion(), what(player, slot), indexKey(player), slot);
    events.publish("slot_deleted", SlotDeleted.newBuilder().setPlayerId(player).setSlot(slot)
        .setVersion(d.version()).build(), "slot:" + player + "/" + slot + ":" + d.revision());
    return DeleteSlotResponse.newBuilder().setPlayerId(player).setSlot(slot).setVersion(d.version()).build();
  }

  private static void checkMetadata(Map<String, String> metadata) {
    Validation.require(metadata.size() <= 16, "metadata", "must have at most 16 entries");
    metadata.forEach((k, v) -> {
      Validation.require(k.length() <= 64, "metadata", "key '" + abbreviate(k) + "' is over 64 characters");
      Validation.require(v.length() <= 256, "metadata[" + k + "]", "must be at most 256 characters");
    });
  }

  private static String abbreviate(String s) {
    return s.length() <= 20 ? s : s.substring(0, 20) + "...";
  }

  private static RpcException corrupt(String player, String slot) {
    return RpcException.dataLoss(what(player, slot) + " is corrupt: its payload does not match its checksum");
  }

  private static String playerId(String playerId) {
    return Validation.matches(playerId, PLAYER_ID, "player_id");
  }

  private static String slot(String slot) {
    return Validation.matches(slot, SLOT, "slot");
  }

  private static String what(String player, String slot) {
    return "slot " + slot + " of player " + player;
  }

  private String key(String player, String slot) {
    return ctx.key(SERVICE, "slot", player, slot);
  }

  private String indexKey(String player) {
    return ctx.key(SERVICE, "slots", player);
  }

  private String revisionsKey() {
    return ctx.key(SERVICE, "revisions");
  }
}
