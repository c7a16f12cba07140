package io.natsharness.conformance.contract.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Breaker;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.HopSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.conformance.contract.kit.Trace;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.infra.orchestration.v1.CancelWorkflowRequest;
import io.natsharness.proto.infra.orchestration.v1.GetWorkflowRequest;
import io.natsharness.proto.infra.orchestration.v1.PurchaseItemInput;
import io.natsharness.proto.infra.orchestration.v1.StartWorkflowRequest;
import io.natsharness.proto.infra.orchestration.v1.Step;
import io.natsharness.proto.infra.orchestration.v1.StepStatus;
import io.natsharness.proto.infra.orchestration.v1.Workflow;
import io.natsharness.proto.infra.orchestration.v1.WorkflowFinished;
import io.natsharness.proto.infra.orchestration.v1.WorkflowKind;
import io.natsharness.proto.infra.orchestration.v1.WorkflowStarted;
import io.natsharness.proto.infra.orchestration.v1.WorkflowStatus;
import io.natsharness.sdk.status.WireHeaders;
import java.time.Duration;
import java.util.List;

/**
 * Contract checks of {@code orchestration}: the purchase_item saga over payment and quest_system,
 * its deterministic id, compensation in reverse order, idempotent starts and steps, events, and
 * the errors. The target must run payment and quest_system too.
 *
 * <pre>{@code
 * List<Check> checks = OrchestrationChecks.checks();
 * }</pre>
 */
public final class OrchestrationChecks {

  static final String SERVICE = "orchestration";

  private OrchestrationChecks() {}

  public static List<Check> checks() {
    return ContractChecks.forService(SERVICE)
        .behaviour("start_workflow", "purchase_completes", "purchase_item charges the price (step charge with its"
            + " charge_id), skips quest_reward without a quest, and ends WORKFLOW_COMPLETED under the id"
            + " wf- + 16 hex of SHA-256(kind \\n Idempotency-Key)", OrchestrationChecks::purchaseCompletes)
        .behaviour("start_workflow", "credits_quest", "with a quest, quest_reward reports 1 on its objective",
            OrchestrationChecks::creditsQuest)
        .behaviour("start_workflow", "compensates_failed_step", "a failed quest_reward is recorded and the charge"
            + " is refunded by refund_charge; the workflow ends WORKFLOW_COMPENSATED",
            OrchestrationChecks::compensates)
        .behaviour("start_workflow", "failed_first_step", "a charge refused for insufficient funds ends the"
            + " workflow WORKFLOW_COMPENSATED with nothing to refund and the later step not run",
            OrchestrationChecks::failedFirstStep)
        .behaviour("start_workflow", "idempotent_repeat", "a start repeated with the same Idempotency-Key returns"
            + " the same workflow and charges once", OrchestrationChecks::idempotentRepeat)
        .behaviour("start_workflow", "workflow_events", "a workflow publishes one workflow_started and one"
            + " workflow_finished event with its final status", OrchestrationChecks::events)
        .behaviour("start_workflow", "step_idempotency_key", "each step call carries the Idempotency-Key"
            + " <workflow_id>:<step name>", OrchestrationChecks::stepKeys)
        .behaviour("start_workflow", "trace_context_downstream", "the step calls continue the trace of the"
            + " start_workflow request", OrchestrationChecks::stepTrace)
        .error("start_workflow", "invalid_request", Code.INVALID_ARGUMENT, "a missing Idempotency-Key, an"
            + " unspecified kind, a missing input, an empty player, wallet or item, a bad price or only one of"
            + " quest_id and objective_id is INVALID_ARGUMENT", OrchestrationChecks::invalidStarts)
        .error("start_workflow", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a start past its"
            + " deadline is DEADLINE_EXCEEDED, records no workflow and charges nothing", ctx -> {
              Purchase p = Purchase.withWallet(ctx);
              String key = ctx.unique("wf");
              orchestration(ctx).call("start_workflow").idempotencyKey(key).expiredDeadline()
                  .fails(p.start(100, false), Code.DEADLINE_EXCEEDED);
              orchestration(ctx).fails("get_workflow", get(Purchase.workflowId(key)), Code.NOT_FOUND);
              assertThat(p.balance()).as("balance after the expired start").isEqualTo(Purchase.OPENING);
            })
        .error("get_workflow", "empty_id", Code.INVALID_ARGUMENT, "an empty workflow_id is INVALID_ARGUMENT",
            ctx -> orchestration(ctx).failsOn("get_workflow", get(""), "workflow_id"))
        .error("get_workflow", "unknown", Code.NOT_FOUND, "an unknown workflow_id is NOT_FOUND",
            ctx -> orchestration(ctx).fails("get_workflow", get(Purchase.workflowId(ctx.unique("none"))),
                Code.NOT_FOUND))
        .error("cancel_workflow", "ended_otherwise", Code.FAILED_PRECONDITION, "cancelling a completed or"
            + " compensated workflow is FAILED_PRECONDITION and changes nothing", OrchestrationChecks::cancelEnded)
        .error("cancel_workflow", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a cancel past its"
            + " deadline is DEADLINE_EXCEEDED and records no cancel request", ctx -> {
              Workflow done = completed(ctx, Purchase.withWallet(ctx), ctx.unique("wf"));
              orchestration(ctx).call("cancel_workflow").expiredDeadline().fails(CancelWorkflowRequest.newBuilder()
                  .setWorkflowId(done.getWorkflowId()).build(), Code.DEADLINE_EXCEEDED);
              assertThat(orchestration(ctx).<Workflow>ok("get_workflow", get(done.getWorkflowId())))
                  .as("the workflow after an expired cancel").isEqualTo(done);
            })
        .error("cancel_workflow", "unknown", Code.NOT_FOUND, "cancelling an unknown workflow_id is NOT_FOUND",
            ctx -> orchestration(ctx).fails("cancel_workflow", CancelWorkflowRequest.newBuilder()
                .setWorkflowId(Purchase.workflowId(ctx.unique("none"))).build(), Code.NOT_FOUND))
        .error("cancel_workflow", "invalid_request", Code.INVALID_ARGUMENT, "an empty workflow_id or a reason over"
            + " 500 characters is INVALID_ARGUMENT", ctx -> {
              Workflow done = completed(ctx, Purchase.withWallet(ctx), ctx.unique("wf"));
              orchestration(ctx).failsOn("cancel_workflow", CancelWorkflowRequest.getDefaultInstance(), "workflow_id");
              orchestration(ctx).failsOn("cancel_workflow", CancelWorkflowRequest.newBuilder()
                  .setWorkflowId(done.getWorkflowId()).setReason("r".repeat(501)).build(), "reason");
            })
        .build();
  }

