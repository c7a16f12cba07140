package io.natsharness.conformance.contract.infra;

import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.game.quests.v1.AcceptRequest;
import io.natsharness.proto.game.quests.v1.DefineQuestRequest;
import io.natsharness.proto.game.quests.v1.GetPlayerQuestsRequest;
import io.natsharness.proto.game.quests.v1.GetPlayerQuestsResponse;
import io.natsharness.proto.game.quests.v1.Objective;
import io.natsharness.proto.game.quests.v1.PlayerQuest;
import io.natsharness.proto.infra.orchestration.v1.PurchaseItemInput;
import io.natsharness.proto.infra.orchestration.v1.StartWorkflowRequest;
import io.natsharness.proto.infra.orchestration.v1.WorkflowKind;
import io.natsharness.proto.util.payment.v1.CreateWalletRequest;
import io.natsharness.proto.util.payment.v1.GetBalanceRequest;
import io.natsharness.proto.util.payment.v1.Wallet;

/**
 * The world of one purchase_item check, set up through payment's and quest_system's own methods: a
 * player with a wallet of 1000 GEM and, when asked, a quest of one objective (target 5).
 *
 * <pre>{@code
 * Purchase p = Purchase.withWallet(ctx);
 * Workflow wf = orchestration.call("start_workflow").idempotencyKey(key).ok(p.start(300, false));
 * p.balance();   // 700
 * }</pre>
 *
 * @param ctx the check's context
 * @param playerId the buying player
 * @param walletId the player's wallet
 * @param questId the quest credited by the purchase, or empty
 */
record Purchase(CheckContext ctx, String playerId, String walletId, String questId) {

  static final String CURRENCY = "GEM";
  static final long OPENING = 1000;

  /** A player with a wallet of {@link #OPENING} GEM and no quest. */
  static Purchase withWallet(CheckContext ctx) {
    String player = Names.id(ctx, "buyer");
    Wallet wallet = payment(ctx).ok("create_wallet", CreateWalletRequest.newBuilder().setOwnerId(player)
        .addInitialBalances(gems(OPENING)).build());
    return new Purchase(ctx, player, wallet.getWalletId(), "");
  }

  /** As {@link #withWallet}, with a newly defined quest, accepted by the player when {@code accepted}. */
  static Purchase withQuest(CheckContext ctx, boolean accepted) {
    Purchase p = withWallet(ctx);
    String quest = Names.id(ctx, "q");
    quests(ctx).ok("define_quest", DefineQuestRequest.newBuilder().setQuestId(quest).setTitle("Arms dealer")
        .addObjectives(Objective.newBuilder().setObjectiveId("buy").setTargetCount(5)).build());
    if (accepted) {
      quests(ctx).ok("accept", AcceptRequest.newBuilder().setPlayerId(p.playerId()).setQuestId(quest).build());
    }
    return new Purchase(ctx, p.playerId(), p.walletId(), quest);
  }

  static Rpc payment(CheckContext ctx) {
    return Rpc.of(ctx, "payment");
  }

  static Rpc quests(CheckContext ctx) {
    return Rpc.of(ctx, "quest_system");
  }

  static Money gems(long amount) {
    return Money.newBuilder().setCurrency(CURRENCY).setMinorUnits(amount).build();
  }

  PurchaseItemInput input(long price) {
    PurchaseItemInput.Builder input = PurchaseItemInput.newBuilder().setPlayerId(playerId).setWalletId(walletId)
        .setItemId("iron-sword").setPrice(gems(price));
    if (!questId.isEmpty()) {
      input.setQuestId(questId).setObjectiveId("buy");
    }
    return input.build();
  }

  StartWorkflowRequest start(long price, boolean wait) {
    return StartWorkflowRequest.newBuilder().setKind(WorkflowKind.PURCHASE_ITEM).setPurchaseItem(input(price))
        .setWaitForCompletion(wait).build();
  }

  /** The wallet's GEM balance. */
  long balance() {
    Wallet wallet = payment(ctx).ok("get_balance", GetBalanceRequest.newBuilder().setWalletId(walletId).build());
    return wallet.getBalancesList().stream().filter(m -> m.getCurrency().equals(CURRENCY))
        .mapToLong(Money::getMinorUnits).sum();
  }

  /** The player's progress on the quest's objective. */
  int questProgress() {
    GetPlayerQuestsResponse all = quests(ctx).ok("get_player_quests", GetPlayerQuestsRequest.newBuilder()
        .setPlayerId(playerId).build());
    PlayerQuest quest = all.getQuestsList().stream().filter(q -> q.getQuestId().equals(questId)).findFirst()
        .orElseThrow(() -> new AssertionError("quest " + questId + " is not listed for " + playerId));
    return quest.getProgress(0).getCurrentCount();
  }

  /** The documented workflow id of a start with {@code idempotencyKey}. */
  static String workflowId(String idempotencyKey) {
    return Names.derived("wf-", 16, WorkflowKind.PURCHASE_ITEM.name(), idempotencyKey);
  }
}
