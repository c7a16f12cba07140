package io.natsharness.conformance.shadow.generate;

import com.google.rpc.Code;
import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.proto.common.v1.Vector3;
import io.natsharness.proto.game.bodybroker.v1.CloseSessionRequest;
import io.natsharness.proto.game.bodybroker.v1.OpenSessionRequest;
import io.natsharness.proto.game.bodybroker.v1.PullCommandsRequest;
import io.natsharness.proto.game.bodybroker.v1.PushStateRequest;
import io.natsharness.proto.game.bodybroker.v1.Session;
import io.natsharness.proto.game.bodybroker.v1.StateSnapshot;
import io.natsharness.proto.game.npc.v1.DecideRequest;
import io.natsharness.proto.game.npc.v1.GetProfileRequest;
import io.natsharness.proto.game.npc.v1.Perception;
import io.natsharness.proto.game.npc.v1.SetProfileRequest;
import io.natsharness.proto.game.npc.v1.Traits;
import io.natsharness.proto.game.quests.v1.AbandonRequest;
import io.natsharness.proto.game.quests.v1.AcceptRequest;
import io.natsharness.proto.game.quests.v1.DefineQuestRequest;
import io.natsharness.proto.game.quests.v1.GetPlayerQuestsRequest;
import io.natsharness.proto.game.quests.v1.Objective;
import io.natsharness.proto.game.quests.v1.ReportProgressRequest;
import io.natsharness.proto.game.world.v1.DeleteEntityRequest;
import io.natsharness.proto.game.world.v1.GetEntityRequest;
import io.natsharness.proto.game.world.v1.PutEntityRequest;
import io.natsharness.proto.game.world.v1.QueryRegionRequest;
import io.natsharness.proto.game.world.v1.WatchRegionRequest;
import java.time.Duration;

/** Recipes of the game domain: quest_system, npc_behavior, world_state, body_broker_integration. */
final class GameRecipes {

  private GameRecipes() {}

  static Vector3 position(Values v) {
    return Vector3.newBuilder().setX(v.decimal(-100, 100)).setY(v.decimal(0, 10)).setZ(v.decimal(-100, 100)).build();
  }

  static DefineQuestRequest quest(Values v, String questId, int objectives) {
    DefineQuestRequest.Builder q = DefineQuestRequest.newBuilder().setQuestId(questId).setTitle(v.title(3))
        .setDescription(v.words(8)).setExperienceReward(v.between(10, 500))
        .setCurrencyReward(UtilRecipes.money("GEM", v.between(1, 50)));
    for (int i = 0; i < objectives; i++) {
      q.addObjectives(Objective.newBuilder().setObjectiveId("obj-" + i).setDescription("Collect " + v.words(1))
          .setTargetCount(v.between(1, 3)));
    }
    return q.build();
  }

  static void questSystem(RecipeContext r) {
    Values v = r.values();
    DefineQuestRequest quest = quest(v, v.id("quest"), 2);
    String player = v.id("player");
    String quitter = v.id("player");
    r.call("define_quest").request(quest);
    r.call("accept").request(AcceptRequest.newBuilder().setPlayerId(player).setQuestId(quest.getQuestId()).build());
    for (Objective o : quest.getObjectivesList()) {
      r.call("report_progress").as("progress_" + o.getObjectiveId()).request(ReportProgressRequest.newBuilder()
          .setPlayerId(player).setQuestId(quest.getQuestId()).setObjectiveId(o.getObjectiveId())
          .setAmount(o.getTargetCount()).build());
    }
    r.call("get_player_quests").request(GetPlayerQuestsRequest.newBuilder().setPlayerId(player).build());
    r.call("accept").as("accept_to_quit").request(AcceptRequest.newBuilder().setPlayerId(quitter)
        .setQuestId(quest.getQuestId()).build());
    r.call("abandon").request(AbandonRequest.newBuilder().setPlayerId(quitter).setQuestId(quest.getQuestId()).build());
    r.call("abandon").as("abandon_twice").expect(Code.FAILED_PRECONDITION)
        .request(AbandonRequest.newBuilder().setPlayerId(quitter).setQuestId(quest.getQuestId()).build());
    r.call("define_quest").as("redefine").expect(Code.ALREADY_EXISTS).request(quest);
  }

