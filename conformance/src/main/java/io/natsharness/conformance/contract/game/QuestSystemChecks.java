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
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.game.quests.v1.AbandonRequest;
import io.natsharness.proto.game.quests.v1.AcceptRequest;
import io.natsharness.proto.game.quests.v1.DefineQuestRequest;
import io.natsharness.proto.game.quests.v1.GetPlayerQuestsRequest;
import io.natsharness.proto.game.quests.v1.GetPlayerQuestsResponse;
import io.natsharness.proto.game.quests.v1.Objective;
import io.natsharness.proto.game.quests.v1.ObjectiveProgress;
import io.natsharness.proto.game.quests.v1.PlayerQuest;
import io.natsharness.proto.game.quests.v1.Quest;
import io.natsharness.proto.game.quests.v1.QuestDefined;
import io.natsharness.proto.game.quests.v1.QuestState;
import java.util.List;

/**
 * Contract checks of {@code quest_system}: definitions, the per-player state machine, objectives
 * counted up to their targets, completion exactly once, idempotent accepts and progress reports,
 * and the quest events. Progress and completion live in {@link QuestProgressChecks}.
 *
 * <pre>{@code
 * List<Check> checks = QuestSystemChecks.checks();
 * }</pre>
 */
public final class QuestSystemChecks {

  static final String SERVICE = "quest_system";

  private QuestSystemChecks() {}

