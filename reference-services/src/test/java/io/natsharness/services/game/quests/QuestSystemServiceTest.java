package io.natsharness.services.game.quests;

import static io.natsharness.services.game.kit.Rpc.expect;
import static io.natsharness.services.game.kit.Rpc.expectInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.nats.client.Connection;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
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
import io.natsharness.proto.game.quests.v1.QuestAccepted;
import io.natsharness.proto.game.quests.v1.QuestAbandoned;
import io.natsharness.proto.game.quests.v1.QuestCompleted;
import io.natsharness.proto.game.quests.v1.QuestDefined;
import io.natsharness.proto.game.quests.v1.QuestState;
import io.natsharness.proto.game.quests.v1.ReportProgressRequest;
import io.natsharness.proto.game.quests.v1.ReportProgressResponse;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.game.kit.Concurrently;
import io.natsharness.services.game.kit.EventLog;
import io.natsharness.services.game.kit.HostedServices;
import io.natsharness.services.game.kit.Rpc;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import io.natsharness.services.game.kit.DualStack;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("quest_system")
class QuestSystemServiceTest {

  private static HostedServices hosted;
  private Rpc quests;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    hosted = HostedServices.start(info, "quest_system");
  }

  @AfterAll
  static void stop() {
    hosted.close();
  }

  @BeforeEach
  void client(RpcClient client) {
    quests = new Rpc(client, "quest_system");
  }

  static DefineQuestRequest quest(String id, int... targets) {
    DefineQuestRequest.Builder q = DefineQuestRequest.newBuilder().setQuestId(id).setTitle("Quest " + id)
        .setExperienceReward(100).setCurrencyReward(Money.newBuilder().setCurrency("GEM").setMinorUnits(5));
    for (int i = 0; i < targets.length; i++) {
      q.addObjectives(Objective.newBuilder().setObjectiveId("o" + i).setDescription("step " + i).setTargetCount(targets[i]));
    }
    return q.build();
  }

  private PlayerQuest accept(String player, String quest, String key) {
    return quests.callOnce("accept", AcceptRequest.newBuilder().setPlayerId(player).setQuestId(quest).build(), key);
  }

  private ReportProgressResponse report(String player, String quest, String objective, int amount, String key) {
    return quests.callOnce("report_progress", ReportProgressRequest.newBuilder().setPlayerId(player).setQuestId(quest)
        .setObjectiveId(objective).setAmount(amount).build(), key);
  }

  private PlayerQuest abandon(String player, String quest) {
    return quests.call("abandon", AbandonRequest.newBuilder().setPlayerId(player).setQuestId(quest).build());
  }

  private List<PlayerQuest> playerQuests(String player, QuestState... states) {
    GetPlayerQuestsResponse r = quests.call("get_player_quests",
        GetPlayerQuestsRequest.newBuilder().setPlayerId(player).addAllStates(List.of(states)).build());
    return r.getQuestsList();
  }

  private <M extends com.google.protobuf.Message> List<EventLog.Event<M>> events(Connection nats, String name,
      com.google.protobuf.Parser<M> parser) throws Exception {
    return EventLog.read(nats, "quest_system", name, hosted.prefix(), parser);
  }

  @Nested
  @DisplayName("define_quest")
  class Define {

    @Test
    @DisplayName("stores an immutable definition at version 1 and announces it")
    void defines(Connection nats) throws Exception {
      Quest q = quests.call("define_quest", quest("def-basic", 3, 1));

      assertThat(q.getObjectivesCount()).isEqualTo(2);
      assertThat(q.getMeta().getVersion()).isEqualTo(1);
      assertThat(events(nats, "quest_defined", QuestDefined.parser()))
          .filteredOn(e -> e.payload().getQuest().getQuestId().equals("def-basic"))
          .singleElement().satisfies(e -> assertThat(e.id()).isEqualTo("quest_defined:def-basic"));
    }

    @Test
    @DisplayName("answers ALREADY_EXISTS for a defined quest_id")
    void duplicate() {
      quests.call("define_quest", quest("def-dup", 1));

      expect(() -> quests.call("define_quest", quest("def-dup", 2)), Code.ALREADY_EXISTS, "quest def-dup is already defined");
    }

    @Test
    @DisplayName("refuses a malformed quest_id")
    void malformedId() {
      expectInvalid(() -> quests.call("define_quest", quest("Wolves!", 1)), "quest_id",
          "must be 1-64 chars of [a-z0-9_.-], starting with a letter or digit, got 'Wolves!'");
    }

    @Test
    @DisplayName("refuses an empty title")
    void emptyTitle() {
      expectInvalid(() -> quests.call("define_quest", quest("x", 1).toBuilder().setTitle("").build()), "title", "is required");
    }

    @Test
    @DisplayName("refuses a quest without objectives")
    void noObjectives() {
      expectInvalid(() -> quests.call("define_quest", quest("x")), "objectives", "must have 1 to 32 objectives, got 0");
    }

    @Test
    @DisplayName("refuses more than 32 objectives")
    void tooManyObjectives() {
      expectInvalid(() -> quests.call("define_quest", quest("x", IntStream.range(0, 33).map(i -> 1).toArray())),
          "objectives", "must have 1 to 32 objectives, got 33");
    }

    @Test
    @DisplayName("refuses a duplicate objective_id")
    void duplicateObjective() {
      DefineQuestRequest r = quest("x", 1).toBuilder()
          .addObjectives(Objective.newBuilder().setObjectiveId("o0").setTargetCount(1)).build();

      expectInvalid(() -> quests.call("define_quest", r), "objectives[1].objective_id", "duplicate objective_id 'o0'");
    }

    @Test
    @DisplayName("refuses a target_count outside [1, 1000000]")
    void target() {
      expectInvalid(() -> quests.call("define_quest", quest("x", 0)), "objectives[0].target_count",
          "must be in [1, 1000000], got 0");
    }

    @Test
    @DisplayName("refuses a negative reward")
    void negativeReward() {
      expectInvalid(() -> quests.call("define_quest", quest("x", 1).toBuilder().setExperienceReward(-1).build()),
          "experience_reward", "must be >= 0, got -1");
    }
  }

  @Nested
  @DisplayName("accept")
  class Accept {

    @Test
    @DisplayName("makes the quest ACTIVE with every objective at 0")
    void accepts() {
      quests.call("define_quest", quest("acc-basic", 2, 3));

      PlayerQuest pq = accept("p-acc", "acc-basic", "k1");

      assertThat(pq.getState()).isEqualTo(QuestState.ACTIVE);
      assertThat(pq.getProgressList()).extracting(ObjectiveProgress::getCurrentCount).containsExactly(0, 0);
      assertThat(pq.getProgressList()).extracting(ObjectiveProgress::getTargetCount).containsExactly(2, 3);
      assertThat(pq.getMeta().getVersion()).isEqualTo(1);
      assertThat(pq.hasAcceptedAt()).isTrue();
    }

    @Test
    @DisplayName("returns the first result for a repeated Idempotency-Key and announces once")
    void idempotent(Connection nats) throws Exception {
      quests.call("define_quest", quest("acc-idem", 1));

      PlayerQuest first = accept("p-idem", "acc-idem", "same-key");
      PlayerQuest again = accept("p-idem", "acc-idem", "same-key");

      assertThat(again).isEqualTo(first);
      assertThat(events(nats, "quest_accepted", QuestAccepted.parser()))
          .filteredOn(e -> e.payload().getPlayerId().equals("p-idem"))
          .singleElement().satisfies(e -> assertThat(e.id()).isEqualTo("quest_accepted:p-idem:acc-idem"));
    }

    @Test
    @DisplayName("answers FAILED_PRECONDITION when the quest is already ACTIVE")
    void twice() {
      quests.call("define_quest", quest("acc-twice", 1));
      accept("p-twice", "acc-twice", "k1");

      var e = expect(() -> accept("p-twice", "acc-twice", "k2"), Code.FAILED_PRECONDITION,
          "quest acc-twice of player p-twice is ACTIVE, not AVAILABLE");
      assertThat(e.errorDetail().orElseThrow().getReason()).isEqualTo("QUEST_NOT_AVAILABLE");
    }

    @Test
    @DisplayName("answers NOT_FOUND for an unknown quest")
    void unknown() {
      expect(() -> accept("p-1", "no-such-quest", "k1"), Code.NOT_FOUND, "quest no-such-quest not found");
    }

    @Test
    @DisplayName("refuses a request without Idempotency-Key")
    void missingKey(Connection nats) throws Exception {
      var e = Rpc.rawFailure(nats, quests.method("accept"), AcceptRequest.newBuilder().setPlayerId("p").setQuestId("q").build());

      expectInvalid(() -> { throw e; }, "Idempotency-Key", "an Idempotency-Key header is required");
    }

    @Test
    @DisplayName("refuses a malformed player_id")
    void malformedPlayer() {
      expectInvalid(() -> accept("p 1", "q", "k"), "player_id", "must be 1-128 chars of [A-Za-z0-9_.:-], got 'p 1'");
    }
  }

  @Nested
  @DisplayName("report_progress")
  class ReportProgress {

    @Test
    @DisplayName("adds to the objective and caps it at its target")
    void addsAndCaps() {
      quests.call("define_quest", quest("rp-cap", 5, 2));
      accept("p-cap", "rp-cap", "a");

      ReportProgressResponse r1 = report("p-cap", "rp-cap", "o0", 3, "r1");
      ReportProgressResponse r2 = report("p-cap", "rp-cap", "o0", 9, "r2");

      assertThat(r1.getPlayerQuest().getProgress(0).getCurrentCount()).isEqualTo(3);
      assertThat(r2.getPlayerQuest().getProgress(0).getCurrentCount()).isEqualTo(5);
      assertThat(r2.getPlayerQuest().getState()).isEqualTo(QuestState.ACTIVE);
      assertThat(r2.getCompletedNow()).isFalse();
      assertThat(r2.getPlayerQuest().getMeta().getVersion()).isEqualTo(3);
    }

    @Test
    @DisplayName("completes the quest when the last objective reaches its target, and announces it")
    void completes(Connection nats) throws Exception {
      quests.call("define_quest", quest("rp-done", 1, 2));
      accept("p-done", "rp-done", "a");
      report("p-done", "rp-done", "o0", 1, "r1");

      ReportProgressResponse last = report("p-done", "rp-done", "o1", 2, "r2");

      assertThat(last.getCompletedNow()).isTrue();
      assertThat(last.getPlayerQuest().getState()).isEqualTo(QuestState.COMPLETED);
      assertThat(last.getPlayerQuest().hasEndedAt()).isTrue();
      assertThat(events(nats, "quest_completed", QuestCompleted.parser()))
          .filteredOn(e -> e.payload().getPlayerId().equals("p-done"))
          .singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("quest_completed:p-done:rp-done");
            assertThat(e.payload()).isEqualTo(QuestCompleted.newBuilder().setPlayerId("p-done").setQuestId("rp-done")
                .setExperienceReward(100).setCurrencyReward(Money.newBuilder().setCurrency("GEM").setMinorUnits(5)).build());
          });
    }

    @Test
    @DisplayName("counts a repeated Idempotency-Key once and returns the first result")
    void idempotent() {
      quests.call("define_quest", quest("rp-idem", 10));
      accept("p-rpi", "rp-idem", "a");

      ReportProgressResponse first = report("p-rpi", "rp-idem", "o0", 4, "same");
      ReportProgressResponse again = report("p-rpi", "rp-idem", "o0", 4, "same");

      assertThat(again).isEqualTo(first);
      assertThat(playerQuests("p-rpi", QuestState.ACTIVE)).singleElement()
          .satisfies(pq -> assertThat(pq.getProgress(0).getCurrentCount()).isEqualTo(4));
    }

    @Test
    @DisplayName("under 40 concurrent reports completes exactly once, at the target")
    void concurrent(Connection nats) throws Exception {
      quests.call("define_quest", quest("rp-race", 15));
      accept("p-race", "rp-race", "a");

      Concurrently.Outcomes<ReportProgressResponse> outcomes =
          Concurrently.run(40, i -> report("p-race", "rp-race", "o0", 1, "race-" + i));

      assertThat(outcomes.successes()).hasSize(15);
      assertThat(outcomes.successes()).filteredOn(ReportProgressResponse::getCompletedNow).hasSize(1);
      assertThat(outcomes.failures()).hasSize(25).allSatisfy(e -> assertThat(e.statusMessage())
          .isEqualTo("quest rp-race of player p-race is COMPLETED, not ACTIVE"));
      assertThat(playerQuests("p-race", QuestState.COMPLETED)).singleElement()
          .satisfies(pq -> assertThat(pq.getProgress(0).getCurrentCount()).isEqualTo(15));
      assertThat(events(nats, "quest_completed", QuestCompleted.parser()))
          .filteredOn(e -> e.payload().getPlayerId().equals("p-race")).hasSize(1);
    }

    @Test
    @DisplayName("answers NOT_FOUND for an objective the quest does not have")
    void unknownObjective() {
      quests.call("define_quest", quest("rp-obj", 1));
      accept("p-obj", "rp-obj", "a");

      expect(() -> report("p-obj", "rp-obj", "o9", 1, "r"), Code.NOT_FOUND, "quest rp-obj has no objective o9");
    }

    @Test
    @DisplayName("answers NOT_FOUND for an unknown quest")
    void unknownQuest() {
      expect(() -> report("p-obj", "rp-nope", "o0", 1, "r"), Code.NOT_FOUND, "quest rp-nope not found");
    }

    @Test
    @DisplayName("answers FAILED_PRECONDITION for a quest the player has not accepted")
    void notAccepted() {
      quests.call("define_quest", quest("rp-avail", 1));

      expect(() -> report("p-avail", "rp-avail", "o0", 1, "r"), Code.FAILED_PRECONDITION,
          "quest rp-avail of player p-avail is AVAILABLE, not ACTIVE");
    }

    @Test
    @DisplayName("refuses an amount outside [1, 1000000]")
    void amount() {
      expectInvalid(() -> report("p", "q", "o0", 0, "r"), "amount", "must be in [1, 1000000], got 0");
    }

    @Test
    @DisplayName("refuses a request without Idempotency-Key")
    void missingKey(Connection nats) throws Exception {
      var e = Rpc.rawFailure(nats, quests.method("report_progress"), ReportProgressRequest.newBuilder().setPlayerId("p")
          .setQuestId("q").setObjectiveId("o").setAmount(1).build());

      expectInvalid(() -> { throw e; }, "Idempotency-Key", "an Idempotency-Key header is required");
    }
  }

  @Nested
  @DisplayName("abandon")
  class Abandon {

    @Test
    @DisplayName("moves ACTIVE to ABANDONED, keeping progress, and announces it")
    void abandons(Connection nats) throws Exception {
      quests.call("define_quest", quest("ab-basic", 4));
      accept("p-ab", "ab-basic", "a");
      report("p-ab", "ab-basic", "o0", 2, "r");

      PlayerQuest pq = abandon("p-ab", "ab-basic");

      assertThat(pq.getState()).isEqualTo(QuestState.ABANDONED);
      assertThat(pq.getProgress(0).getCurrentCount()).isEqualTo(2);
      assertThat(pq.hasEndedAt()).isTrue();
      assertThat(events(nats, "quest_abandoned", QuestAbandoned.parser()))
          .filteredOn(e -> e.payload().getPlayerId().equals("p-ab"))
          .singleElement().satisfies(e -> assertThat(e.id()).isEqualTo("quest_abandoned:p-ab:ab-basic"));
    }

    @Test
    @DisplayName("is terminal: no second abandon, no new accept")
    void terminal() {
      quests.call("define_quest", quest("ab-term", 4));
      accept("p-term", "ab-term", "a");
      abandon("p-term", "ab-term");

      expect(() -> abandon("p-term", "ab-term"), Code.FAILED_PRECONDITION,
          "quest ab-term of player p-term is ABANDONED, not ACTIVE");
      expect(() -> accept("p-term", "ab-term", "b"), Code.FAILED_PRECONDITION,
          "quest ab-term of player p-term is ABANDONED, not AVAILABLE");
    }

    @Test
    @DisplayName("answers NOT_FOUND for an unknown quest")
    void unknown() {
      expect(() -> abandon("p", "ab-nope"), Code.NOT_FOUND, "quest ab-nope not found");
    }

    @Test
    @DisplayName("refuses an empty player_id")
    void emptyPlayer() {
      expectInvalid(() -> abandon("", "q"), "player_id", "is required");
    }
  }

  @Nested
  @DisplayName("get_player_quests")
  class GetPlayerQuests {

    @Test
    @DisplayName("lists every defined quest by quest_id, AVAILABLE unless accepted")
    void lists() {
      quests.call("define_quest", quest("gpq-b", 1));
      quests.call("define_quest", quest("gpq-a", 2));
      accept("p-gpq", "gpq-b", "a");

      List<PlayerQuest> all = playerQuests("p-gpq");

      assertThat(all).isSortedAccordingTo(Comparator.comparing(PlayerQuest::getQuestId));
      assertThat(all).filteredOn(pq -> pq.getQuestId().startsWith("gpq-"))
          .extracting(PlayerQuest::getQuestId, PlayerQuest::getState)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("gpq-a", QuestState.AVAILABLE),
              org.assertj.core.groups.Tuple.tuple("gpq-b", QuestState.ACTIVE));
      assertThat(all).filteredOn(pq -> pq.getQuestId().equals("gpq-a")).singleElement()
          .satisfies(pq -> assertThat(pq.getProgress(0).getTargetCount()).isEqualTo(2));
    }

    @Test
    @DisplayName("filters by state")
    void filters() {
      quests.call("define_quest", quest("gpf-a", 1));
      quests.call("define_quest", quest("gpf-b", 1));
      accept("p-gpf", "gpf-a", "a");
      accept("p-gpf", "gpf-b", "b");
      abandon("p-gpf", "gpf-b");

      assertThat(playerQuests("p-gpf", QuestState.ABANDONED, QuestState.ACTIVE))
          .extracting(PlayerQuest::getQuestId).containsExactly("gpf-a", "gpf-b");
      assertThat(playerQuests("p-gpf", QuestState.ABANDONED)).extracting(PlayerQuest::getQuestId).containsExactly("gpf-b");
    }

    @Test
    @DisplayName("refuses state UNSPECIFIED")
    void unspecified() {
      expectInvalid(() -> playerQuests("p", QuestState.QUEST_STATE_UNSPECIFIED), "states[0]",
          "must be AVAILABLE, ACTIVE, COMPLETED or ABANDONED");
    }

    @Test
    @DisplayName("refuses an empty player_id")
    void emptyPlayer() {
      expectInvalid(() -> playerQuests(""), "player_id", "is required");
    }

    @Test
    @DisplayName("shows the same state after a restart, where a repeated key still gives the first result")
    void survivesRestart(RpcClient client) {
      quests.call("define_quest", quest("gpr-a", 3));
      PlayerQuest accepted = accept("p-restart", "gpr-a", "before");

      hosted.restart();

      Rpc after = new Rpc(client, "quest_system");
      PlayerQuest again = after.call("accept", AcceptRequest.newBuilder().setPlayerId("p-restart").setQuestId("gpr-a").build(),
          CallOptions.builder().idempotencyKey("before").build());
      GetPlayerQuestsResponse r = after.call("get_player_quests",
          GetPlayerQuestsRequest.newBuilder().setPlayerId("p-restart").addStates(QuestState.ACTIVE).build());
      assertThat(again).isEqualTo(accepted);
      assertThat(r.getQuestsList()).containsExactly(accepted);
    }
  }

  @Nested
  @DisplayName("over HTTP and NATS")
  class DualStackAnswers {

    private DualStack dual(RpcClient client) {
      return new DualStack(hosted.host().httpUrl(), client);
    }

    @Test
    @DisplayName("define_quest answers the same for twin quests")
    void define(RpcClient client) {
      dual(client).assertSame(quests.method("define_quest"), quest("ds-nats-def", 2), quest("ds-http-def", 2),
          Optional.empty(), s -> s.replace("ds-http", "ds-nats"));
    }

    @Test
    @DisplayName("accept answers the same for twin players")
    void accept(RpcClient client) {
      quests.call("define_quest", quest("ds-acc", 2));
      dual(client).assertSame(quests.method("accept"),
          AcceptRequest.newBuilder().setPlayerId("ds-nats-p").setQuestId("ds-acc").build(),
          AcceptRequest.newBuilder().setPlayerId("ds-http-p").setQuestId("ds-acc").build(), Optional.of("k"), s -> s.replace("ds-http", "ds-nats"));
    }

    @Test
    @DisplayName("report_progress answers the same for twin players")
    void report(RpcClient client) {
      quests.call("define_quest", quest("ds-rep", 2));
      QuestSystemServiceTest.this.accept("ds-nats-r", "ds-rep", "a");
      QuestSystemServiceTest.this.accept("ds-http-r", "ds-rep", "a");
      dual(client).assertSame(quests.method("report_progress"),
          ReportProgressRequest.newBuilder().setPlayerId("ds-nats-r").setQuestId("ds-rep").setObjectiveId("o0").setAmount(2).build(),
          ReportProgressRequest.newBuilder().setPlayerId("ds-http-r").setQuestId("ds-rep").setObjectiveId("o0").setAmount(2).build(),
          Optional.of("k"), s -> s.replace("ds-http", "ds-nats"));
    }

    @Test
    @DisplayName("abandon answers the same for twin players")
    void abandon(RpcClient client) {
      quests.call("define_quest", quest("ds-ab", 2));
      QuestSystemServiceTest.this.accept("ds-nats-a", "ds-ab", "a");
      QuestSystemServiceTest.this.accept("ds-http-a", "ds-ab", "a");
      dual(client).assertSame(quests.method("abandon"),
          AbandonRequest.newBuilder().setPlayerId("ds-nats-a").setQuestId("ds-ab").build(),
          AbandonRequest.newBuilder().setPlayerId("ds-http-a").setQuestId("ds-ab").build(), Optional.empty(), s -> s.replace("ds-http", "ds-nats"));
    }

    @Test
    @DisplayName("get_player_quests answers the same")
    void list(RpcClient client) {
      dual(client).assertSame(quests.method("get_player_quests"), GetPlayerQuestsRequest.newBuilder()
          .setPlayerId("ds-nats-a").addStates(QuestState.ABANDONED).addStates(QuestState.AVAILABLE).build());
    }
  }
}
