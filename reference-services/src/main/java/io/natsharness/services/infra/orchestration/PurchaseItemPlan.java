package io.natsharness.services.infra.orchestration;

import com.google.protobuf.Message;
import io.natsharness.proto.common.v1.ResourceRef;
import io.natsharness.proto.game.quests.v1.ReportProgressRequest;
import io.natsharness.proto.game.quests.v1.ReportProgressResponse;
import io.natsharness.proto.infra.orchestration.v1.PurchaseItemInput;
import io.natsharness.proto.infra.orchestration.v1.Step;
import io.natsharness.proto.infra.orchestration.v1.StepStatus;
import io.natsharness.proto.infra.orchestration.v1.Workflow;
import io.natsharness.proto.util.payment.v1.ChargeRequest;
import io.natsharness.proto.util.payment.v1.RefundRequest;
import io.natsharness.proto.util.payment.v1.Transaction;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The plan of PURCHASE_ITEM: {@code charge} (payment.charge of the price, compensated by
 * {@code refund_charge} = payment.refund of the whole charge), then {@code quest_reward}
 * (quest_system.report_progress of 1, skipped when no quest is given).
 */
final class PurchaseItemPlan {

  static final String CHARGE = "charge";
  static final String QUEST_REWARD = "quest_reward";
  static final String REFUND_CHARGE = "refund_charge";
  static final String CHARGE_SUBJECT = "svc.util.payment.v1.charge";
  static final String REPORT_PROGRESS_SUBJECT = "svc.game.quests.v1.report_progress";
  static final String REFUND_SUBJECT = "svc.util.payment.v1.refund";

  private PurchaseItemPlan() {}

  /** The forward steps, every one pending. */
  static List<Step> plannedSteps(String workflowId) {
    return List.of(step(workflowId, CHARGE, CHARGE_SUBJECT, ""),
        step(workflowId, QUEST_REWARD, REPORT_PROGRESS_SUBJECT, ""));
  }

  /** The compensation of a forward step, if it has one. */
  static Optional<Step> compensationOf(String workflowId, String stepName) {
    return stepName.equals(CHARGE)
        ? Optional.of(step(workflowId, REFUND_CHARGE, REFUND_SUBJECT, CHARGE))
        : Optional.empty();
  }

  /** Whether the input makes a step unnecessary. */
  static boolean skips(Workflow workflow, String stepName) {
    return stepName.equals(QUEST_REWARD) && workflow.getPurchaseItem().getQuestId().isEmpty();
  }

  /** The request of a step, from the input and the outputs of the steps before it. */
  static Message request(Workflow workflow, String stepName) {
    PurchaseItemInput input = workflow.getPurchaseItem();
    return switch (stepName) {
      case CHARGE -> ChargeRequest.newBuilder()
          .setWalletId(input.getWalletId())
          .setAmount(input.getPrice())
          .setReason("purchase_item " + input.getItemId())
          .setReference(ResourceRef.newBuilder().setKind("item").setId(input.getItemId()))
          .build();
      case QUEST_REWARD -> ReportProgressRequest.newBuilder()
          .setPlayerId(input.getPlayerId())
          .setQuestId(input.getQuestId())
          .setObjectiveId(input.getObjectiveId())
          .setAmount(1)
          .build();
      case REFUND_CHARGE -> RefundRequest.newBuilder()
          .setChargeId(output(workflow, CHARGE, "charge_id"))
          .setReason("compensation of " + workflow.getWorkflowId())
          .build();
      default -> throw new IllegalArgumentException("PURCHASE_ITEM has no step " + stepName);
    };
  }

  /** What a step's answer contributes to later steps. */
  static Map<String, String> output(String stepName, Message response) {
    return switch (stepName) {
      case CHARGE -> Map.of("charge_id", ((Transaction) response).getTransactionId());
      case REFUND_CHARGE -> Map.of("refund_id", ((Transaction) response).getTransactionId());
      case QUEST_REWARD -> Map.of("completed_now", Boolean.toString(((ReportProgressResponse) response).getCompletedNow()));
      default -> Map.of();
    };
  }

  private static String output(Workflow workflow, String stepName, String key) {
    return workflow.getStepsList().stream()
        .filter(s -> s.getName().equals(stepName) && s.getCompensates().isEmpty())
        .map(s -> s.getOutputMap().getOrDefault(key, ""))
        .findFirst().orElse("");
  }

  private static Step step(String workflowId, String name, String subject, String compensates) {
    return Step.newBuilder()
        .setName(name)
        .setSubject(subject)
        .setStatus(StepStatus.STEP_PENDING)
        .setIdempotencyKey(workflowId + ":" + name)
        .setCompensates(compensates)
        .build();
  }
}