  static Rpc orchestration(CheckContext ctx) {
    return Rpc.of(ctx, SERVICE);
  }

  private static GetWorkflowRequest get(String id) {
    return GetWorkflowRequest.newBuilder().setWorkflowId(id).build();
  }

  /** Starts a 300 GEM purchase, waiting for its end, and asserts it completed. */
  private static Workflow completed(CheckContext ctx, Purchase p, String key) {
    Workflow wf = orchestration(ctx).call("start_workflow").idempotencyKey(key).ok(p.start(300, true));
    assertThat(wf.getStatus()).as("status of a purchase the wallet can pay").isEqualTo(WorkflowStatus.WORKFLOW_COMPLETED);
    return wf;
  }

  private static Step step(Workflow wf, String name) {
    return wf.getStepsList().stream().filter(s -> s.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("workflow " + wf.getWorkflowId() + " has no step " + name + ": "
            + wf.getStepsList().stream().map(Step::getName).toList()));
  }

  private static void purchaseCompletes(CheckContext ctx) {
    Purchase p = Purchase.withWallet(ctx);
    String key = ctx.unique("wf");
    Workflow wf = completed(ctx, p, key);
    assertThat(wf.getWorkflowId()).as("workflow_id").isEqualTo(Purchase.workflowId(key));
    assertThat(wf.getKind()).as("kind").isEqualTo(WorkflowKind.PURCHASE_ITEM);
    assertThat(wf.getPurchaseItem()).as("input").isEqualTo(p.input(300));
    assertThat(wf.getStepsList()).extracting(Step::getName, Step::getStatus).as("steps")
        .containsExactly(tuple("charge", StepStatus.STEP_SUCCEEDED), tuple("quest_reward", StepStatus.STEP_SKIPPED));
    Step charge = step(wf, "charge");
    assertThat(charge.getSubject()).as("subject of charge").isEqualTo(Purchase.payment(ctx).method("charge").subject());
    assertThat(charge.getIdempotencyKey()).as("idempotency_key of charge").isEqualTo(wf.getWorkflowId() + ":charge");
    assertThat(charge.getOutputMap()).as("output of charge").containsKey("charge_id");
    assertThat(charge.getAttempts()).as("attempts of charge").isEqualTo(1);
    assertThat(wf.hasFinishedAt()).as("finished_at is set").isTrue();
    assertThat(p.balance()).as("balance after a 300 GEM purchase").isEqualTo(Purchase.OPENING - 300);
    assertThat(orchestration(ctx).<Workflow>ok("get_workflow", get(wf.getWorkflowId())))
        .as("get_workflow").isEqualTo(wf);
  }

