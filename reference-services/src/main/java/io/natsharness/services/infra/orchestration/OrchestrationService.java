package io.natsharness.services.infra.orchestration;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.common.v1.RecordMeta;
import io.natsharness.proto.infra.orchestration.v1.CancelWorkflowRequest;
import io.natsharness.proto.infra.orchestration.v1.GetWorkflowRequest;
import io.natsharness.proto.infra.orchestration.v1.PurchaseItemInput;
import io.natsharness.proto.infra.orchestration.v1.StartWorkflowRequest;
import io.natsharness.proto.infra.orchestration.v1.Workflow;
import io.natsharness.proto.infra.orchestration.v1.WorkflowKind;
import io.natsharness.proto.infra.orchestration.v1.WorkflowStarted;
import io.natsharness.proto.infra.orchestration.v1.WorkflowStatus;
import io.natsharness.sdk.client.RetryPolicy;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.CommittedEvents;
import io.natsharness.services.support.Idempotency;
import io.natsharness.services.support.Ids;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.ServiceLifecycle;
import io.natsharness.services.support.Validation;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sagas over other services (PURCHASE_ITEM: payment.charge, then the quest reward; refund on a
 * failure or a cancel). Workflows live in Redis and run in the background under a lease; a
 * restarted instance (or any other instance) resumes those left running.
 *
 * <pre>{@code
 * OrchestrationService orchestration = new OrchestrationService(ctx);
 * ServiceHost.builder().connection(nats).add(orchestration).build().start();
 * orchestration.start(); // resumes workflows left running
 * }</pre>
 */
public final class OrchestrationService implements NatsService, ServiceLifecycle {

