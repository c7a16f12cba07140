package io.natsharness.services.ai.router;

import com.google.protobuf.Timestamp;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.proto.ai.models.v1.ListRequest;
import io.natsharness.proto.ai.models.v1.ListResponse;
import io.natsharness.proto.ai.models.v1.Model;
import io.natsharness.proto.ai.models.v1.ModelStatus;
import io.natsharness.proto.ai.router.v1.GetPolicyRequest;
import io.natsharness.proto.ai.router.v1.InferRequest;
import io.natsharness.proto.ai.router.v1.PolicyUpdated;
import io.natsharness.proto.ai.router.v1.RouteRequest;
import io.natsharness.proto.ai.router.v1.RouteResponse;
import io.natsharness.proto.ai.router.v1.RoutingPolicy;
import io.natsharness.proto.ai.router.v1.SetPolicyRequest;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.proto.common.v1.RecordMeta;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.game.kit.Cas;
import io.natsharness.services.game.kit.ProtoValues;
import io.natsharness.services.game.kit.ServiceEvents;
import io.natsharness.services.support.ServiceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The reference {@code ai_router} service: picks a model by constraints and per-task policy
 * ({@link ModelSelector}) and forwards inference to ai_integration.
 *
 * <p>Both hops are real NATS requests through {@code ctx.rpc()}, made on the handler's thread, so
 * the SDK carries the caller's deadline ({@code Nh-Deadline}) and trace context
 * ({@code traceparent}) downstream. Downstream errors are not caught: the SDK passes their status
 * (code, message, details) back to the caller unchanged.
 *
 * <pre>{@code
 * InferResponse r = rpc.call("svc.ai.router.v1.infer", InferRequest.newBuilder()
 *     .setTask("npc_dialogue").addRequiredCapabilities("chat").setPrompt("Hello").build());
 * r.getModel(); // "atlas-small", the cheapest ACTIVE chat model
 * }</pre>
 */
public final class AiRouterService implements NatsService {

  static final String NAME = "ai_router";
  static final int MAX_ALTERNATIVES = 10;
  private static final int LIST_PAGE_SIZE = 100;

  private final ServiceContext ctx;
  private final PolicyStore policies;
  private final ServiceEvents events;
  private final MethodInfo listModels;
  private final MethodInfo inferText;

  public AiRouterService(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.policies = new PolicyStore(ctx);
    this.events = new ServiceEvents(ctx, NAME);
    ServiceCatalog catalog = ServiceCatalog.load();
    this.listModels = method(catalog, "model_management", "list");
    this.inferText = method(catalog, "ai_integration", "infer");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.<RouteRequest, RouteResponse>unary("route", this::route)
        .<InferRequest, InferResponse>unary("infer", this::infer)
        .<SetPolicyRequest, RoutingPolicy>unary("set_policy", (q, call) -> setPolicy(q))
        .<GetPolicyRequest, RoutingPolicy>unary("get_policy", (q, call) -> getPolicy(q));
  }

  RouteResponse route(RouteRequest request, CallContext call) {
    RouterValidation.constraints(request.getTask(), request.getRequiredCapabilitiesList(),
        "required_capabilities", request.hasMaxCost(), request.getMaxCost(), request.getLatencyBudgetMs());
    List<Model> active = activeModels(call);
    ModelSelector.Constraints constraints =
        ModelSelector.constraints(request, policies.find(request.getTask()));
    List<Model> ranked = ModelSelector.rank(active, constraints);
    if (ranked.isEmpty()) {
      throw RpcException.failedPrecondition("NO_MODEL_FITS", "no ACTIVE model fits task '"
          + request.getTask() + "' (" + active.size() + " ACTIVE models considered)");
    }
    RouteResponse.Builder out = RouteResponse.newBuilder()
        .setModel(ranked.get(0))
        .setTask(request.getTask())
        .setCandidatesConsidered(active.size());
    ranked.stream().skip(1).limit(MAX_ALTERNATIVES)
        .forEach(m -> out.addAlternatives(m.getName() + "@" + m.getVersion()));
    return out.build();
  }

