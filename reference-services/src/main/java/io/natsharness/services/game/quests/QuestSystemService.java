package io.natsharness.services.game.quests;

import com.google.protobuf.Timestamp;
import io.natsharness.proto.common.v1.RecordMeta;
import io.natsharness.proto.game.quests.v1.AbandonRequest;
import io.natsharness.proto.game.quests.v1.AcceptRequest;
import io.natsharness.proto.game.quests.v1.DefineQuestRequest;
import io.natsharness.proto.game.quests.v1.GetPlayerQuestsRequest;
import io.natsharness.proto.game.quests.v1.GetPlayerQuestsResponse;
import io.natsharness.proto.game.quests.v1.Objective;
import io.natsharness.proto.game.quests.v1.ObjectiveProgress;
import io.natsharness.proto.game.quests.v1.PlayerQuest;
import io.natsharness.proto.game.quests.v1.Quest;
import io.natsharness.proto.game.quests.v1.QuestAbandoned;
import io.natsharness.proto.game.quests.v1.QuestAccepted;
import io.natsharness.proto.game.quests.v1.QuestCompleted;
import io.natsharness.proto.game.quests.v1.QuestDefined;
import io.natsharness.proto.game.quests.v1.QuestState;
import io.natsharness.proto.game.quests.v1.ReportProgressRequest;
import io.natsharness.proto.game.quests.v1.ReportProgressResponse;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.game.kit.Cas;
import io.natsharness.services.game.kit.Checks;
import io.natsharness.services.game.kit.ProtoValues;
import io.natsharness.services.game.kit.ServiceEvents;
import io.natsharness.services.support.Idempotency;
import io.natsharness.services.support.ServiceContext;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The reference {@code quest_system} service: quest definitions and each player's state machine
 * AVAILABLE -> ACTIVE -> COMPLETED | ABANDONED.
 *
 * <p>accept and report_progress run once per Idempotency-Key (scoped to the player) through
 * {@link Idempotency}; every state change is compare-and-set on the player's quest record, so
 * concurrent reports add up and exactly one of them completes the quest and announces it.
 *
 * <pre>{@code
 * rpc.call("svc.game.quests.v1.accept", AcceptRequest.newBuilder().setPlayerId("p-1")
 *     .setQuestId("wolves").build(), CallOptions.builder().idempotencyKey("k-1").build());
 * }</pre>
 */
public final class QuestSystemService implements NatsService {

  static final String NAME = "quest_system";

  private final ServiceContext ctx;
  private final QuestStore store;
  private final Idempotency idempotency;
  private final ServiceEvents events;

  public QuestSystemService(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.store = new QuestStore(ctx);
    this.idempotency = new Idempotency(ctx);
    this.events = new ServiceEvents(ctx, NAME);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.<DefineQuestRequest, Quest>unary("define_quest", (q, call) -> defineQuest(q))
        .<AcceptRequest, PlayerQuest>unary("accept", this::accept)
        .<ReportProgressRequest, ReportProgressResponse>unary("report_progress", this::reportProgress)
        .<AbandonRequest, PlayerQuest>unary("abandon", (q, call) -> abandon(q))
        .<GetPlayerQuestsRequest, GetPlayerQuestsResponse>unary("get_player_quests", (q, call) -> getPlayerQuests(q));
  }

  Quest defineQuest(DefineQuestRequest request) {
    QuestValidation.define(request);
    Timestamp now = now();
    Quest.Builder quest = Quest.newBuilder()
        .setQuestId(request.getQuestId())
        .setTitle(request.getTitle())
        .setDescription(request.getDescription())
        .addAllObjectives(request.getObjectivesList())
        .setExperienceReward(request.getExperienceReward())
        .setMeta(RecordMeta.newBuilder().setCreatedAt(now).setUpdatedAt(now).setVersion(1));
    if (request.hasCurrencyReward()) {
      quest.setCurrencyReward(request.getCurrencyReward());
    }
    Quest stored = quest.build();
    if (!store.define(stored)) {
      throw RpcException.alreadyExists("quest " + request.getQuestId() + " is already defined");
    }
    events.publish("quest_defined", QuestDefined.newBuilder().setQuest(stored).build(),
        "quest_defined:" + stored.getQuestId());
    return stored;
  }

