package io.natsharness.conformance.contract.game;

import static io.natsharness.conformance.contract.game.QuestSystemChecks.quests;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Breaker;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.proto.game.quests.v1.ObjectiveProgress;
import io.natsharness.proto.game.quests.v1.QuestCompleted;
import io.natsharness.proto.game.quests.v1.QuestState;
import io.natsharness.proto.game.quests.v1.ReportProgressRequest;
import io.natsharness.proto.game.quests.v1.ReportProgressResponse;
import java.util.List;

/**
 * quest_system's report_progress: counting up to the target, completion exactly once, the
 * idempotent repeat, and its errors.
 *
 * <pre>{@code
 * ContractChecks checks = ContractChecks.forService("quest_system");
 * QuestProgressChecks.add(checks);
 * }</pre>
 */
final class QuestProgressChecks {

  private QuestProgressChecks() {}

  static void add(ContractChecks checks) {
    checks
        .behaviour("report_progress", "counts_up_to_target", "progress adds up and is capped at the objective's"
            + " target; the quest stays ACTIVE while an objective is short", QuestProgressChecks::countsUpToTarget)
        .behaviour("report_progress", "completes_once", "the report that brings the last objective to its target"
            + " completes the quest (completed_now, ended_at) and publishes one quest_completed event with the"
            + " rewards", QuestProgressChecks::completesOnce)
        .behaviour("report_progress", "idempotent_repeat", "a report repeated with the same Idempotency-Key"
            + " returns the first result, completed_now included, and counts once",
            QuestProgressChecks::idempotentRepeat)
        .error("report_progress", "not_active", Code.FAILED_PRECONDITION, "progress on an AVAILABLE, COMPLETED"
            + " or ABANDONED quest is FAILED_PRECONDITION", QuestProgressChecks::notActive)
        .error("report_progress", "unknown_quest", Code.NOT_FOUND, "progress on an undefined quest is NOT_FOUND",
            ctx -> quests(ctx).fails("report_progress", ReportProgressRequest.newBuilder()
                .setPlayerId(Names.id(ctx, "p")).setQuestId(Names.id(ctx, "nope")).setObjectiveId("o1").setAmount(1)
                .build(), Code.NOT_FOUND))
        .error("report_progress", "unknown_objective", Code.NOT_FOUND, "progress on an objective the quest does"
            + " not have is NOT_FOUND", ctx -> {
              Player p = Player.accepted(ctx, 1);
              quests(ctx).fails("report_progress", p.progress("o9", 1), Code.NOT_FOUND);
            })
        .error("report_progress", "invalid_request", Code.INVALID_ARGUMENT, "an empty player_id, quest_id or"
            + " objective_id, or an amount outside [1, 1000000], is INVALID_ARGUMENT", ctx -> {
              Player p = Player.accepted(ctx, 1);
              quests(ctx).failsOnEach("report_progress", p.progress("o1", 1),
                  List.<Breaker<ReportProgressRequest.Builder>>of(
                      Breaker.of("player_id", b -> b.clearPlayerId()),
                      Breaker.of("quest_id", b -> b.clearQuestId()),
                      Breaker.of("objective_id", b -> b.clearObjectiveId()),
                      Breaker.of("amount", b -> b.setAmount(0)),
                      Breaker.of("amount", b -> b.setAmount(1_000_001))));
              assertThat(counts(p)).as("progress after refused reports").containsExactly(0);
            })
        .error("report_progress", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a report past its"
            + " deadline is DEADLINE_EXCEEDED and counts nothing", ctx -> {
              Player p = Player.accepted(ctx, 1);
              quests(ctx).call("report_progress").expiredDeadline().fails(p.progress("o1", 2), Code.DEADLINE_EXCEEDED);
              assertThat(counts(p)).as("progress after the expired report").containsExactly(0);
            });
  }

  private static List<Integer> counts(Player p) {
    return p.quest().getProgressList().stream().map(ObjectiveProgress::getCurrentCount).toList();
  }

