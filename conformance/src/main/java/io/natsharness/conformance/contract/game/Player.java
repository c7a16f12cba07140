package io.natsharness.conformance.contract.game;

import static io.natsharness.conformance.contract.game.QuestSystemChecks.quests;

import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.proto.game.quests.v1.AbandonRequest;
import io.natsharness.proto.game.quests.v1.AcceptRequest;
import io.natsharness.proto.game.quests.v1.DefineQuestRequest;
import io.natsharness.proto.game.quests.v1.GetPlayerQuestsRequest;
import io.natsharness.proto.game.quests.v1.GetPlayerQuestsResponse;
import io.natsharness.proto.game.quests.v1.PlayerQuest;
import io.natsharness.proto.game.quests.v1.QuestState;
import io.natsharness.proto.game.quests.v1.ReportProgressRequest;
import io.natsharness.proto.game.quests.v1.ReportProgressResponse;

/**
 * One player and one quest, set up through quest_system's own methods, with the requests a check
 * sends about them.
 *
 * <pre>{@code
 * Player p = Player.accepted(ctx, 2);     // a new quest with objectives o1 (target 3), o2 (target 4)
 * p.report("o1", 2);
 * PlayerQuest now = p.quest();
 * }</pre>
 */
record Player(CheckContext ctx, String id, DefineQuestRequest definition) {

  /** A new player and a newly defined quest of {@code objectives} objectives, not accepted. */
  static Player defined(CheckContext ctx, int objectives) {
    return new Player(ctx, Names.id(ctx, "p"), QuestSystemChecks.define(ctx, QuestSystemChecks.quest(ctx, objectives)));
  }

  /** As {@link #defined}, then accepted. */
  static Player accepted(CheckContext ctx, int objectives) {
    Player p = defined(ctx, objectives);
    quests(ctx).ok("accept", p.accept());
    return p;
  }

  String questId() {
    return definition.getQuestId();
  }

  AcceptRequest accept() {
    return AcceptRequest.newBuilder().setPlayerId(id).setQuestId(questId()).build();
  }

  AbandonRequest abandon() {
    return AbandonRequest.newBuilder().setPlayerId(id).setQuestId(questId()).build();
  }

  ReportProgressRequest progress(String objective, int amount) {
    return ReportProgressRequest.newBuilder().setPlayerId(id).setQuestId(questId()).setObjectiveId(objective)
        .setAmount(amount).build();
  }

  /** Reports progress with a fresh Idempotency-Key. */
  ReportProgressResponse report(String objective, int amount) {
    return quests(ctx).ok("report_progress", progress(objective, amount));
  }

  /** The player's quest as get_player_quests lists it. */
  PlayerQuest quest() {
    GetPlayerQuestsResponse all = quests(ctx).ok("get_player_quests",
        GetPlayerQuestsRequest.newBuilder().setPlayerId(id).build());
    return all.getQuestsList().stream().filter(q -> q.getQuestId().equals(questId())).findFirst()
        .orElseThrow(() -> new AssertionError("get_player_quests of " + id + " does not list quest " + questId()));
  }

  QuestState state() {
    return quest().getState();
  }
}