  private static void creditsQuest(CheckContext ctx) {
    Purchase p = Purchase.withQuest(ctx, true);
    Workflow wf = completed(ctx, p, ctx.unique("wf"));
    assertThat(step(wf, "quest_reward").getStatus()).as("status of quest_reward").isEqualTo(StepStatus.STEP_SUCCEEDED);
    assertThat(step(wf, "quest_reward").getSubject()).as("subject of quest_reward")
        .isEqualTo(Purchase.quests(ctx).method("report_progress").subject());
    assertThat(p.questProgress()).as("progress of the quest's objective").isEqualTo(1);
  }

  private static void compensates(CheckContext ctx) {
    Purchase p = Purchase.withQuest(ctx, false);
    Workflow wf = orchestration(ctx).ok("start_workflow", p.start(300, true));
    assertThat(wf.getStatus()).as("status").isEqualTo(WorkflowStatus.WORKFLOW_COMPENSATED);
    assertThat(wf.getFailedStep()).as("failed_step").isEqualTo("quest_reward");
    assertThat(wf.getStepsList()).extracting(Step::getName, Step::getStatus, Step::getCompensates).as("steps")
        .containsExactly(tuple("charge", StepStatus.STEP_SUCCEEDED, ""),
            tuple("quest_reward", StepStatus.STEP_FAILED, ""),
            tuple("refund_charge", StepStatus.STEP_SUCCEEDED, "charge"));
    assertThat(step(wf, "quest_reward").getErrorCode()).as("error_code of quest_reward")
        .isEqualTo(Code.FAILED_PRECONDITION);
    assertThat(step(wf, "quest_reward").getErrorMessage()).as("error_message of quest_reward").isNotBlank();
    assertThat(step(wf, "refund_charge").getSubject()).as("subject of refund_charge")
        .isEqualTo(Purchase.payment(ctx).method("refund").subject());
    assertThat(p.balance()).as("balance after the refund").isEqualTo(Purchase.OPENING);
  }

  private static void failedFirstStep(CheckContext ctx) {
    Purchase p = Purchase.withQuest(ctx, true);
    Workflow wf = orchestration(ctx).ok("start_workflow", p.start(Purchase.OPENING + 1, true));
    assertThat(wf.getStatus()).as("status").isEqualTo(WorkflowStatus.WORKFLOW_COMPENSATED);
    assertThat(wf.getFailedStep()).as("failed_step").isEqualTo("charge");
    assertThat(wf.getStepsList()).extracting(Step::getName, Step::getStatus).as("steps")
        .containsExactly(tuple("charge", StepStatus.STEP_FAILED), tuple("quest_reward", StepStatus.STEP_NOT_RUN));
    assertThat(step(wf, "charge").getErrorCode()).as("error_code of charge").isEqualTo(Code.FAILED_PRECONDITION);
    assertThat(p.balance()).as("balance").isEqualTo(Purchase.OPENING);
    assertThat(p.questProgress()).as("quest progress").isZero();
  }

  private static void idempotentRepeat(CheckContext ctx) {
    Purchase p = Purchase.withWallet(ctx);
    String key = ctx.unique("wf");
    Workflow first = completed(ctx, p, key);
    Workflow again = orchestration(ctx).call("start_workflow").idempotencyKey(key).ok(p.start(300, true));
    assertThat(again.getWorkflowId()).as("workflow_id of the repeat").isEqualTo(first.getWorkflowId());
    assertThat(again.getStatus()).as("status of the repeat").isEqualTo(first.getStatus());
    assertThat(again.getStepsList()).as("steps of the repeat").isEqualTo(first.getStepsList());
    assertThat(p.balance()).as("balance after a purchase and its repeat").isEqualTo(Purchase.OPENING - 300);
  }

  private static void events(CheckContext ctx) {
    Purchase p = Purchase.withWallet(ctx);
    String key = ctx.unique("wf");
    String id = Purchase.workflowId(key);
    try (EventSpy<WorkflowStarted> started = EventSpy.on(ctx, SERVICE, "workflow_started");
        EventSpy<WorkflowFinished> finished = EventSpy.on(ctx, SERVICE, "workflow_finished")) {
      completed(ctx, p, key);
      assertThat(started.awaitOne(e -> e.getWorkflowId().equals(id)).getKind()).as("kind of workflow_started")
          .isEqualTo(WorkflowKind.PURCHASE_ITEM);
      WorkflowFinished end = finished.awaitOne(e -> e.getWorkflowId().equals(id));
      assertThat(end.getStatus()).as("status of workflow_finished").isEqualTo(WorkflowStatus.WORKFLOW_COMPLETED);
      assertThat(end.getFailedStep()).as("failed_step of workflow_finished").isEmpty();
    }
  }

