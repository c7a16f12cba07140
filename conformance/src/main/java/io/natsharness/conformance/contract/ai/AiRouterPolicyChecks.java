package io.natsharness.conformance.contract.ai;

import static io.natsharness.conformance.contract.ai.AiRouterChecks.register;
import static io.natsharness.conformance.contract.ai.AiRouterChecks.router;
import static io.natsharness.conformance.contract.ai.ModelManagementChecks.usd;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Breaker;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.proto.ai.models.v1.Model;
import io.natsharness.proto.ai.router.v1.GetPolicyRequest;
import io.natsharness.proto.ai.router.v1.PolicyUpdated;
import io.natsharness.proto.ai.router.v1.RouteRequest;
import io.natsharness.proto.ai.router.v1.RouteResponse;
import io.natsharness.proto.ai.router.v1.RoutingPolicy;
import io.natsharness.proto.ai.router.v1.SetPolicyRequest;
import java.util.List;

/**
 * The task policies of {@code ai_router}: set and get, compare-and-set on expected_version, the
 * policy_updated event, and how a policy merges into routing.
 *
 * <pre>{@code
 * ContractChecks checks = ContractChecks.forService("ai_router");
 * AiRouterPolicyChecks.add(checks);
 * }</pre>
 */
final class AiRouterPolicyChecks {

  private AiRouterPolicyChecks() {}

  static void add(ContractChecks checks) {
    checks
        .behaviour("set_policy", "creates_and_replaces", "set_policy stores the policy at meta.version 1, a"
            + " replacement bumps the version, and get_policy returns what was stored",
            AiRouterPolicyChecks::createsAndReplaces)
        .error("set_policy", "compare_and_set", Code.ABORTED, "with expected_version, 0 means no policy yet and n"
            + " means meta.version n; a mismatch is ABORTED and changes nothing", AiRouterPolicyChecks::compareAndSet)
        .behaviour("set_policy", "policy_updated_event", "set_policy publishes one policy_updated event with the"
            + " stored policy", AiRouterPolicyChecks::updatedEvent)
        .behaviour("set_policy", "merged_into_route", "a task's policy adds its capabilities and excluded models"
            + " to every route request of the task, and to no other task", AiRouterPolicyChecks::mergedIntoRoute)
        .error("set_policy", "invalid_fields", Code.INVALID_ARGUMENT, "a malformed task, an empty capability or"
            + " excluded model, a negative max_cost or latency budget are INVALID_ARGUMENT",
            AiRouterPolicyChecks::invalidFields)
        .error("set_policy", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a set_policy past its"
            + " deadline is DEADLINE_EXCEEDED and stores no policy", ctx -> {
              SetPolicyRequest request = policy(ctx).build();
              router(ctx).call("set_policy").expiredDeadline().fails(request, Code.DEADLINE_EXCEEDED);
              router(ctx).fails("get_policy", get(request.getTask()), Code.NOT_FOUND);
            })
        .error("get_policy", "empty_task", Code.INVALID_ARGUMENT, "an empty task is INVALID_ARGUMENT",
            ctx -> router(ctx).failsOn("get_policy", get(""), "task"))
        .error("get_policy", "unknown_task", Code.NOT_FOUND, "a task without a policy is NOT_FOUND",
            ctx -> router(ctx).fails("get_policy", get(Names.id(ctx, "task")), Code.NOT_FOUND));
  }

  private static SetPolicyRequest.Builder policy(CheckContext ctx) {
    return SetPolicyRequest.newBuilder().setTask(Names.id(ctx, "task")).addRequiredCapabilities("chat")
        .setMaxCost(usd(50)).setLatencyBudgetMs(1000).addExcludedModels("atlas-large");
  }

  private static GetPolicyRequest get(String task) {
    return GetPolicyRequest.newBuilder().setTask(task).build();
  }

  private static void createsAndReplaces(CheckContext ctx) {
    SetPolicyRequest request = policy(ctx).build();
    RoutingPolicy created = router(ctx).ok("set_policy", request);
    assertThat(created.getTask()).as("task").isEqualTo(request.getTask());
    assertThat(created.getRequiredCapabilitiesList()).as("required_capabilities").containsExactly("chat");
    assertThat(created.getMaxCost()).as("max_cost").isEqualTo(usd(50));
    assertThat(created.getLatencyBudgetMs()).as("latency_budget_ms").isEqualTo(1000);
    assertThat(created.getExcludedModelsList()).as("excluded_models").containsExactly("atlas-large");
    assertThat(created.getMeta().getVersion()).as("meta.version of a new policy").isEqualTo(1);
    assertThat(router(ctx).<RoutingPolicy>ok("get_policy", get(request.getTask()))).as("get_policy")
        .isEqualTo(created);
    RoutingPolicy replaced = router(ctx).ok("set_policy", request.toBuilder().clearExcludedModels().build());
    assertThat(replaced.getExcludedModelsList()).as("excluded_models after the replacement").isEmpty();
    assertThat(replaced.getMeta().getVersion()).as("meta.version after a replacement").isEqualTo(2);
  }

