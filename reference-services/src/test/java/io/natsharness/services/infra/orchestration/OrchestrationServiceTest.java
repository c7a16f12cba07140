package io.natsharness.services.infra.orchestration;

import static io.natsharness.services.testing.RpcAssertions.assertInvalid;
import static io.natsharness.services.testing.RpcAssertions.assertRpcError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Timestamps;
import com.google.rpc.Code;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.common.v1.RecordMeta;
import io.natsharness.proto.game.quests.v1.AcceptRequest;
import io.natsharness.proto.game.quests.v1.DefineQuestRequest;
import io.natsharness.proto.game.quests.v1.GetPlayerQuestsRequest;
import io.natsharness.proto.game.quests.v1.GetPlayerQuestsResponse;
import io.natsharness.proto.game.quests.v1.Objective;
import io.natsharness.proto.game.quests.v1.QuestState;
import io.natsharness.proto.infra.orchestration.v1.CancelWorkflowRequest;
import io.natsharness.proto.infra.orchestration.v1.GetWorkflowRequest;
import io.natsharness.proto.infra.orchestration.v1.PurchaseItemInput;
import io.natsharness.proto.infra.orchestration.v1.StartWorkflowRequest;
import io.natsharness.proto.infra.orchestration.v1.Step;
import io.natsharness.proto.infra.orchestration.v1.StepStatus;
import io.natsharness.proto.infra.orchestration.v1.Workflow;
import io.natsharness.proto.infra.orchestration.v1.WorkflowFinished;
import io.natsharness.proto.infra.orchestration.v1.WorkflowKind;
import io.natsharness.proto.infra.orchestration.v1.WorkflowStatus;
import io.natsharness.proto.util.payment.v1.ChargeRequest;
import io.natsharness.proto.util.payment.v1.CreateWalletRequest;
import io.natsharness.proto.util.payment.v1.GetBalanceRequest;
import io.natsharness.proto.util.payment.v1.Transaction;
import io.natsharness.proto.util.payment.v1.Wallet;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.services.host.ReferenceHost;
import io.natsharness.services.support.Ids;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.testing.RawNats;
import io.natsharness.services.testing.StoredEvents;
import io.natsharness.services.testing.TestHosts;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The purchase_item saga against the real payment and quest_system services. */
@NatsHarnessTest
@DisplayName("orchestration")
class OrchestrationServiceTest {

  private static final String SERVICES = "orchestration,payment,quest_system";
  private static final String QUEST = "orc-quest";
  private static ReferenceHost host;

  @BeforeAll
  static void setUp(HarnessRuntimeInfo info, RpcClient client) {
    host = TestHosts.start(info, SERVICES);
    client.call("svc.game.quests.v1.define_quest", DefineQuestRequest.newBuilder().setQuestId(QUEST)
        .setTitle("Buy a sword").addObjectives(Objective.newBuilder().setObjectiveId("buy").setTargetCount(1)).build());
  }

  @AfterAll
  static void stopHost() {
    host.close();
  }

  private static Money eur(long minor) {
    return Money.newBuilder().setCurrency("EUR").setMinorUnits(minor).build();
  }

  private static String wallet(RpcClient client, long balance) {
    Wallet wallet = client.call("svc.util.payment.v1.create_wallet", CreateWalletRequest.newBuilder()
        .setOwnerId("owner-" + UUID.randomUUID()).addInitialBalances(eur(balance)).build());
    return wallet.getWalletId();
  }

  private static long balance(RpcClient client, String walletId) {
    Wallet wallet = client.call("svc.util.payment.v1.get_balance", GetBalanceRequest.newBuilder().setWalletId(walletId).build());
    return wallet.getBalancesList().stream().filter(m -> m.getCurrency().equals("EUR")).findFirst().orElseThrow().getMinorUnits();
  }

  private static void accept(RpcClient client, String player) {
    client.call("svc.game.quests.v1.accept", AcceptRequest.newBuilder().setPlayerId(player).setQuestId(QUEST).build(),
        CallOptions.builder().idempotencyKey("accept-" + player).build());
  }

  private static PurchaseItemInput.Builder purchase(String walletId, String player, long price) {
    return PurchaseItemInput.newBuilder().setPlayerId(player).setWalletId(walletId).setItemId("iron-sword")
        .setPrice(eur(price));
  }