  private static void stepKeys(CheckContext ctx) {
    Purchase p = Purchase.withQuest(ctx, true);
    String key = ctx.unique("wf");
    String id = Purchase.workflowId(key);
    try (HopSpy charges = HopSpy.on(ctx, Purchase.payment(ctx).method("charge").subject());
        HopSpy reports = HopSpy.on(ctx, Purchase.quests(ctx).method("report_progress").subject())) {
      completed(ctx, p, key);
      assertThat(keys(charges)).as("Idempotency-Key of the charge calls").containsOnly(id + ":charge");
      assertThat(keys(reports)).as("Idempotency-Key of the quest_reward calls").containsOnly(id + ":quest_reward");
    }
  }

  private static List<String> keys(HopSpy spy) {
    List<HopSpy.Hop> calls = spy.all(Duration.ofSeconds(3));
    assertThat(calls).as("calls seen").isNotEmpty();
    return calls.stream().map(h -> h.header(WireHeaders.IDEMPOTENCY_KEY).orElse("(no Idempotency-Key)")).distinct()
        .toList();
  }

  private static void stepTrace(CheckContext ctx) {
    Purchase p = Purchase.withWallet(ctx);
    Trace trace = Trace.random();
    try (HopSpy charges = HopSpy.on(ctx, Purchase.payment(ctx).method("charge").subject())) {
      Workflow wf = orchestration(ctx).call("start_workflow").header(WireHeaders.TRACEPARENT, trace.traceparent())
          .ok(p.start(300, true));
      assertThat(wf.getStatus()).as("status").isEqualTo(WorkflowStatus.WORKFLOW_COMPLETED);
      charges.assertTraceContinued(trace);
    }
  }

  private static void invalidStarts(CheckContext ctx) {
    Purchase p = Purchase.withWallet(ctx);
    StartWorkflowRequest valid = p.start(100, true);
    orchestration(ctx).call("start_workflow").withoutIdempotencyKey().fails(valid, Code.INVALID_ARGUMENT);
    PurchaseItemInput input = valid.getPurchaseItem();
    orchestration(ctx).failsOnEach("start_workflow", valid, List.<Breaker<StartWorkflowRequest.Builder>>of(
        Breaker.of("kind", b -> b.setKind(WorkflowKind.WORKFLOW_KIND_UNSPECIFIED)),
        Breaker.of("purchase_item.player_id", b -> b.setPurchaseItem(input.toBuilder().setPlayerId(""))),
        Breaker.of("purchase_item.wallet_id", b -> b.setPurchaseItem(input.toBuilder().setWalletId(""))),
        Breaker.of("purchase_item.item_id", b -> b.setPurchaseItem(input.toBuilder().setItemId(""))),
        Breaker.of("purchase_item.price", b -> b.setPurchaseItem(input.toBuilder().clearPrice())),
        Breaker.of("purchase_item.price", b -> b.setPurchaseItem(input.toBuilder()
            .setPrice(Money.newBuilder().setMinorUnits(100)))),
        Breaker.of("purchase_item.price", b -> b.setPurchaseItem(input.toBuilder().setPrice(Purchase.gems(0)))),
        Breaker.of("purchase_item.price", b -> b.setPurchaseItem(input.toBuilder()
            .setPrice(Purchase.gems(1_000_000_000_000_001L)))),
        Breaker.of("purchase_item", b -> b.setPurchaseItem(input.toBuilder().setQuestId(Names.id(ctx, "q"))))));
    orchestration(ctx).fails("start_workflow", valid.toBuilder().clearPurchaseItem().build(), Code.INVALID_ARGUMENT);
    assertThat(p.balance()).as("balance after refused starts").isEqualTo(Purchase.OPENING);
  }

  private static void cancelEnded(CheckContext ctx) {
    Workflow done = completed(ctx, Purchase.withWallet(ctx), ctx.unique("wf"));
    orchestration(ctx).fails("cancel_workflow", CancelWorkflowRequest.newBuilder().setWorkflowId(done.getWorkflowId())
        .setReason("changed my mind").build(), Code.FAILED_PRECONDITION);
    Workflow compensated = orchestration(ctx).ok("start_workflow", Purchase.withWallet(ctx).start(5000, true));
    assertThat(compensated.getStatus()).as("status of an unaffordable purchase")
        .isEqualTo(WorkflowStatus.WORKFLOW_COMPENSATED);
    orchestration(ctx).fails("cancel_workflow", CancelWorkflowRequest.newBuilder()
        .setWorkflowId(compensated.getWorkflowId()).build(), Code.FAILED_PRECONDITION);
    Workflow after = orchestration(ctx).ok("get_workflow", get(done.getWorkflowId()));
    assertThat(after.getCancelRequested()).as("cancel_requested after a refused cancel").isFalse();
    assertThat(after.getStatus()).as("status after a refused cancel").isEqualTo(WorkflowStatus.WORKFLOW_COMPLETED);
  }
}
