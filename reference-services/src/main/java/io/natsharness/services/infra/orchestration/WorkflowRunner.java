package io.natsharness.services.infra.orchestration;

import com.google.protobuf.Message;
import com.google.protobuf.util.Timestamps;
import com.google.rpc.Code;
import io.natsharness.proto.infra.orchestration.v1.Step;
import io.natsharness.proto.infra.orchestration.v1.StepStatus;
import io.natsharness.proto.infra.orchestration.v1.Workflow;
import io.natsharness.proto.infra.orchestration.v1.WorkflowFinished;
import io.natsharness.proto.infra.orchestration.v1.WorkflowStatus;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.CommittedEvents;
import io.natsharness.services.support.ServiceContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs workflows in the background, one action at a time, each action written to Redis before
 * and after it, under the workflow's lease. Whatever stops it (a crash, a shutdown, a lost
 * lease), the next run (here or on another instance) continues from the record: a step that was
 * running runs again with the same Idempotency-Key, so its effect happens once.
 */
final class WorkflowRunner implements AutoCloseable {

  static final int STEP_ATTEMPTS = 3;
  static final int COMPENSATION_ATTEMPTS = 5;
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final Set<Code> TRANSIENT =
      Set.of(Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED, Code.ABORTED, Code.RESOURCE_EXHAUSTED);
  private static final Logger LOG = LoggerFactory.getLogger(WorkflowRunner.class);

  private final ServiceContext ctx;
  private final WorkflowStore store;
  private final RpcClient rpc;
  private final Duration backoff;
  private final ExecutorService executor;
  private final Set<String> active = ConcurrentHashMap.newKeySet();
  private final String instance = UUID.randomUUID().toString();
  private volatile boolean closing;

