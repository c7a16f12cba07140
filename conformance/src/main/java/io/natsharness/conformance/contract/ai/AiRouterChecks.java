package io.natsharness.conformance.contract.ai;

import static io.natsharness.conformance.contract.ai.ModelManagementChecks.models;
import static io.natsharness.conformance.contract.ai.ModelManagementChecks.usd;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Breaker;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.HopSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.conformance.contract.kit.Trace;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.proto.ai.models.v1.GetRequest;
import io.natsharness.proto.ai.models.v1.Model;
import io.natsharness.proto.ai.models.v1.ModelStatus;
import io.natsharness.proto.ai.models.v1.RegisterRequest;
import io.natsharness.proto.ai.models.v1.SetStatusRequest;
import io.natsharness.proto.ai.router.v1.InferRequest;
import io.natsharness.proto.ai.router.v1.RouteRequest;
import io.natsharness.proto.ai.router.v1.RouteResponse;
import io.natsharness.proto.common.v1.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Contract checks of {@code ai_router}: the deterministic choice (cheapest ACTIVE model with every
 * capability, ties by name), limits and currencies, task policies with compare-and-set, and the
 * infer hop to ai_integration that carries deadline and trace and passes errors through unchanged.
 * Policies have their own class ({@link AiRouterPolicyChecks}).
 *
 * <pre>{@code
 * List<Check> checks = AiRouterChecks.checks();
 * }</pre>
 */
public final class AiRouterChecks {

  static final String SERVICE = "ai_router";

  private AiRouterChecks() {}

  public static List<Check> checks() {
    ContractChecks checks = ContractChecks.forService(SERVICE)
        .behaviour("route", "cheapest_then_name", "route picks the cheapest ACTIVE model having every required"
            + " capability, ties broken by name, and lists the other fitting models in that order",
            AiRouterChecks::cheapestThenName)
        .behaviour("route", "limits", "max_cost and latency_budget_ms are inclusive upper bounds that exclude"
            + " the models above them", AiRouterChecks::limits)
        .behaviour("route", "currency", "costs compare in max_cost's currency (USD when unset): a model priced"
            + " in another currency never fits", AiRouterChecks::currency)
        .error("route", "none_fits", Code.FAILED_PRECONDITION, "no ACTIVE model with the capabilities is"
            + " FAILED_PRECONDITION", ctx -> router(ctx).fails("route", RouteRequest.newBuilder().setTask("chat")
                .addRequiredCapabilities(Names.token(ctx, "nobody_has")).build(), Code.FAILED_PRECONDITION))
        .error("route", "invalid_constraints", Code.INVALID_ARGUMENT, "an empty or malformed task, an empty"
            + " capability, a negative max_cost or latency budget are INVALID_ARGUMENT", ctx -> {
              RouteRequest valid = RouteRequest.newBuilder().setTask("npc_dialogue").addRequiredCapabilities("chat")
                  .build();
              router(ctx).failsOnEach("route", valid, List.<Breaker<RouteRequest.Builder>>of(
                  Breaker.of("task", b -> b.setTask("")),
                  Breaker.of("task", b -> b.setTask("Npc Dialogue")),
                  Breaker.of("required_capabilities", b -> b.addRequiredCapabilities("")),
                  Breaker.of("max_cost", b -> b.setMaxCost(usd(-1))),
                  Breaker.of("latency_budget_ms", b -> b.setLatencyBudgetMs(-5))));
            })
        .error("route", "expired_deadline", Code.DEADLINE_EXCEEDED, "a route request past its deadline is"
            + " DEADLINE_EXCEEDED", ctx -> router(ctx).call("route").expiredDeadline()
                .fails(RouteRequest.newBuilder().setTask("chat").addRequiredCapabilities("chat").build(),
                    Code.DEADLINE_EXCEEDED))
        .behaviour("route", "trace_context_downstream", "route reads model_management in a hop that continues"
            + " the caller's trace and carries a deadline no later than the caller's", AiRouterChecks::routeTrace)
        .behaviour("infer", "routes_and_forwards", "infer answers exactly what ai_integration's infer answers"
            + " for the chosen model and the prompt fields", AiRouterChecks::routesAndForwards)
        .behaviour("infer", "trace_context_downstream", "the hop to ai_integration's infer continues the"
            + " caller's trace and carries a deadline no later than the caller's", AiRouterChecks::inferTrace)
        .error("infer", "not_found_passed_through", Code.NOT_FOUND, "when ai_integration does not serve the"
            + " chosen model, its NOT_FOUND comes back unchanged (code, message, details)",
            AiRouterChecks::notFoundPassedThrough)
        .error("infer", "invalid_prompt_passed_through", Code.INVALID_ARGUMENT, "ai_integration's"
            + " INVALID_ARGUMENT for a bad prompt field comes back unchanged", AiRouterChecks::invalidPassedThrough)
        .error("infer", "invalid_constraints", Code.INVALID_ARGUMENT, "bad routing constraints are"
            + " INVALID_ARGUMENT, as for route", ctx -> router(ctx).failsOn("infer",
                InferRequest.newBuilder().setTask("Not A Task").setPrompt("hello").build(), "task"))
        .error("infer", "none_fits", Code.FAILED_PRECONDITION, "no ACTIVE model fitting is FAILED_PRECONDITION",
            ctx -> router(ctx).fails("infer", InferRequest.newBuilder().setTask("chat").setPrompt("hello")
                .addRequiredCapabilities(Names.token(ctx, "nobody_has")).build(), Code.FAILED_PRECONDITION))
        .error("infer", "expired_deadline_no_hop", Code.DEADLINE_EXCEEDED, "an infer request past its deadline"
            + " is DEADLINE_EXCEEDED and makes no call to ai_integration", AiRouterChecks::inferExpired);
    AiRouterPolicyChecks.add(checks);
    return checks.build();
  }