  public static List<Check> checks() {
    ContractChecks checks = ContractChecks.forService(SERVICE)
        .behaviour("define_quest", "defines", "a defined quest is returned with its fields and is AVAILABLE to"
            + " any player with every objective at 0", QuestSystemChecks::defines)
        .behaviour("define_quest", "quest_defined_event", "define_quest publishes one quest_defined event with"
            + " the quest", QuestSystemChecks::definedEvent)
        .error("define_quest", "duplicate", Code.ALREADY_EXISTS, "defining a quest_id twice is ALREADY_EXISTS",
            ctx -> {
              DefineQuestRequest quest = quest(ctx, 3);
              quests(ctx).ok("define_quest", quest);
              quests(ctx).fails("define_quest", quest, Code.ALREADY_EXISTS);
            })
        .error("define_quest", "invalid_fields", Code.INVALID_ARGUMENT, "a malformed quest_id, an empty title,"
            + " no or more than 32 objectives, a duplicate objective_id, a target outside [1, 1000000] or a"
            + " negative reward are INVALID_ARGUMENT", QuestSystemChecks::invalidDefinitions)
        .error("define_quest", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a definition past"
            + " its deadline is DEADLINE_EXCEEDED and defines nothing", ctx -> {
              DefineQuestRequest quest = quest(ctx, 2);
              quests(ctx).call("define_quest").expiredDeadline().fails(quest, Code.DEADLINE_EXCEEDED);
              assertThat(quests(ctx).<Quest>ok("define_quest", quest).getQuestId()).as("the quest defined after"
                  + " the expired request").isEqualTo(quest.getQuestId());
            })
        .behaviour("accept", "activates", "accept moves the player's quest to ACTIVE with every objective at 0"
            + " and publishes one quest_accepted event", QuestSystemChecks::activates)
        .behaviour("accept", "idempotent_repeat", "an accept repeated with the same Idempotency-Key returns the"
            + " first result and publishes nothing more", QuestSystemChecks::idempotentAccept)
        .error("accept", "not_available", Code.FAILED_PRECONDITION, "accepting a quest the player already"
            + " accepted (new key) is FAILED_PRECONDITION", ctx -> {
              Player p = Player.accepted(ctx, 2);
              quests(ctx).fails("accept", p.accept(), Code.FAILED_PRECONDITION);
            })
        .error("accept", "abandoned_is_terminal", Code.FAILED_PRECONDITION, "an abandoned quest cannot be"
            + " accepted again: FAILED_PRECONDITION", ctx -> {
              Player p = Player.accepted(ctx, 2);
              quests(ctx).ok("abandon", p.abandon());
              quests(ctx).fails("accept", p.accept(), Code.FAILED_PRECONDITION);
            })
        .error("accept", "unknown_quest", Code.NOT_FOUND, "accepting an undefined quest is NOT_FOUND",
            ctx -> quests(ctx).fails("accept", AcceptRequest.newBuilder().setPlayerId(Names.id(ctx, "p"))
                .setQuestId(Names.id(ctx, "nope")).build(), Code.NOT_FOUND))
        .error("accept", "invalid_ids", Code.INVALID_ARGUMENT, "an empty or malformed player_id or quest_id is"
            + " INVALID_ARGUMENT", ctx -> {
              DefineQuestRequest quest = quest(ctx, 1);
              quests(ctx).ok("define_quest", quest);
              quests(ctx).failsOnEach("accept", AcceptRequest.newBuilder().setPlayerId(Names.id(ctx, "p"))
                  .setQuestId(quest.getQuestId()).build(), List.<Breaker<AcceptRequest.Builder>>of(
                  Breaker.of("player_id", b -> b.clearPlayerId()),
                  Breaker.of("player_id", b -> b.setPlayerId("bad player!")),
                  Breaker.of("quest_id", b -> b.clearQuestId())));
            })
        .error("accept", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "an accept past its"
            + " deadline is DEADLINE_EXCEEDED and leaves the quest AVAILABLE", ctx -> {
              Player p = Player.defined(ctx, 2);
              quests(ctx).call("accept").expiredDeadline().fails(p.accept(), Code.DEADLINE_EXCEEDED);
              assertThat(p.state()).as("state after the expired accept").isEqualTo(QuestState.AVAILABLE);
            })
        .behaviour("abandon", "abandons", "abandon moves an ACTIVE quest to ABANDONED, keeps its progress, sets"
            + " ended_at and publishes one quest_abandoned event", QuestSystemChecks::abandons)
        .error("abandon", "not_active", Code.FAILED_PRECONDITION, "abandoning an AVAILABLE or already"
            + " abandoned quest is FAILED_PRECONDITION", ctx -> {
              Player p = Player.defined(ctx, 1);
              quests(ctx).fails("abandon", p.abandon(), Code.FAILED_PRECONDITION);
              quests(ctx).ok("accept", p.accept());
              quests(ctx).ok("abandon", p.abandon());
              quests(ctx).fails("abandon", p.abandon(), Code.FAILED_PRECONDITION);
            })
        .error("abandon", "unknown_quest", Code.NOT_FOUND, "abandoning an undefined quest is NOT_FOUND",
            ctx -> quests(ctx).fails("abandon", AbandonRequest.newBuilder().setPlayerId(Names.id(ctx, "p"))
                .setQuestId(Names.id(ctx, "nope")).build(), Code.NOT_FOUND))
        .error("abandon", "empty_ids", Code.INVALID_ARGUMENT, "an empty player_id or quest_id is"
            + " INVALID_ARGUMENT", ctx -> {
              quests(ctx).failsOn("abandon", AbandonRequest.newBuilder().setQuestId("q1").build(), "player_id");
              quests(ctx).failsOn("abandon", AbandonRequest.newBuilder().setPlayerId("p1").build(), "quest_id");
            })
        .error("abandon", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "an abandon past its"
            + " deadline is DEADLINE_EXCEEDED and leaves the quest ACTIVE", ctx -> {
              Player p = Player.accepted(ctx, 1);
              quests(ctx).call("abandon").expiredDeadline().fails(p.abandon(), Code.DEADLINE_EXCEEDED);
              assertThat(p.state()).as("state after the expired abandon").isEqualTo(QuestState.ACTIVE);
            })
        .behaviour("get_player_quests", "filters_by_state", "get_player_quests lists the player's quests in the"
            + " states asked for, ordered by quest_id", QuestSystemChecks::filtersByState)
        .error("get_player_quests", "invalid_request", Code.INVALID_ARGUMENT, "an empty player_id or a state"
            + " UNSPECIFIED is INVALID_ARGUMENT", ctx -> {
              quests(ctx).failsOn("get_player_quests", GetPlayerQuestsRequest.getDefaultInstance(), "player_id");
              quests(ctx).failsOn("get_player_quests", GetPlayerQuestsRequest.newBuilder().setPlayerId("p1")
                  .addStates(QuestState.QUEST_STATE_UNSPECIFIED).build(), "states");
            });
    QuestProgressChecks.add(checks);
    return checks.build();
  }

  static Rpc quests(CheckContext ctx) {
    return Rpc.of(ctx, SERVICE);
  }

