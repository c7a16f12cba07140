package io.natsharness.services.infra.orchestration;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Timestamps;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.natsharness.proto.infra.orchestration.v1.Workflow;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.ServiceContext;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Workflows in Redis: one hash per workflow ({@code v} = meta.version, {@code data} = the
 * Workflow), written with compare-and-set on the version, so the runner and a cancel never lose
 * each other's change; the set of running workflows (what a restarted instance resumes); and a
 * lease per workflow, so exactly one instance runs it at a time.
 */
final class WorkflowStore {

  static final Duration LEASE = Duration.ofSeconds(30);
  private static final String SERVICE = "orchestration";
  private static final String CREATE =
      "if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end "
      + "redis.call('HSET', KEYS[1], 'v', ARGV[1], 'data', ARGV[2]) redis.call('SADD', KEYS[2], ARGV[3]) return 1";
  private static final String CAS =
      "if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end "
      + "redis.call('HSET', KEYS[1], 'v', ARGV[2], 'data', ARGV[3]) return 1";
  private static final String RENEW =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";
  private static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

  private final ServiceContext ctx;

  WorkflowStore(ServiceContext ctx) {
    this.ctx = ctx;
  }

  private RedisCommands<String, String> redis() {
    return ctx.redis().sync();
  }

  private String key(String workflowId) {
    return ctx.key(SERVICE, "wf", workflowId);
  }

  private String runningKey() {
    return ctx.key(SERVICE, "running");
  }

  /** Records a new workflow (version 1) and marks it running; false when the id exists. */
  boolean create(Workflow workflow) {
    Long created = redis().eval(CREATE, ScriptOutputType.INTEGER, new String[] {key(workflow.getWorkflowId()), runningKey()},
        Long.toString(workflow.getMeta().getVersion()), encode(workflow), workflow.getWorkflowId());
    return created != null && created == 1L;
  }

  Optional<Workflow> get(String workflowId) {
    String data = redis().hget(key(workflowId), "data");
    if (data == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Workflow.parseFrom(Base64.getDecoder().decode(data)));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      throw RpcException.dataLoss("the record of workflow " + workflowId + " is unreadable");
    }
  }

  /**
   * Applies {@code change} to the latest record and writes it with the next version, again on the
   * then-latest record when another writer came first. {@code change} may throw to refuse.
   *
   * @return the record as written (or unchanged when {@code change} returned the same workflow)
   */
  Workflow update(String workflowId, UnaryOperator<Workflow> change) {
    for (int attempt = 0; attempt < 100; attempt++) {
      Workflow current = get(workflowId)
          .orElseThrow(() -> RpcException.notFound("workflow " + workflowId + " does not exist"));
      Workflow changed = change.apply(current);
      if (changed.equals(current)) {
        return current;
      }
      long version = current.getMeta().getVersion();
      Workflow next = changed.toBuilder().setMeta(changed.getMeta().toBuilder()
          .setVersion(version + 1).setUpdatedAt(Timestamps.fromMillis(ctx.clock().millis()))).build();
      Long written = redis().eval(CAS, ScriptOutputType.INTEGER, new String[] {key(workflowId)},
          Long.toString(version), Long.toString(version + 1), encode(next));
      if (written != null && written == 1L) {
        return next;
      }
    }
    throw RpcException.aborted("workflow " + workflowId + " changed too often to update");
  }

  Set<String> running() {
    return redis().smembers(runningKey());
  }

  void markFinished(String workflowId) {
    redis().srem(runningKey(), workflowId);
  }

  /** Takes the workflow's lease for {@code owner}; false when another instance holds it. */
  boolean lease(String workflowId, String owner) {
    return "OK".equals(redis().set(ctx.key(SERVICE, "lease", workflowId), owner,
        SetArgs.Builder.nx().px(LEASE.toMillis())));
  }

  /** Extends a lease still held by {@code owner}; false when it was lost. */
  boolean renew(String workflowId, String owner) {
    Long renewed = redis().eval(RENEW, ScriptOutputType.INTEGER, new String[] {ctx.key(SERVICE, "lease", workflowId)},
        owner, Long.toString(LEASE.toMillis()));
    return renewed != null && renewed == 1L;
  }

  void release(String workflowId, String owner) {
    redis().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {ctx.key(SERVICE, "lease", workflowId)}, owner);
  }

  private static String encode(Workflow workflow) {
    return Base64.getEncoder().encodeToString(workflow.toByteArray());
  }
}