  static Rpc router(CheckContext ctx) {
    return Rpc.of(ctx, SERVICE);
  }

  /** Registers an ACTIVE model in model_management and returns it as stored. */
  static Model register(CheckContext ctx, String name, String version, Money cost, int latencyMs,
      String... capabilities) {
    return models(ctx).ok("register", RegisterRequest.newBuilder().setName(name).setVersion(version)
        .addAllCapabilities(List.of(capabilities)).setContextWindow(4096).setCostPer1KTokens(cost)
        .setLatencyMs(latencyMs).build());
  }

  /**
   * Registers another version of atlas-small (a model ai_integration serves by name) that only a
   * request for {@code capability} fits, priced above the seeded models so it is never chosen
   * for the others' requests.
   */
  static Model servedModel(CheckContext ctx, String capability) {
    return register(ctx, "atlas-small", Names.id(ctx, "v"), usd(2), 50, capability);
  }

  private static String key(Model model) {
    return model.getName() + "@" + model.getVersion();
  }

  private static void cheapestThenName(CheckContext ctx) {
    String capability = Names.token(ctx, "cap");
    String base = Names.id(ctx, "rt");
    Model b = register(ctx, base + "-b", "1.0.0", usd(3), 100, capability);
    Model a = register(ctx, base + "-a", "1.0.0", usd(3), 100, "chat", capability);
    Model c = register(ctx, base + "-c", "1.0.0", usd(7), 100, capability);
    Model d = register(ctx, base + "-d", "1.0.0", usd(2), 100, capability);
    models(ctx).ok("set_status", SetStatusRequest.newBuilder().setName(d.getName()).setVersion(d.getVersion())
        .setStatus(ModelStatus.DEPRECATED).build());
    register(ctx, base + "-e", "1.0.0", usd(1), 100, Names.token(ctx, "other"));
    RouteResponse route = router(ctx).ok("route", RouteRequest.newBuilder().setTask("npc_dialogue")
        .addRequiredCapabilities(capability).build());
    assertThat(route.getModel()).as("the chosen model, as model_management returns it")
        .isEqualTo(models(ctx).ok("get", GetRequest.newBuilder().setName(a.getName()).setVersion("1.0.0").build()));
    assertThat(route.getTask()).as("task").isEqualTo("npc_dialogue");
    assertThat(route.getAlternativesList()).as("alternatives, in preference order").containsExactly(key(b), key(c));
    assertThat(route.getCandidatesConsidered()).as("candidates_considered").isGreaterThanOrEqualTo(3);
  }

  private static void limits(CheckContext ctx) {
    String capability = Names.token(ctx, "cap");
    String base = Names.id(ctx, "lim");
    Model cheapSlow = register(ctx, base + "-a", "1.0.0", usd(2), 500, capability);
    Model mid = register(ctx, base + "-b", "1.0.0", usd(4), 200, capability);
    register(ctx, base + "-c", "1.0.0", usd(9), 10, capability);
    RouteRequest.Builder request = RouteRequest.newBuilder().setTask("limits").addRequiredCapabilities(capability);
    assertThat(key(router(ctx).<RouteResponse>ok("route", request.clone().setLatencyBudgetMs(200).build()).getModel()))
        .as("choice with a latency budget of 200 ms (inclusive)").isEqualTo(key(mid));
    assertThat(key(router(ctx).<RouteResponse>ok("route", request.clone().setMaxCost(usd(2)).build()).getModel()))
        .as("choice with a max_cost of 2 USD (inclusive)").isEqualTo(key(cheapSlow));
    router(ctx).fails("route", request.clone().setMaxCost(usd(3)).setLatencyBudgetMs(200).build(),
        Code.FAILED_PRECONDITION);
  }