  InferResponse infer(InferRequest request, CallContext call) {
    RouteResponse routed = route(RouteRequest.newBuilder()
        .setTask(request.getTask())
        .addAllRequiredCapabilities(request.getRequiredCapabilitiesList())
        .setMaxCost(request.getMaxCost())
        .setLatencyBudgetMs(request.getLatencyBudgetMs())
        .build(), call);
    io.natsharness.proto.ai.llm.v1.InferRequest downstream = io.natsharness.proto.ai.llm.v1.InferRequest.newBuilder()
        .setModel(routed.getModel().getName())
        .setPrompt(request.getPrompt())
        .setMaxTokens(request.getMaxTokens())
        .setTemperature(request.getTemperature())
        .setSeed(request.getSeed())
        .build();
    return ctx.rpc().call(inferText, downstream, hopOptions(call));
  }

  RoutingPolicy setPolicy(SetPolicyRequest request) {
    RouterValidation.constraints(request.getTask(), request.getRequiredCapabilitiesList(),
        "required_capabilities", request.hasMaxCost(), request.getMaxCost(), request.getLatencyBudgetMs());
    RouterValidation.excludedModels(request.getExcludedModelsList());
    for (int attempt = 0; attempt < Cas.MAX_ATTEMPTS; attempt++) {
      Optional<String> raw = policies.raw(request.getTask());
      Optional<RoutingPolicy> current = raw.map(PolicyStore::decode);
      long currentVersion = current.map(p -> p.getMeta().getVersion()).orElse(0L);
      if (request.hasExpectedVersion() && request.getExpectedVersion() != currentVersion) {
        throw RpcException.aborted(current.isEmpty()
            ? "task " + request.getTask() + " has no policy, expected version " + request.getExpectedVersion()
            : "the policy of task " + request.getTask() + " is at version " + currentVersion
                + ", expected " + request.getExpectedVersion());
      }
      Timestamp now = ProtoValues.timestamp(ctx.clock().instant());
      RoutingPolicy.Builder policy = RoutingPolicy.newBuilder()
          .setTask(request.getTask())
          .addAllRequiredCapabilities(request.getRequiredCapabilitiesList())
          .setLatencyBudgetMs(request.getLatencyBudgetMs())
          .addAllExcludedModels(request.getExcludedModelsList())
          .setMeta(RecordMeta.newBuilder()
              .setCreatedAt(current.map(p -> p.getMeta().getCreatedAt()).orElse(now))
              .setUpdatedAt(now)
              .setVersion(currentVersion + 1));
      if (request.hasMaxCost()) {
        policy.setMaxCost(request.getMaxCost());
      }
      RoutingPolicy stored = policy.build();
      if (policies.replace(raw, stored)) {
        events.publish("policy_updated", PolicyUpdated.newBuilder().setPolicy(stored).build(),
            "policy_updated:" + stored.getTask() + ":" + stored.getMeta().getVersion());
        return stored;
      }
    }
    throw RpcException.aborted("the policy of task " + request.getTask() + " is being changed concurrently; retry");
  }

  RoutingPolicy getPolicy(GetPolicyRequest request) {
    String task = request.getTask();
    if (task.isEmpty()) {
      throw RpcException.invalidArgument("task", "is required");
    }
    return policies.find(task).orElseThrow(() -> RpcException.notFound("task " + task + " has no policy"));
  }

  /** Every ACTIVE model of model_management, page by page (a real hop per page). */
  private List<Model> activeModels(CallContext call) {
    List<Model> all = new ArrayList<>();
    String token = "";
    do {
      ListResponse page = ctx.rpc().call(listModels, ListRequest.newBuilder()
          .setStatus(ModelStatus.ACTIVE)
          .setPage(PageRequest.newBuilder().setPageSize(LIST_PAGE_SIZE).setPageToken(token))
          .build(), hopOptions(call));
      all.addAll(page.getModelsList());
      token = page.getPage().getNextPageToken();
    } while (!token.isEmpty());
    return all;
  }

  /**
   * The caller's deadline, stated explicitly as well as inherited from the handler's context, so
   * the hop keeps it even when a front end (the legacy HTTP side) runs the handler outside a NATS
   * request; the request id travels along for the logs. Trace context comes from the context.
   */
  private static CallOptions hopOptions(CallContext call) {
    return CallOptions.builder().deadline(call.deadline()).requestId(call.requestId()).build();
  }

  private static MethodInfo method(ServiceCatalog catalog, String service, String method) {
    return catalog.service(service).flatMap(s -> s.method(method)).orElseThrow(() ->
        new IllegalStateException("the catalog has no method " + service + "." + method));
  }
}