  private static Workflow start(RpcClient client, PurchaseItemInput.Builder input, String key, boolean wait) {
    return client.call("svc.infra.orchestration.v1.start_workflow", StartWorkflowRequest.newBuilder()
        .setKind(WorkflowKind.PURCHASE_ITEM).setPurchaseItem(input).setWaitForCompletion(wait).build(),
        CallOptions.builder().idempotencyKey(key).timeout(Duration.ofSeconds(20)).build());
  }

  private static Workflow get(RpcClient client, String id) {
    return client.call("svc.infra.orchestration.v1.get_workflow", GetWorkflowRequest.newBuilder().setWorkflowId(id).build());
  }

  private static Step step(Workflow wf, String name) {
    return WorkflowRunner.find(wf, name).orElseThrow(() -> new AssertionError("no step " + name + " in " + wf));
  }

  @Nested
  @DisplayName("purchase_item")
  class PurchaseItem {

    @Test
    @DisplayName("charges, credits the quest and completes, publishing started and finished")
    void completes(RpcClient client, JetStreamManagement jsm) {
      String walletId = wallet(client, 1000);
      accept(client, "p-complete");
      String key = UUID.randomUUID().toString();
      Workflow wf = start(client, purchase(walletId, "p-complete", 300).setQuestId(QUEST).setObjectiveId("buy"), key, true);
      assertThat(wf.getWorkflowId()).isEqualTo(Ids.derived("wf-", 16, "PURCHASE_ITEM", key));
      assertThat(wf.getStatus()).isEqualTo(WorkflowStatus.WORKFLOW_COMPLETED);
      assertThat(wf.hasFinishedAt()).isTrue();
      Step charge = step(wf, "charge");
      assertThat(charge.getStatus()).isEqualTo(StepStatus.STEP_SUCCEEDED);
      assertThat(charge.getIdempotencyKey()).isEqualTo(wf.getWorkflowId() + ":charge");
      assertThat(charge.getOutputMap()).containsKey("charge_id");
      assertThat(step(wf, "quest_reward").getStatus()).isEqualTo(StepStatus.STEP_SUCCEEDED);
      assertThat(balance(client, walletId)).isEqualTo(700);
      GetPlayerQuestsResponse quests = client.call("svc.game.quests.v1.get_player_quests",
          GetPlayerQuestsRequest.newBuilder().setPlayerId("p-complete").addStates(QuestState.COMPLETED).build());
      assertThat(quests.getQuestsList()).hasSize(1);
      assertThat(StoredEvents.ids(jsm, "EVT_INFRA", "evt.infra.orchestration.v1.*"))
          .contains(wf.getWorkflowId() + ":workflow_started", wf.getWorkflowId() + ":workflow_finished");
      assertThat(StoredEvents.withId(jsm, "EVT_INFRA", "evt.infra.orchestration.v1.workflow_finished",
          wf.getWorkflowId() + ":workflow_finished", WorkflowFinished.parser()))
          .extracting(WorkflowFinished::getStatus).containsExactly(WorkflowStatus.WORKFLOW_COMPLETED);
    }

    @Test
    @DisplayName("a repeat with the same Idempotency-Key returns the same workflow and charges nothing more")
    void repeat(RpcClient client) {
      String walletId = wallet(client, 1000);
      String key = UUID.randomUUID().toString();
      Workflow first = start(client, purchase(walletId, "p-repeat", 100), key, true);
      Workflow again = start(client, purchase(walletId, "p-repeat", 100), key, true);
      assertThat(again.getWorkflowId()).isEqualTo(first.getWorkflowId());
      assertThat(again.getMeta().getCreatedAt()).isEqualTo(first.getMeta().getCreatedAt());
      assertThat(balance(client, walletId)).isEqualTo(900);
    }

    @Test
    @DisplayName("without a quest skips the reward and completes")
    void skipsReward(RpcClient client) {
      Workflow wf = start(client, purchase(wallet(client, 500), "p-skip", 500), UUID.randomUUID().toString(), true);
      assertThat(wf.getStatus()).isEqualTo(WorkflowStatus.WORKFLOW_COMPLETED);
      assertThat(step(wf, "quest_reward").getStatus()).isEqualTo(StepStatus.STEP_SKIPPED);
    }