  PlayerQuest accept(AcceptRequest request, CallContext call) {
    Idempotency.requireKey(call);
    QuestValidation.playerAndQuest(request.getPlayerId(), request.getQuestId());
    return idempotency.once(call, request.getPlayerId(), PlayerQuest.parser(), () -> {
      Quest quest = quest(request.getQuestId());
      Timestamp now = now();
      PlayerQuest.Builder accepted = PlayerQuest.newBuilder()
          .setPlayerId(request.getPlayerId())
          .setQuestId(quest.getQuestId())
          .setState(QuestState.ACTIVE)
          .setAcceptedAt(now)
          .setMeta(RecordMeta.newBuilder().setCreatedAt(now).setUpdatedAt(now).setVersion(1));
      for (Objective o : quest.getObjectivesList()) {
        accepted.addProgress(progress(o, 0));
      }
      PlayerQuest stored = accepted.build();
      if (!store.replace(Optional.empty(), stored)) {
        PlayerQuest current = store.raw(request.getPlayerId(), request.getQuestId())
            .map(QuestStore::decode).orElse(stored);
        throw notInState(current, QuestState.AVAILABLE);
      }
      events.publish("quest_accepted", QuestAccepted.newBuilder()
              .setPlayerId(stored.getPlayerId()).setQuestId(stored.getQuestId()).build(),
          "quest_accepted:" + stored.getPlayerId() + ":" + stored.getQuestId());
      return stored;
    });
  }

  ReportProgressResponse reportProgress(ReportProgressRequest request, CallContext call) {
    Idempotency.requireKey(call);
    Checks.required("player_id", request.getPlayerId());
    Checks.required("quest_id", request.getQuestId());
    Checks.required("objective_id", request.getObjectiveId());
    Checks.range("amount", request.getAmount(), 1, QuestValidation.MAX_COUNT);
    return idempotency.once(call, request.getPlayerId(), ReportProgressResponse.parser(), () -> {
      Quest quest = quest(request.getQuestId());
      if (quest.getObjectivesList().stream().noneMatch(o -> o.getObjectiveId().equals(request.getObjectiveId()))) {
        throw RpcException.notFound("quest " + quest.getQuestId() + " has no objective " + request.getObjectiveId());
      }
      for (int attempt = 0; attempt < Cas.MAX_ATTEMPTS; attempt++) {
        Optional<String> raw = store.raw(request.getPlayerId(), request.getQuestId());
        PlayerQuest current = active(raw, request.getPlayerId(), quest);
        PlayerQuest updated = QuestProgress.apply(current, request.getObjectiveId(), request.getAmount(), now());
        if (store.replace(raw, updated)) {
          boolean completedNow = updated.getState() == QuestState.COMPLETED;
          if (completedNow) {
            QuestCompleted.Builder done = QuestCompleted.newBuilder()
                .setPlayerId(updated.getPlayerId())
                .setQuestId(updated.getQuestId())
                .setExperienceReward(quest.getExperienceReward());
            if (quest.hasCurrencyReward()) {
              done.setCurrencyReward(quest.getCurrencyReward());
            }
            events.publish("quest_completed", done.build(),
                "quest_completed:" + updated.getPlayerId() + ":" + updated.getQuestId());
          }
          return ReportProgressResponse.newBuilder().setPlayerQuest(updated).setCompletedNow(completedNow).build();
        }
      }
      throw RpcException.aborted("quest " + request.getQuestId() + " of player " + request.getPlayerId()
          + " is being changed concurrently; retry");
    });
  }