  static void npcBehavior(RecipeContext r) {
    Values v = r.values();
    String npc = v.id("npc");
    r.call("set_profile").request(SetProfileRequest.newBuilder().setNpcId(npc).setDisplayName(v.title(2))
        .setTraits(Traits.newBuilder().setAggression(v.decimal(0, 1)).setCourage(v.decimal(0, 1))
            .setSociability(v.decimal(0, 1)).setGreed(v.decimal(0, 1)).setDiligence(v.decimal(0, 1)))
        .setExpectedVersion(0).build());
    r.call("get_profile").request(GetProfileRequest.newBuilder().setNpcId(npc).build());
    for (int i = 0; i < 2; i++) {
      r.call("decide").as("decide_" + i).request(DecideRequest.newBuilder().setNpcId(npc)
          .setPerception(Perception.newBuilder().setHealth(v.decimal(0, 1)).setThreat(v.decimal(0, 1))
              .setHostilesNearby(v.between(0, 3)).setPlayersNearby(v.between(0, 2))
              .setPlayerDisposition(v.decimal(-1, 1))).build());
    }
    r.call("set_profile").as("stale_profile").expect(Code.ABORTED).request(SetProfileRequest.newBuilder()
        .setNpcId(npc).setDisplayName("stale").setExpectedVersion(7).build());
  }

  static void worldState(RecipeContext r) {
    Values v = r.values();
    String region = v.id("region");
    String first = v.id("entity");
    String second = v.id("entity");
    r.call("put_entity").request(PutEntityRequest.newBuilder().setEntityId(first).setKind("npc").setRegion(region)
        .setPosition(position(v)).putAttributes("hp", String.valueOf(v.between(1, 100))).setExpectedVersion(0).build());
    r.call("put_entity").as("put_second").request(PutEntityRequest.newBuilder().setEntityId(second).setKind("item")
        .setRegion(region).setPosition(position(v)).build());
    r.call("put_entity").as("update_first").request(PutEntityRequest.newBuilder().setEntityId(first).setKind("npc")
        .setRegion(region).setPosition(position(v)).putAttributes("hp", "1").setExpectedVersion(1).build());
    r.call("get_entity").request(GetEntityRequest.newBuilder().setEntityId(first).build());
    r.call("query_region").request(QueryRegionRequest.newBuilder().setRegion(region)
        .setPage(PageRequest.newBuilder().setPageSize(10)).build());
    // The watch runs until its deadline; its first message is the snapshot, the rest depends on timing.
    r.call("watch_region").reading(StreamRead.first(1)).timeout(Duration.ofSeconds(3))
        .request(WatchRegionRequest.newBuilder().setRegion(region).setIncludeSnapshot(true)
            .setHeartbeatIntervalMs(60_000).build());
    r.call("delete_entity").request(DeleteEntityRequest.newBuilder().setEntityId(second).build());
    r.call("put_entity").as("stale_put").expect(Code.ABORTED).request(PutEntityRequest.newBuilder()
        .setEntityId(first).setKind("npc").setRegion(region).setExpectedVersion(1).build());
  }

  static void bodyBroker(RecipeContext r) {
    Values v = r.values();
    String region = v.id("zone");
    StateSnapshot snapshot = StateSnapshot.newBuilder().setRegion(region).setPosition(position(v))
        .putAttributes("stance", "crouch").setPayload(v.bytes(64)).build();
    r.call("open_session").as("session").request(OpenSessionRequest.newBuilder().setPlayerId(v.id("player"))
        .setClientId(v.id("device")).setClientVersion("5.3." + v.between(0, 9)).setPlatform("windows").build());
    r.call("push_state").request(b -> PushStateRequest.newBuilder()
        .setSessionId(b.get("session", Session.class).getSessionId()).setSequence(1).setSnapshot(snapshot).build());
    r.call("push_state").as("stale_state").expect(Code.ABORTED).request(b -> PushStateRequest.newBuilder()
        .setSessionId(b.get("session", Session.class).getSessionId()).setSequence(1)
        .setSnapshot(StateSnapshot.newBuilder().setRegion(region)).build());
    // Nothing is queued for a new session: the first message is a heartbeat, after 100 ms.
    r.call("pull_commands").reading(StreamRead.first(1)).timeout(Duration.ofSeconds(3))
        .request(b -> PullCommandsRequest.newBuilder().setSessionId(b.get("session", Session.class).getSessionId())
            .setHeartbeatIntervalMs(100).build());
    r.call("close_session").request(b -> CloseSessionRequest.newBuilder()
        .setSessionId(b.get("session", Session.class).getSessionId()).build());
    r.call("close_session").as("closed_twice").expect(Code.NOT_FOUND).request(b -> CloseSessionRequest.newBuilder()
        .setSessionId(b.get("session", Session.class).getSessionId()).build());
  }
}