    @Test
    @DisplayName("a failed reward refunds the charge and ends COMPENSATED, the error recorded in the step")
    void compensates(RpcClient client) {
      String walletId = wallet(client, 1000);
      Workflow wf = start(client, purchase(walletId, "p-not-accepted", 250).setQuestId(QUEST).setObjectiveId("buy"),
          UUID.randomUUID().toString(), true);
      assertThat(wf.getStatus()).isEqualTo(WorkflowStatus.WORKFLOW_COMPENSATED);
      assertThat(wf.getFailedStep()).isEqualTo("quest_reward");
      Step reward = step(wf, "quest_reward");
      assertThat(reward.getStatus()).isEqualTo(StepStatus.STEP_FAILED);
      assertThat(reward.getErrorCode()).isEqualTo(Code.FAILED_PRECONDITION);
      assertThat(reward.getAttempts()).isEqualTo(1);
      Step refund = step(wf, "refund_charge");
      assertThat(refund.getStatus()).isEqualTo(StepStatus.STEP_SUCCEEDED);
      assertThat(refund.getCompensates()).isEqualTo("charge");
      assertThat(wf.getStepsList()).extracting(Step::getName).containsExactly("charge", "quest_reward", "refund_charge");
      assertThat(balance(client, walletId)).isEqualTo(1000);
    }

    @Test
    @DisplayName("insufficient funds fail the charge: COMPENSATED with nothing to undo")
    void insufficientFunds(RpcClient client) {
      String walletId = wallet(client, 10);
      Workflow wf = start(client, purchase(walletId, "p-poor", 11), UUID.randomUUID().toString(), true);
      assertThat(wf.getStatus()).isEqualTo(WorkflowStatus.WORKFLOW_COMPENSATED);
      assertThat(step(wf, "charge").getErrorCode()).isEqualTo(Code.FAILED_PRECONDITION);
      assertThat(step(wf, "quest_reward").getStatus()).isEqualTo(StepStatus.STEP_NOT_RUN);
      assertThat(balance(client, walletId)).isEqualTo(10);
    }