  static final long MAX_MINOR_UNITS = 1_000_000_000_000_000L;
  static final Duration RESUME_EVERY = Duration.ofSeconds(2);
  static final Duration WAIT_MARGIN = Duration.ofMillis(250);
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3,8}");
  private static final Set<WorkflowStatus> FINAL = Set.of(WorkflowStatus.WORKFLOW_COMPLETED,
      WorkflowStatus.WORKFLOW_COMPENSATED, WorkflowStatus.WORKFLOW_CANCELLED, WorkflowStatus.WORKFLOW_FAILED);
  private static final Logger LOG = LoggerFactory.getLogger(OrchestrationService.class);

  private final ServiceContext ctx;
  private final WorkflowStore store;
  private final RpcClient steps;
  private final WorkflowRunner runner;
  private ScheduledExecutorService resumer;

  public OrchestrationService(ServiceContext ctx) {
    this(ctx, Duration.ofMillis(200));
  }

  /** With the pause before a step's second attempt (doubling after); tests shorten it. */
  OrchestrationService(ServiceContext ctx, Duration retryBackoff) {
    this.ctx = ctx;
    this.store = new WorkflowStore(ctx);
    // Our own client without its retries: a step's attempts are counted and recorded here.
    this.steps = RpcClient.builder().connection(ctx.nats()).retry(RetryPolicy.none()).build();
    this.runner = new WorkflowRunner(ctx, store, steps, retryBackoff);
  }

  @Override
  public String name() {
    return "orchestration";
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints
        .unary("start_workflow", this::startWorkflow)
        .unary("get_workflow", this::getWorkflow)
        .unary("cancel_workflow", this::cancelWorkflow);
  }

  @Override
  public synchronized void start() {
    if (resumer == null) {
      resumer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "nh-workflow-resume");
        t.setDaemon(true);
        return t;
      });
      resumer.scheduleWithFixedDelay(this::resumeQuietly, 0, RESUME_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized void close() {
    if (resumer != null) {
      resumer.shutdownNow();
      resumer = null;
    }
    runner.close();
    steps.close();
  }

  Workflow startWorkflow(StartWorkflowRequest request, CallContext call) {
    String key = Idempotency.requireKey(call);
    WorkflowKind kind = Validation.specified(request.getKind(), "kind");
    validatePurchaseItem(request);
    String id = Ids.derived("wf-", 16, kind.name(), key);
    Timestamp now = Timestamps.fromMillis(ctx.clock().millis());
    Workflow workflow = Workflow.newBuilder()
        .setWorkflowId(id)
        .setKind(kind)
        .setPurchaseItem(request.getPurchaseItem())
        .setStatus(WorkflowStatus.WORKFLOW_RUNNING)
        .addAllSteps(PurchaseItemPlan.plannedSteps(id))
        .setMeta(RecordMeta.newBuilder().setCreatedAt(now).setUpdatedAt(now).setVersion(1))
        .build();
    if (store.create(workflow)) {
      CommittedEvents.publish(ctx, "evt.infra.orchestration.v1.workflow_started",
          WorkflowStarted.newBuilder().setWorkflowId(id).setKind(kind).build(), id + ":workflow_started");
      // Continue the caller's trace in the background, but not its deadline: the workflow outlives it.
      runner.submit(id, Context.root().with(Span.fromContext(Context.current())));
    }
    if (request.getWaitForCompletion()) {
      return awaitFinal(id, call);
    }
    return store.get(id).orElseThrow(() -> RpcException.internal("workflow " + id + " vanished"));
  }

  Workflow getWorkflow(GetWorkflowRequest request, CallContext call) {
    String id = Validation.nonEmpty(request.getWorkflowId(), "workflow_id");
    return store.get(id).orElseThrow(() -> RpcException.notFound("workflow " + id + " does not exist"));
  }

  Workflow cancelWorkflow(CancelWorkflowRequest request, CallContext call) {
    String id = Validation.nonEmpty(request.getWorkflowId(), "workflow_id");
    Validation.maxLength(request.getReason(), 500, "reason");
    Workflow updated = store.update(id, w -> {
      if (w.getStatus() == WorkflowStatus.WORKFLOW_CANCELLED || w.getCancelRequested()) {
        return w; // already being cancelled, or ended cancelled: unchanged
      }
      if (FINAL.contains(w.getStatus())) {
        throw RpcException.failedPrecondition("WORKFLOW_ENDED",
            "workflow " + id + " has already ended with status " + w.getStatus().name());
      }
      if (w.getStatus() == WorkflowStatus.WORKFLOW_COMPENSATING) {
        throw RpcException.failedPrecondition("WORKFLOW_COMPENSATING",
            "workflow " + id + " is compensating after step " + w.getFailedStep() + " failed");
      }
      return w.toBuilder().setCancelRequested(true).setCancelReason(request.getReason()).build();
    });
    runner.submit(id, Context.root().with(Span.fromContext(Context.current())));
    return updated;
  }

  private Workflow awaitFinal(String id, CallContext call) {
    long pause = 10;
    while (true) {
      Workflow current = store.get(id).orElseThrow(() -> RpcException.internal("workflow " + id + " vanished"));
      if (FINAL.contains(current.getStatus()) || call.remaining().compareTo(WAIT_MARGIN) <= 0) {
        return current;
      }
      try {
        Thread.sleep(Math.min(pause, Math.max(1, call.remaining().minus(WAIT_MARGIN).toMillis())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return current;
      }
      pause = Math.min(pause * 2, 100);
    }
  }

  private static void validatePurchaseItem(StartWorkflowRequest request) {
    Validation.require(request.getInputCase() == StartWorkflowRequest.InputCase.PURCHASE_ITEM, "purchase_item",
        "must be set for kind PURCHASE_ITEM");
    PurchaseItemInput input = request.getPurchaseItem();
    Validation.nonEmpty(input.getPlayerId(), "purchase_item.player_id");
    Validation.nonEmpty(input.getWalletId(), "purchase_item.wallet_id");
    Validation.nonEmpty(input.getItemId(), "purchase_item.item_id");
    Validation.require(input.hasPrice(), "purchase_item.price", "must be set");
    Money price = input.getPrice();
    Validation.require(!price.getCurrency().isEmpty(), "purchase_item.price.currency", "must not be empty");
    Validation.matches(price.getCurrency(), CURRENCY, "purchase_item.price.currency");
    Validation.inRange(price.getMinorUnits(), 1, MAX_MINOR_UNITS, "purchase_item.price.minor_units");
    Validation.require(input.getQuestId().isEmpty() == input.getObjectiveId().isEmpty(), "purchase_item.objective_id",
        "quest_id and objective_id must be given together");
  }

  private void resumeQuietly() {
    try {
      runner.resumeAll();
    } catch (RuntimeException e) {
      LOG.warn("resuming workflows failed; retrying in {}", RESUME_EVERY, e);
    }
  }
}
