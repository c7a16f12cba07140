package io.natsharness.services.game.npc;

import com.google.protobuf.Timestamp;
import io.lettuce.core.api.sync.RedisCommands;
import io.natsharness.proto.common.v1.RecordMeta;
import io.natsharness.proto.game.npc.v1.DecideRequest;
import io.natsharness.proto.game.npc.v1.DecideResponse;
import io.natsharness.proto.game.npc.v1.GetProfileRequest;
import io.natsharness.proto.game.npc.v1.NpcProfile;
import io.natsharness.proto.game.npc.v1.Perception;
import io.natsharness.proto.game.npc.v1.ProfileUpdated;
import io.natsharness.proto.game.npc.v1.SetProfileRequest;
import io.natsharness.proto.game.npc.v1.Traits;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.game.kit.Cas;
import io.natsharness.services.game.kit.Checks;
import io.natsharness.services.game.kit.ProtoValues;
import io.natsharness.services.game.kit.ServiceEvents;
import io.natsharness.services.support.ServiceContext;
import java.util.Objects;
import java.util.Optional;

/**
 * The reference {@code npc_behavior} service: NPC profiles (compare-and-set on
 * {@code expected_version}) and the deterministic utility-based decision of {@link UtilityModel}.
 *
 * <pre>{@code
 * DecideResponse d = rpc.call("svc.game.npc.v1.decide", DecideRequest.newBuilder()
 *     .setNpcId("guard-7").setPerception(Perception.newBuilder().setHealth(1).setThreat(0.8)).build());
 * }</pre>
 */
public final class NpcBehaviorService implements NatsService {

  static final String NAME = "npc_behavior";
  static final int MAX_DISPLAY_NAME = 100;

  private final ServiceContext ctx;
  private final RedisCommands<String, String> redis;
  private final ServiceEvents events;

  public NpcBehaviorService(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.redis = ctx.redis().sync();
    this.events = new ServiceEvents(ctx, NAME);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.<SetProfileRequest, NpcProfile>unary("set_profile", (q, call) -> setProfile(q))
        .<GetProfileRequest, NpcProfile>unary("get_profile", (q, call) -> getProfile(q))
        .<DecideRequest, DecideResponse>unary("decide", (q, call) -> decide(q));
  }

  NpcProfile setProfile(SetProfileRequest request) {
    String npcId = Checks.format("npc_id", request.getNpcId(), Checks.ID_128);
    Checks.maxLength("display_name", request.getDisplayName(), MAX_DISPLAY_NAME);
    checkTraits(request.getTraits());
    for (int attempt = 0; attempt < Cas.MAX_ATTEMPTS; attempt++) {
      Optional<String> raw = Optional.ofNullable(redis.get(key(npcId)));
      Optional<NpcProfile> current = raw.map(NpcBehaviorService::decode);
      long version = current.map(p -> p.getMeta().getVersion()).orElse(0L);
      if (request.hasExpectedVersion() && request.getExpectedVersion() != version) {
        throw RpcException.aborted(current.isEmpty()
            ? "npc " + npcId + " has no profile, expected version " + request.getExpectedVersion()
            : "the profile of npc " + npcId + " is at version " + version
                + ", expected " + request.getExpectedVersion());
      }
      Timestamp now = ProtoValues.timestamp(ctx.clock().instant());
      NpcProfile profile = NpcProfile.newBuilder()
          .setNpcId(npcId)
          .setDisplayName(request.getDisplayName())
          .setTraits(request.getTraits())
          .setMeta(RecordMeta.newBuilder()
              .setCreatedAt(current.map(p -> p.getMeta().getCreatedAt()).orElse(now))
              .setUpdatedAt(now)
              .setVersion(version + 1))
          .build();
      if (Cas.replace(redis, key(npcId), raw, ProtoValues.encode(profile))) {
        events.publish("profile_updated", ProfileUpdated.newBuilder().setProfile(profile).build(),
            "profile_updated:" + npcId + ":" + profile.getMeta().getVersion());
        return profile;
      }
    }
    throw RpcException.aborted("the profile of npc " + npcId + " is being changed concurrently; retry");
  }

  NpcProfile getProfile(GetProfileRequest request) {
    return find(Checks.required("npc_id", request.getNpcId()));
  }

  DecideResponse decide(DecideRequest request) {
    String npcId = Checks.required("npc_id", request.getNpcId());
    Perception p = request.getPerception();
    Checks.range("perception.health", p.getHealth(), 0, 1);
    Checks.range("perception.threat", p.getThreat(), 0, 1);
    Checks.atLeast("perception.hostiles_nearby", p.getHostilesNearby(), 0);
    Checks.atLeast("perception.players_nearby", p.getPlayersNearby(), 0);
    Checks.range("perception.player_disposition", p.getPlayerDisposition(), -1, 1);
    return UtilityModel.decide(find(npcId), p);
  }

  private NpcProfile find(String npcId) {
    String raw = redis.get(key(npcId));
    if (raw == null) {
      throw RpcException.notFound("npc " + npcId + " has no profile");
    }
    return decode(raw);
  }

  private static void checkTraits(Traits t) {
    Checks.range("traits.aggression", t.getAggression(), 0, 1);
    Checks.range("traits.courage", t.getCourage(), 0, 1);
    Checks.range("traits.sociability", t.getSociability(), 0, 1);
    Checks.range("traits.greed", t.getGreed(), 0, 1);
    Checks.range("traits.diligence", t.getDiligence(), 0, 1);
  }

  private static NpcProfile decode(String raw) {
    return ProtoValues.decode(NpcProfile.parser(), raw);
  }

  private String key(String npcId) {
    return ctx.key(NAME, "npc", npcId);
  }
}