    @Test
    @DisplayName("without waiting answers RUNNING at once and finishes in the background")
    void background(RpcClient client) {
      Workflow wf = start(client, purchase(wallet(client, 100), "p-bg", 1), UUID.randomUUID().toString(), false);
      assertThat(wf.getStatus()).isIn(WorkflowStatus.WORKFLOW_RUNNING, WorkflowStatus.WORKFLOW_COMPLETED);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(get(client, wf.getWorkflowId()).getStatus()).isEqualTo(WorkflowStatus.WORKFLOW_COMPLETED));
    }
  }

  @Nested
  @DisplayName("validation")
  class Validation {

    @Test
    @DisplayName("needs an Idempotency-Key")
    void needsKey(Connection nats) {
      com.google.rpc.Status status = RawNats.error(nats, "svc.infra.orchestration.v1.start_workflow",
          StartWorkflowRequest.newBuilder().setKind(WorkflowKind.PURCHASE_ITEM).setPurchaseItem(purchase("w", "p", 1)).build());
      assertThat(status.getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
      assertThat(status.getMessage()).isEqualTo("Idempotency-Key: an Idempotency-Key header is required");
    }

    @Test
    @DisplayName("names the bad field of the input")
    void badInput(RpcClient client) {
      assertInvalid(() -> client.call("svc.infra.orchestration.v1.start_workflow", StartWorkflowRequest.newBuilder()
          .setPurchaseItem(purchase("w", "p", 1)).build(), CallOptions.builder().idempotencyKey("k").build()),
          "kind", "kind: must be specified");
      assertInvalid(() -> client.call("svc.infra.orchestration.v1.start_workflow", StartWorkflowRequest.newBuilder()
          .setKind(WorkflowKind.PURCHASE_ITEM).build(), CallOptions.builder().idempotencyKey("k").build()),
          "purchase_item", "purchase_item: must be set for kind PURCHASE_ITEM");
      assertInvalid(() -> start(client, purchase("w", "", 1), "k", false), "purchase_item.player_id",
          "purchase_item.player_id: must not be empty");
      assertInvalid(() -> start(client, purchase("w", "p", 0), "k", false), "purchase_item.price.minor_units",
          "purchase_item.price.minor_units: must be in [1, 1000000000000000]");
      assertInvalid(() -> start(client, purchase("w", "p", 1).setPrice(Money.newBuilder().setMinorUnits(5)), "k", false),
          "purchase_item.price.currency", "purchase_item.price.currency: must not be empty");
      assertInvalid(() -> start(client, purchase("w", "p", 1).setQuestId("q"), "k", false),
          "purchase_item.objective_id", "purchase_item.objective_id: quest_id and objective_id must be given together");
    }

    @Test
    @DisplayName("get and cancel name an empty workflow_id and answer NOT_FOUND for an unknown one")
    void getAndCancel(RpcClient client) {
      assertInvalid(() -> get(client, ""), "workflow_id", "workflow_id: must not be empty");
      assertRpcError(() -> get(client, "wf-0000"), Code.NOT_FOUND, "workflow wf-0000 does not exist");
      assertRpcError(() -> client.call("svc.infra.orchestration.v1.cancel_workflow",
          CancelWorkflowRequest.newBuilder().setWorkflowId("wf-0000").build()), Code.NOT_FOUND,
          "workflow wf-0000 does not exist");
      assertInvalid(() -> client.call("svc.infra.orchestration.v1.cancel_workflow", CancelWorkflowRequest.newBuilder()
          .setWorkflowId("wf-1").setReason("r".repeat(501)).build()), "reason", "reason: must be at most 500 characters");
    }
  }

  @Nested
  @DisplayName("cancel and restarts")
  class CancelAndRestart {

    /** A workflow as a crashed instance leaves it: recorded, charge done, reward not started. */
    private Workflow midFlight(RpcClient client, ServiceContext ctx, String walletId, String player, long price) {
      String id = "wf-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
      Transaction charge = client.call("svc.util.payment.v1.charge", ChargeRequest.newBuilder().setWalletId(walletId)
          .setAmount(eur(price)).setReason("purchase_item iron-sword").build(),
          CallOptions.builder().idempotencyKey(id + ":charge").build());
      Workflow wf = Workflow.newBuilder().setWorkflowId(id).setKind(WorkflowKind.PURCHASE_ITEM)
          .setPurchaseItem(purchase(walletId, player, price))
          .setStatus(WorkflowStatus.WORKFLOW_RUNNING)
          .addSteps(PurchaseItemPlan.plannedSteps(id).get(0).toBuilder().setStatus(StepStatus.STEP_SUCCEEDED)
              .setAttempts(1).putOutput("charge_id", charge.getTransactionId()))
          .addSteps(PurchaseItemPlan.plannedSteps(id).get(1))
          .setMeta(RecordMeta.newBuilder().setVersion(1).setCreatedAt(Timestamps.fromMillis(0)))
          .build();
      assertThat(new WorkflowStore(ctx).create(wf)).isTrue();
      return wf;
    }

    private CallContext call(String method) {
      return CallContext.builder().method(ServiceCatalog.load().method("svc.infra.orchestration.v1." + method)
          .orElseThrow()).timeout(Duration.ofSeconds(10)).build();
    }

    private ServiceContext context(Connection nats, StatefulRedisConnection<String, String> redis, HarnessRuntimeInfo info) {
      return ServiceContext.of(nats, redis, info.implementationEnvironment().get("NH_KEY_PREFIX"));
    }

    @Test
    @DisplayName("a cancel compensates what succeeded and ends CANCELLED; a second cancel changes nothing")
    void cancels(RpcClient client, Connection nats, RedisClient redisClient, HarnessRuntimeInfo info) {
      host.close(); // no instance may resume the record before the cancel: the one below has no resumer
      try (StatefulRedisConnection<String, String> redis = redisClient.connect();
          ReferenceHost payments = TestHosts.start(info, "payment,quest_system")) {
        ServiceContext ctx = context(nats, redis, info);
        String walletId = wallet(client, 1000);
        Workflow wf = midFlight(client, ctx, walletId, "p-cancel", 400);
        assertThat(balance(client, walletId)).isEqualTo(600);
        OrchestrationService orchestration = new OrchestrationService(ctx, Duration.ofMillis(20));
        try {
          Workflow cancelled = orchestration.cancelWorkflow(CancelWorkflowRequest.newBuilder()
              .setWorkflowId(wf.getWorkflowId()).setReason("changed my mind").build(), call("cancel_workflow"));
          assertThat(cancelled.getCancelRequested()).isTrue();
          assertThat(cancelled.getCancelReason()).isEqualTo("changed my mind");
          WorkflowStore store = new WorkflowStore(ctx);
          await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(store.get(wf.getWorkflowId()).orElseThrow()
              .getStatus()).isEqualTo(WorkflowStatus.WORKFLOW_CANCELLED));
          Workflow done = store.get(wf.getWorkflowId()).orElseThrow();
          assertThat(step(done, "quest_reward").getStatus()).isEqualTo(StepStatus.STEP_NOT_RUN);
          assertThat(step(done, "refund_charge").getStatus()).isEqualTo(StepStatus.STEP_SUCCEEDED);
          assertThat(done.getFailedStep()).isEmpty();
          assertThat(balance(client, walletId)).isEqualTo(1000);
          Workflow again = orchestration.cancelWorkflow(CancelWorkflowRequest.newBuilder()
              .setWorkflowId(wf.getWorkflowId()).build(), call("cancel_workflow"));
          assertThat(again).isEqualTo(done);
        } finally {
          orchestration.close();
        }
      } finally {
        host = TestHosts.start(info, SERVICES);
      }
    }

    @Test
    @DisplayName("cancelling a completed workflow is FAILED_PRECONDITION")
    void cancelCompleted(RpcClient client) {
      Workflow wf = start(client, purchase(wallet(client, 100), "p-done", 1), UUID.randomUUID().toString(), true);
      assertRpcError(() -> client.call("svc.infra.orchestration.v1.cancel_workflow",
          CancelWorkflowRequest.newBuilder().setWorkflowId(wf.getWorkflowId()).build()), Code.FAILED_PRECONDITION,
          "workflow " + wf.getWorkflowId() + " has already ended with status WORKFLOW_COMPLETED");
    }

    @Test
    @DisplayName("a workflow left running by a stopped instance is resumed by the next one, charging once")
    void resumes(RpcClient client, Connection nats, RedisClient redisClient, HarnessRuntimeInfo info) {
      host.close();
      try (StatefulRedisConnection<String, String> redis = redisClient.connect()) {
        String walletId;
        Workflow wf;
        try (ReferenceHost payments = TestHosts.start(info, "payment,quest_system")) {
          walletId = wallet(client, 1000);
          accept(client, "p-resume");
          wf = midFlight(client, context(nats, redis, info), walletId, "p-resume", 100);
        }
        // As if the crash came mid-charge: the step is marked running, the charge already made.
        new WorkflowStore(context(nats, redis, info)).update(wf.getWorkflowId(), w -> w.toBuilder()
            .setSteps(0, w.getSteps(0).toBuilder().setStatus(StepStatus.STEP_RUNNING).clearOutput())
            .setPurchaseItem(w.getPurchaseItem().toBuilder().setQuestId(QUEST).setObjectiveId("buy")).build());
        host = TestHosts.start(info, SERVICES);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
            assertThat(get(client, wf.getWorkflowId()).getStatus()).isEqualTo(WorkflowStatus.WORKFLOW_COMPLETED));
        Workflow done = get(client, wf.getWorkflowId());
        assertThat(step(done, "charge").getAttempts()).isEqualTo(2);
        assertThat(step(done, "charge").getOutputMap()).containsKey("charge_id");
        assertThat(balance(client, walletId)).isEqualTo(900);
      } finally {
        host.close();
        host = TestHosts.start(info, SERVICES);
      }
    }

    @Test
    @DisplayName("an unreachable step is tried 3 times, then the workflow is compensated")
    void unreachable(RpcClient client, HarnessRuntimeInfo info) {
      host.close();
      try (ReferenceHost alone = TestHosts.start(info, "orchestration")) {
        Workflow wf = start(client, purchase("wal-x", "p-alone", 5), UUID.randomUUID().toString(), true);
        assertThat(wf.getStatus()).isEqualTo(WorkflowStatus.WORKFLOW_COMPENSATED);
        Step charge = step(wf, "charge");
        assertThat(charge.getAttempts()).isEqualTo(3);
        assertThat(charge.getErrorCode()).isEqualTo(Code.UNAVAILABLE);
      } finally {
        host = TestHosts.start(info, SERVICES);
      }
    }

    @Test
    @DisplayName("finished workflows survive a restart of the host")
    void survivesRestart(RpcClient client, HarnessRuntimeInfo info) {
      Workflow wf = start(client, purchase(wallet(client, 100), "p-restart", 1), UUID.randomUUID().toString(), true);
      host.close();
      host = TestHosts.start(info, SERVICES);
      assertThat(get(client, wf.getWorkflowId())).isEqualTo(wf);
    }
  }
}