  private static void countsUpToTarget(CheckContext ctx) {
    Player p = Player.accepted(ctx, 2);
    ReportProgressResponse first = p.report("o1", 2);
    assertThat(first.getPlayerQuest().getProgressList()).extracting(ObjectiveProgress::getCurrentCount)
        .as("progress after 2 on o1").containsExactly(2, 0);
    assertThat(first.getCompletedNow()).as("completed_now").isFalse();
    ReportProgressResponse capped = p.report("o1", 5);
    assertThat(capped.getPlayerQuest().getProgressList()).extracting(ObjectiveProgress::getCurrentCount)
        .as("progress after 5 more on o1 (target 3)").containsExactly(3, 0);
    assertThat(capped.getPlayerQuest().getState()).as("state with o2 short").isEqualTo(QuestState.ACTIVE);
    assertThat(capped.getCompletedNow()).as("completed_now").isFalse();
    assertThat(counts(p)).as("progress as get_player_quests lists it").containsExactly(3, 0);
  }

  private static void completesOnce(CheckContext ctx) {
    Player p = Player.accepted(ctx, 2);
    try (EventSpy<QuestCompleted> events = EventSpy.on(ctx, QuestSystemChecks.SERVICE, "quest_completed")) {
      p.report("o1", 3);
      ReportProgressResponse last = p.report("o2", 4);
      assertThat(last.getCompletedNow()).as("completed_now of the completing report").isTrue();
      assertThat(last.getPlayerQuest().getState()).as("state after the completing report")
          .isEqualTo(QuestState.COMPLETED);
      assertThat(last.getPlayerQuest().hasEndedAt()).as("ended_at is set").isTrue();
      QuestCompleted event = events.awaitOne(e -> e.getPlayerId().equals(p.id()) && e.getQuestId().equals(p.questId()));
      assertThat(event.getExperienceReward()).as("experience_reward of the event").isEqualTo(250);
      assertThat(event.getCurrencyReward()).as("currency_reward of the event")
          .isEqualTo(p.definition().getCurrencyReward());
      quests(ctx).fails("report_progress", p.progress("o1", 1), Code.FAILED_PRECONDITION);
      events.assertDistinct(e -> e.getPlayerId().equals(p.id()), 1, EventSpy.SETTLE);
    }
  }

  private static void idempotentRepeat(CheckContext ctx) {
    Player p = Player.accepted(ctx, 2);
    String key = ctx.unique("progress");
    ReportProgressResponse first = quests(ctx).call("report_progress").idempotencyKey(key).ok(p.progress("o2", 2));
    ReportProgressResponse again = quests(ctx).call("report_progress").idempotencyKey(key).ok(p.progress("o2", 2));
    assertThat(again).as("the repeat's answer").isEqualTo(first);
    assertThat(counts(p)).as("progress after a report and its repeat").containsExactly(0, 2);
    p.report("o1", 3);
    try (EventSpy<QuestCompleted> events = EventSpy.on(ctx, QuestSystemChecks.SERVICE, "quest_completed")) {
      String last = ctx.unique("progress");
      ReportProgressResponse completing = quests(ctx).call("report_progress").idempotencyKey(last)
          .ok(p.progress("o2", 2));
      ReportProgressResponse repeat = quests(ctx).call("report_progress").idempotencyKey(last)
          .ok(p.progress("o2", 2));
      assertThat(completing.getCompletedNow()).as("completed_now of the completing report").isTrue();
      assertThat(repeat).as("the repeat of the completing report").isEqualTo(completing);
      events.awaitOne(e -> e.getPlayerId().equals(p.id()));
    }
  }

  private static void notActive(CheckContext ctx) {
    Player available = Player.defined(ctx, 1);
    quests(ctx).fails("report_progress", available.progress("o1", 1), Code.FAILED_PRECONDITION);
    assertThat(available.state()).as("state after a refused report").isEqualTo(QuestState.AVAILABLE);
    Player abandoned = Player.accepted(ctx, 1);
    quests(ctx).ok("abandon", abandoned.abandon());
    quests(ctx).fails("report_progress", abandoned.progress("o1", 1), Code.FAILED_PRECONDITION);
    Player completed = Player.accepted(ctx, 1);
    completed.report("o1", 3);
    quests(ctx).fails("report_progress", completed.progress("o1", 1), Code.FAILED_PRECONDITION);
  }
}