  PlayerQuest abandon(AbandonRequest request) {
    Checks.required("player_id", request.getPlayerId());
    Checks.required("quest_id", request.getQuestId());
    Quest quest = quest(request.getQuestId());
    for (int attempt = 0; attempt < Cas.MAX_ATTEMPTS; attempt++) {
      Optional<String> raw = store.raw(request.getPlayerId(), request.getQuestId());
      PlayerQuest current = active(raw, request.getPlayerId(), quest);
      Timestamp now = now();
      PlayerQuest updated = current.toBuilder()
          .setState(QuestState.ABANDONED)
          .setEndedAt(now)
          .setMeta(current.getMeta().toBuilder().setUpdatedAt(now).setVersion(current.getMeta().getVersion() + 1))
          .build();
      if (store.replace(raw, updated)) {
        events.publish("quest_abandoned", QuestAbandoned.newBuilder()
                .setPlayerId(updated.getPlayerId()).setQuestId(updated.getQuestId()).build(),
            "quest_abandoned:" + updated.getPlayerId() + ":" + updated.getQuestId());
        return updated;
      }
    }
    throw RpcException.aborted("quest " + request.getQuestId() + " of player " + request.getPlayerId()
        + " is being changed concurrently; retry");
  }

  GetPlayerQuestsResponse getPlayerQuests(GetPlayerQuestsRequest request) {
    String playerId = Checks.required("player_id", request.getPlayerId());
    Set<QuestState> wanted = EnumSet.noneOf(QuestState.class);
    for (int i = 0; i < request.getStatesCount(); i++) {
      QuestState s = request.getStates(i);
      if (s == QuestState.QUEST_STATE_UNSPECIFIED || s == QuestState.UNRECOGNIZED) {
        throw Checks.invalid("states[" + i + "]", "must be AVAILABLE, ACTIVE, COMPLETED or ABANDONED");
      }
      wanted.add(s);
    }
    Map<String, PlayerQuest> records = store.playerQuests(playerId);
    GetPlayerQuestsResponse.Builder out = GetPlayerQuestsResponse.newBuilder();
    for (Quest quest : store.quests().values()) {
      PlayerQuest pq = Optional.ofNullable(records.get(quest.getQuestId())).orElseGet(() -> available(playerId, quest));
      if (wanted.isEmpty() || wanted.contains(pq.getState())) {
        out.addQuests(pq);
      }
    }
    return out.build();
  }

  private Quest quest(String questId) {
    return store.quest(questId).orElseThrow(() -> RpcException.notFound("quest " + questId + " not found"));
  }

  /** The player's quest from its raw record, which must be ACTIVE. */
  private static PlayerQuest active(Optional<String> raw, String playerId, Quest quest) {
    PlayerQuest current = raw.map(QuestStore::decode).orElseGet(() -> available(playerId, quest));
    if (current.getState() != QuestState.ACTIVE) {
      throw notInState(current, QuestState.ACTIVE);
    }
    return current;
  }

  private static PlayerQuest available(String playerId, Quest quest) {
    PlayerQuest.Builder pq = PlayerQuest.newBuilder()
        .setPlayerId(playerId).setQuestId(quest.getQuestId()).setState(QuestState.AVAILABLE);
    quest.getObjectivesList().forEach(o -> pq.addProgress(progress(o, 0)));
    return pq.build();
  }

  static ObjectiveProgress progress(Objective o, int count) {
    return ObjectiveProgress.newBuilder()
        .setObjectiveId(o.getObjectiveId()).setCurrentCount(count).setTargetCount(o.getTargetCount()).build();
  }

  private static RpcException notInState(PlayerQuest current, QuestState required) {
    return RpcException.failedPrecondition("QUEST_NOT_" + required.name(),
        "quest " + current.getQuestId() + " of player " + current.getPlayerId() + " is "
            + current.getState() + ", not " + required);
  }

  private Timestamp now() {
    return ProtoValues.timestamp(ctx.clock().instant());
  }
}