  private static void currency(CheckContext ctx) {
    String capability = Names.token(ctx, "cap");
    Model euro = register(ctx, Names.id(ctx, "eur"), "1.0.0",
        Money.newBuilder().setCurrency("EUR").setMinorUnits(1).build(), 100, capability);
    RouteRequest.Builder request = RouteRequest.newBuilder().setTask("currency").addRequiredCapabilities(capability);
    router(ctx).fails("route", request.build(), Code.FAILED_PRECONDITION);
    RouteResponse inEuro = router(ctx).ok("route", request.clone()
        .setMaxCost(Money.newBuilder().setCurrency("EUR").setMinorUnits(5)).build());
    assertThat(key(inEuro.getModel())).as("choice with a max_cost in EUR").isEqualTo(key(euro));
  }

  private static void routeTrace(CheckContext ctx) {
    Trace trace = Trace.random();
    Instant deadline = Instant.now().plusSeconds(4);
    String modelSubjects = models(ctx).service().subjectPrefix() + ".>";
    try (HopSpy hops = HopSpy.on(ctx, modelSubjects)) {
      router(ctx).call("route").header("traceparent", trace.traceparent()).deadline(deadline)
          .ok(RouteRequest.newBuilder().setTask("trace").addRequiredCapabilities("chat").build());
      hops.assertContinued(trace, deadline);
    }
  }

  private static InferRequest.Builder inferRequest(String capability, String prompt) {
    return InferRequest.newBuilder().setTask("npc_dialogue").addRequiredCapabilities(capability)
        .setPrompt(prompt).setMaxTokens(24).setTemperature(0.4).setSeed(11);
  }

  private static io.natsharness.proto.ai.llm.v1.InferRequest direct(Model model, InferRequest request) {
    return io.natsharness.proto.ai.llm.v1.InferRequest.newBuilder().setModel(model.getName())
        .setPrompt(request.getPrompt()).setMaxTokens(request.getMaxTokens())
        .setTemperature(request.getTemperature()).setSeed(request.getSeed()).build();
  }

  private static void routesAndForwards(CheckContext ctx) {
    String capability = Names.token(ctx, "cap");
    Model served = servedModel(ctx, capability);
    InferRequest request = inferRequest(capability, "The innkeeper greets " + ctx.unique("guest")).build();
    InferResponse viaRouter = router(ctx).ok("infer", request);
    InferResponse direct = AiIntegrationChecks.llm(ctx).ok("infer", direct(served, request));
    assertThat(viaRouter).as("router's answer against ai_integration's for the chosen model").isEqualTo(direct);
    assertThat(viaRouter.getModel()).as("model of the answer").isEqualTo("atlas-small");
  }

  private static void inferTrace(CheckContext ctx) {
    String capability = Names.token(ctx, "cap");
    servedModel(ctx, capability);
    Trace trace = Trace.random();
    Instant deadline = Instant.now().plusSeconds(4);
    try (HopSpy hops = HopSpy.on(ctx, AiIntegrationChecks.llm(ctx).method("infer").subject())) {
      router(ctx).call("infer").header("traceparent", trace.traceparent()).deadline(deadline)
          .ok(inferRequest(capability, "Trace me " + ctx.unique("p")).build());
      hops.assertContinued(trace, deadline);
    }
  }

  private static void notFoundPassedThrough(CheckContext ctx) {
    String capability = Names.token(ctx, "cap");
    Model unserved = register(ctx, Names.id(ctx, "unserved"), "1.0.0", usd(2), 50, capability);
    InferRequest request = inferRequest(capability, "Hello " + ctx.unique("p")).build();
    Status viaRouter = router(ctx).fails("infer", request, Code.NOT_FOUND);
    Status direct = AiIntegrationChecks.llm(ctx).fails("infer", direct(unserved, request), Code.NOT_FOUND);
    assertThat(viaRouter).as("router's error against ai_integration's").isEqualTo(direct);
  }

  private static void invalidPassedThrough(CheckContext ctx) {
    String capability = Names.token(ctx, "cap");
    Model served = servedModel(ctx, capability);
    InferRequest request = inferRequest(capability, "Hello " + ctx.unique("p")).setTemperature(2.5).build();
    Status viaRouter = router(ctx).fails("infer", request, Code.INVALID_ARGUMENT);
    Status direct = AiIntegrationChecks.llm(ctx).fails("infer", direct(served, request), Code.INVALID_ARGUMENT);
    assertThat(viaRouter).as("router's error against ai_integration's").isEqualTo(direct);
  }

  private static void inferExpired(CheckContext ctx) {
    Trace trace = Trace.random();
    try (HopSpy hops = HopSpy.on(ctx, AiIntegrationChecks.llm(ctx).method("infer").subject())) {
      router(ctx).call("infer").header("traceparent", trace.traceparent()).expiredDeadline()
          .fails(InferRequest.newBuilder().setTask("chat").addRequiredCapabilities("chat").setPrompt("too late")
              .build(), Code.DEADLINE_EXCEEDED);
      assertThat(hops.hopsOf(trace, 1, Duration.ofMillis(500))).as("calls to ai_integration for an expired request")
          .isEmpty();
    }
  }
}