  /** A valid definition with {@code objectives} objectives o1, o2, … of targets 3, 4, …. */
  static DefineQuestRequest quest(CheckContext ctx, int objectives) {
    DefineQuestRequest.Builder quest = DefineQuestRequest.newBuilder().setQuestId(Names.id(ctx, "q"))
        .setTitle("The wolves of Eldermoor").setDescription("Drive the pack from the north road.")
        .setExperienceReward(250).setCurrencyReward(Money.newBuilder().setCurrency("GEM").setMinorUnits(5));
    for (int i = 1; i <= objectives; i++) {
      quest.addObjectives(Objective.newBuilder().setObjectiveId("o" + i).setDescription("step " + i)
          .setTargetCount(i + 2));
    }
    return quest.build();
  }

  private static void defines(CheckContext ctx) {
    DefineQuestRequest request = quest(ctx, 2);
    Quest quest = quests(ctx).ok("define_quest", request);
    assertThat(quest.getQuestId()).as("quest_id").isEqualTo(request.getQuestId());
    assertThat(quest.getTitle()).as("title").isEqualTo(request.getTitle());
    assertThat(quest.getObjectivesList()).as("objectives").isEqualTo(request.getObjectivesList());
    assertThat(quest.getExperienceReward()).as("experience_reward").isEqualTo(250);
    assertThat(quest.getCurrencyReward()).as("currency_reward").isEqualTo(request.getCurrencyReward());
    Player p = new Player(ctx, Names.id(ctx, "p"), request);
    PlayerQuest available = p.quest();
    assertThat(available.getState()).as("state for a player who never accepted").isEqualTo(QuestState.AVAILABLE);
    assertThat(available.getProgressList()).as("progress while AVAILABLE").extracting(
        ObjectiveProgress::getObjectiveId, ObjectiveProgress::getCurrentCount, ObjectiveProgress::getTargetCount)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("o1", 0, 3), org.assertj.core.groups.Tuple.tuple("o2", 0, 4));
  }

  private static void definedEvent(CheckContext ctx) {
    DefineQuestRequest request = quest(ctx, 1);
    try (EventSpy<QuestDefined> events = EventSpy.on(ctx, SERVICE, "quest_defined")) {
      Quest quest = quests(ctx).ok("define_quest", request);
      QuestDefined event = events.awaitOne(e -> e.getQuest().getQuestId().equals(request.getQuestId()));
      assertThat(event.getQuest()).as("quest in the event").isEqualTo(quest);
    }
  }

  private static void invalidDefinitions(CheckContext ctx) {
    DefineQuestRequest valid = quest(ctx, 2);
    Objective one = valid.getObjectives(0);
    quests(ctx).failsOnEach("define_quest", valid, List.<Breaker<DefineQuestRequest.Builder>>of(
        Breaker.of("quest_id", b -> b.setQuestId("")),
        Breaker.of("quest_id", b -> b.setQuestId("Has Spaces")),
        Breaker.of("title", b -> b.setTitle("")),
        Breaker.of("objectives", b -> b.clearObjectives()),
        Breaker.of("objectives", b -> {
          for (int i = 0; i < 31; i++) {
            b.addObjectives(Objective.newBuilder().setObjectiveId("extra" + i).setTargetCount(1));
          }
          return b;
        }),
        Breaker.of("objectives", b -> b.addObjectives(one)),
        Breaker.of("objectives", b -> b.addObjectives(one.toBuilder().setObjectiveId("Bad Id"))),
        Breaker.of("objectives", b -> b.setObjectives(0, one.toBuilder().setTargetCount(0))),
        Breaker.of("objectives", b -> b.setObjectives(0, one.toBuilder().setTargetCount(1_000_001))),
        Breaker.of("experience_reward", b -> b.setExperienceReward(-1)),
        Breaker.of("currency_reward", b -> b.setCurrencyReward(Money.newBuilder().setCurrency("GEM")
            .setMinorUnits(-5)))));
  }

  private static void activates(CheckContext ctx) {
    Player p = Player.defined(ctx, 2);
    try (EventSpy<io.natsharness.proto.game.quests.v1.QuestAccepted> events =
        EventSpy.on(ctx, SERVICE, "quest_accepted")) {
      PlayerQuest accepted = quests(ctx).ok("accept", p.accept());
      assertThat(accepted.getState()).as("state after accept").isEqualTo(QuestState.ACTIVE);
      assertThat(accepted.getProgressList()).as("progress after accept").extracting(ObjectiveProgress::getCurrentCount)
          .containsExactly(0, 0);
      assertThat(accepted.hasAcceptedAt()).as("accepted_at is set").isTrue();
      assertThat(p.quest()).as("the quest as get_player_quests lists it").isEqualTo(accepted);
      events.awaitOne(e -> e.getPlayerId().equals(p.id()) && e.getQuestId().equals(p.questId()));
    }
  }

  private static void idempotentAccept(CheckContext ctx) {
    Player p = Player.defined(ctx, 1);
    String key = ctx.unique("accept");
    try (EventSpy<io.natsharness.proto.game.quests.v1.QuestAccepted> events =
        EventSpy.on(ctx, SERVICE, "quest_accepted")) {
      PlayerQuest first = quests(ctx).call("accept").idempotencyKey(key).ok(p.accept());
      PlayerQuest again = quests(ctx).call("accept").idempotencyKey(key).ok(p.accept());
      assertThat(again).as("the repeat's answer").isEqualTo(first);
      events.awaitOne(e -> e.getPlayerId().equals(p.id()));
    }
  }

  private static void abandons(CheckContext ctx) {
    Player p = Player.accepted(ctx, 2);
    p.report("o1", 2);
    try (EventSpy<io.natsharness.proto.game.quests.v1.QuestAbandoned> events =
        EventSpy.on(ctx, SERVICE, "quest_abandoned")) {
      PlayerQuest abandoned = quests(ctx).ok("abandon", p.abandon());
      assertThat(abandoned.getState()).as("state after abandon").isEqualTo(QuestState.ABANDONED);
      assertThat(abandoned.getProgressList()).as("progress kept after abandon")
          .extracting(ObjectiveProgress::getCurrentCount).containsExactly(2, 0);
      assertThat(abandoned.hasEndedAt()).as("ended_at is set").isTrue();
      events.awaitOne(e -> e.getPlayerId().equals(p.id()) && e.getQuestId().equals(p.questId()));
    }
  }

  private static void filtersByState(CheckContext ctx) {
    String player = Names.id(ctx, "p");
    Player active = new Player(ctx, player, define(ctx, quest(ctx, 1).toBuilder().setQuestId(Names.id(ctx, "qb")).build()));
    Player abandoned = new Player(ctx, player, define(ctx, quest(ctx, 1).toBuilder().setQuestId(Names.id(ctx, "qa"))
        .build()));
    Player active2 = new Player(ctx, player, define(ctx, quest(ctx, 1).toBuilder().setQuestId(Names.id(ctx, "qc"))
        .build()));
    quests(ctx).ok("accept", active.accept());
    quests(ctx).ok("accept", active2.accept());
    quests(ctx).ok("accept", abandoned.accept());
    quests(ctx).ok("abandon", abandoned.abandon());
    GetPlayerQuestsResponse listed = quests(ctx).ok("get_player_quests", GetPlayerQuestsRequest.newBuilder()
        .setPlayerId(player).addStates(QuestState.ACTIVE).addStates(QuestState.ABANDONED).build());
    assertThat(listed.getQuestsList()).as("ACTIVE and ABANDONED quests of the player, by quest_id")
        .extracting(PlayerQuest::getQuestId, PlayerQuest::getState)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(abandoned.questId(), QuestState.ABANDONED),
            org.assertj.core.groups.Tuple.tuple(active.questId(), QuestState.ACTIVE),
            org.assertj.core.groups.Tuple.tuple(active2.questId(), QuestState.ACTIVE));
    GetPlayerQuestsResponse all = quests(ctx).ok("get_player_quests", GetPlayerQuestsRequest.newBuilder()
        .setPlayerId(player).build());
    List<String> ids = all.getQuestsList().stream().map(PlayerQuest::getQuestId).toList();
    assertThat(ids).as("every quest_id listed without a state filter, in order").isSorted()
        .contains(active.questId(), abandoned.questId(), active2.questId());
  }

  static DefineQuestRequest define(CheckContext ctx, DefineQuestRequest quest) {
    quests(ctx).ok("define_quest", quest);
    return quest;
  }
}