  WorkflowRunner(ServiceContext ctx, WorkflowStore store, RpcClient rpc, Duration backoff) {
    this.ctx = ctx;
    this.store = store;
    this.rpc = rpc;
    this.backoff = backoff;
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(8, r -> {
      Thread t = new Thread(r, "nh-workflow-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs the workflow in the background unless it runs already (here or elsewhere). */
  void submit(String workflowId, Context trace) {
    if (closing || active.contains(workflowId)) {
      return;
    }
    try {
      executor.execute(() -> run(workflowId, trace));
    } catch (RejectedExecutionException e) {
      LOG.debug("not running {}: the runner is closing", workflowId);
    }
  }

  /** Submits every workflow recorded as running: those a stopped instance left behind. */
  void resumeAll() {
    for (String id : store.running()) {
      submit(id, Context.root());
    }
  }

  @Override
  public void close() {
    closing = true;
    executor.shutdown();
    try {
      if (!executor.awaitTermination(CALL_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
  }

  private void run(String id, Context trace) {
    if (!active.add(id)) {
      return;
    }
    String owner = instance + ":" + UUID.randomUUID();
    try {
      if (!store.lease(id, owner)) {
        return;
      }
      try (Scope ignored = trace.makeCurrent()) {
        boolean more = true;
        while (more && !closing && store.renew(id, owner)) {
          Optional<Workflow> workflow = store.get(id);
          if (workflow.isEmpty()) {
            store.markFinished(id);
            return;
          }
          more = advance(workflow.get());
        }
      } finally {
        store.release(id, owner);
      }
    } catch (RuntimeException e) {
      LOG.error("workflow {} stopped on an unexpected error; it resumes on the next sweep", id, e);
    } finally {
      active.remove(id);
    }
  }

  /** Takes the next action of a workflow; false when there is nothing more to do. */
  private boolean advance(Workflow wf) {
    String id = wf.getWorkflowId();
    switch (wf.getStatus()) {
      case WORKFLOW_RUNNING -> {
        if (wf.getCancelRequested()) {
          store.update(id, w -> startCompensation(w, ""));
          return true;
        }
        Optional<Step> next = wf.getStepsList().stream()
            .filter(s -> s.getCompensates().isEmpty())
            .filter(s -> s.getStatus() == StepStatus.STEP_PENDING || s.getStatus() == StepStatus.STEP_RUNNING)
            .findFirst();
        if (next.isEmpty()) {
          // A cancel that arrived after the last step still compensates, as the cancel promised.
          store.update(id, w -> w.getCancelRequested()
              ? startCompensation(w, "") : finish(w, WorkflowStatus.WORKFLOW_COMPLETED));
          return true;
        }
        if (PurchaseItemPlan.skips(wf, next.get().getName())) {
          long now = ctx.clock().millis();
          store.update(id, w -> withStep(w, next.get().getName(), s -> s.toBuilder()
              .setStatus(StepStatus.STEP_SKIPPED).setStartedAt(Timestamps.fromMillis(now))
              .setFinishedAt(Timestamps.fromMillis(now)).build()));
          return true;
        }
        return runStep(wf, next.get(), STEP_ATTEMPTS);
      }
      case WORKFLOW_COMPENSATING -> {
        List<Step> forward = wf.getStepsList().stream()
            .filter(s -> s.getCompensates().isEmpty() && s.getStatus() == StepStatus.STEP_SUCCEEDED).toList();
        for (int i = forward.size() - 1; i >= 0; i--) {
          Optional<Step> planned = PurchaseItemPlan.compensationOf(id, forward.get(i).getName());
          if (planned.isEmpty()) {
            continue;
          }
          Optional<Step> existing = find(wf, planned.get().getName());
          if (existing.isEmpty()) {
            store.update(id, w -> find(w, planned.get().getName()).isPresent() ? w
                : w.toBuilder().addSteps(planned.get()).build());
            return true;
          }
          if (existing.get().getStatus() != StepStatus.STEP_SUCCEEDED) {
            return runStep(wf, existing.get(), COMPENSATION_ATTEMPTS);
          }
        }
        store.update(id, w -> finish(w, w.getFailedStep().isEmpty()
            ? WorkflowStatus.WORKFLOW_CANCELLED : WorkflowStatus.WORKFLOW_COMPENSATED));
        return true;
      }
      default -> {
        // Final: tell the world (again, if a crash came between the record and the event:
        // the event id makes the repeat a duplicate) and stop tracking it.
        CommittedEvents.publish(ctx, "evt.infra.orchestration.v1.workflow_finished", WorkflowFinished.newBuilder()
            .setWorkflowId(id).setKind(wf.getKind()).setStatus(wf.getStatus())
            .setFailedStep(wf.getStatus() == WorkflowStatus.WORKFLOW_COMPLETED
                || wf.getStatus() == WorkflowStatus.WORKFLOW_CANCELLED ? "" : wf.getFailedStep())
            .build(), id + ":workflow_finished");
        store.markFinished(id);
        return false;
      }
    }
  }

  /** One attempt of a step or compensation, recorded before and after. */
  private boolean runStep(Workflow wf, Step step, int maxAttempts) {
    String id = wf.getWorkflowId();
    String name = step.getName();
    long start = ctx.clock().millis();
    Workflow started = store.update(id, w -> withStep(w, name, s -> {
      Step.Builder b = s.toBuilder().setStatus(StepStatus.STEP_RUNNING).setAttempts(s.getAttempts() + 1);
      if (!s.hasStartedAt()) {
        b.setStartedAt(Timestamps.fromMillis(start));
      }
      return b.build();
    }));
    int attempts = find(started, name).map(Step::getAttempts).orElse(1);
    RpcException failure;
    try {
      Message response = rpc.call(step.getSubject(), PurchaseItemPlan.request(started, name),
          CallOptions.builder().idempotencyKey(step.getIdempotencyKey()).timeout(CALL_TIMEOUT).build());
      long done = ctx.clock().millis();
      store.update(id, w -> withStep(w, name, s -> s.toBuilder().setStatus(StepStatus.STEP_SUCCEEDED)
          .putAllOutput(PurchaseItemPlan.output(name, response)).setFinishedAt(Timestamps.fromMillis(done)).build()));
      return true;
    } catch (RpcException e) {
      failure = e;
    } catch (RuntimeException e) {
      LOG.error("step {} of workflow {} failed unexpectedly", name, id, e);
      failure = RpcException.internal("step failed unexpectedly: " + e.getClass().getSimpleName());
    }
    RpcException error = failure;
    boolean transientError = TRANSIENT.contains(error.code());
    if (transientError && closing) {
      return false; // shutting down: the step stays running and resumes elsewhere with the same key
    }
    if (transientError && attempts < maxAttempts) {
      store.update(id, w -> withStep(w, name, s -> s.toBuilder().setErrorCode(error.code())
          .setErrorMessage(error.statusMessage()).build()));
      sleep(backoff.multipliedBy(1L << Math.min(attempts - 1, 4)));
      return true;
    }
    long done = ctx.clock().millis();
    store.update(id, w -> {
      Workflow failed = withStep(w, name, s -> s.toBuilder().setStatus(StepStatus.STEP_FAILED)
          .setErrorCode(error.code()).setErrorMessage(error.statusMessage())
          .setFinishedAt(Timestamps.fromMillis(done)).build());
      return step.getCompensates().isEmpty()
          ? startCompensation(failed, name)
          : finish(failed, WorkflowStatus.WORKFLOW_FAILED);
    });
    return true;
  }

  private static Workflow startCompensation(Workflow w, String failedStep) {
    Workflow.Builder b = w.toBuilder().setStatus(WorkflowStatus.WORKFLOW_COMPENSATING).setFailedStep(failedStep);
    for (int i = 0; i < b.getStepsCount(); i++) {
      if (b.getSteps(i).getStatus() == StepStatus.STEP_PENDING) {
        b.setSteps(i, b.getSteps(i).toBuilder().setStatus(StepStatus.STEP_NOT_RUN));
      }
    }
    return b.build();
  }

  private Workflow finish(Workflow w, WorkflowStatus status) {
    return w.toBuilder().setStatus(status).setFinishedAt(Timestamps.fromMillis(ctx.clock().millis())).build();
  }

  static Optional<Step> find(Workflow w, String name) {
    return w.getStepsList().stream().filter(s -> s.getName().equals(name)).findFirst();
  }

  private static Workflow withStep(Workflow w, String name, UnaryOperator<Step> change) {
    Workflow.Builder b = w.toBuilder();
    for (int i = 0; i < b.getStepsCount(); i++) {
      if (b.getSteps(i).getName().equals(name)) {
        b.setSteps(i, change.apply(b.getSteps(i)));
      }
    }
    return b.build();
  }

  private void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closing = true;
    }
  }
}