  private static void compareAndSet(CheckContext ctx) {
    SetPolicyRequest request = policy(ctx).build();
    RoutingPolicy created = router(ctx).ok("set_policy", request.toBuilder().setExpectedVersion(0).build());
    assertThat(created.getMeta().getVersion()).as("meta.version created with expected_version 0").isEqualTo(1);
    router(ctx).fails("set_policy", request.toBuilder().setExpectedVersion(0).build(), Code.ABORTED);
    RoutingPolicy second = router(ctx).ok("set_policy", request.toBuilder().setLatencyBudgetMs(700)
        .setExpectedVersion(1).build());
    assertThat(second.getMeta().getVersion()).as("meta.version after expected_version 1").isEqualTo(2);
    router(ctx).fails("set_policy", request.toBuilder().setLatencyBudgetMs(5).setExpectedVersion(1).build(),
        Code.ABORTED);
    router(ctx).fails("set_policy", request.toBuilder().setLatencyBudgetMs(5).setExpectedVersion(7).build(),
        Code.ABORTED);
    assertThat(router(ctx).<RoutingPolicy>ok("get_policy", get(request.getTask())))
        .as("the policy after refused writes").isEqualTo(second);
  }

  private static void updatedEvent(CheckContext ctx) {
    SetPolicyRequest request = policy(ctx).build();
    try (EventSpy<PolicyUpdated> events = EventSpy.on(ctx, AiRouterChecks.SERVICE, "policy_updated")) {
      RoutingPolicy stored = router(ctx).ok("set_policy", request);
      PolicyUpdated event = events.awaitOne(e -> e.getPolicy().getTask().equals(request.getTask()));
      assertThat(event.getPolicy()).as("policy in the event").isEqualTo(stored);
    }
  }

  private static void mergedIntoRoute(CheckContext ctx) {
    String capability = Names.token(ctx, "cap");
    String extra = Names.token(ctx, "extra");
    String base = Names.id(ctx, "pol");
    Model a = register(ctx, base + "-a", "1.0.0", usd(3), 100, capability, extra);
    Model b = register(ctx, base + "-b", "1.0.0", usd(4), 100, capability, extra);
    Model c = register(ctx, base + "-c", "1.0.0", usd(1), 100, capability);
    String task = Names.id(ctx, "task");
    router(ctx).ok("set_policy", SetPolicyRequest.newBuilder().setTask(task).addRequiredCapabilities(extra)
        .addExcludedModels(a.getName()).build());
    RouteResponse withPolicy = router(ctx).ok("route", RouteRequest.newBuilder().setTask(task)
        .addRequiredCapabilities(capability).build());
    assertThat(withPolicy.getModel().getName()).as("choice for the task with the policy").isEqualTo(b.getName());
    RouteResponse otherTask = router(ctx).ok("route", RouteRequest.newBuilder().setTask(Names.id(ctx, "task"))
        .addRequiredCapabilities(capability).build());
    assertThat(otherTask.getModel().getName()).as("choice for a task without a policy").isEqualTo(c.getName());
  }

  private static void invalidFields(CheckContext ctx) {
    SetPolicyRequest valid = policy(ctx).build();
    router(ctx).failsOnEach("set_policy", valid, List.<Breaker<SetPolicyRequest.Builder>>of(
        Breaker.of("task", b -> b.setTask("")),
        Breaker.of("task", b -> b.setTask("Bad Task!")),
        Breaker.of("required_capabilities", b -> b.addRequiredCapabilities("")),
        Breaker.of("max_cost", b -> b.setMaxCost(usd(-1))),
        Breaker.of("latency_budget_ms", b -> b.setLatencyBudgetMs(-1)),
        Breaker.of("excluded_models", b -> b.addExcludedModels(""))));
    router(ctx).fails("get_policy", get(valid.getTask()), Code.NOT_FOUND);
  }
}
