package io.natsharness.services.ai.router;

import static io.natsharness.services.game.kit.Rpc.expect;
import static io.natsharness.services.game.kit.Rpc.expectInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.proto.ai.models.v1.ListRequest;
import io.natsharness.proto.ai.models.v1.ListResponse;
import io.natsharness.proto.ai.models.v1.Model;
import io.natsharness.proto.ai.models.v1.ModelStatus;
import io.natsharness.proto.ai.models.v1.RegisterRequest;
import io.natsharness.proto.ai.models.v1.SetStatusRequest;
import io.natsharness.proto.ai.router.v1.GetPolicyRequest;
import io.natsharness.proto.ai.router.v1.InferRequest;
import io.natsharness.proto.ai.router.v1.PolicyUpdated;
import io.natsharness.proto.ai.router.v1.RouteRequest;
import io.natsharness.proto.ai.router.v1.RouteResponse;
import io.natsharness.proto.ai.router.v1.RoutingPolicy;
import io.natsharness.proto.ai.router.v1.SetPolicyRequest;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.game.kit.Concurrently;
import io.natsharness.services.game.kit.EventLog;
import io.natsharness.services.game.kit.HostedServices;
import io.natsharness.services.game.kit.Rpc;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.natsharness.services.game.kit.DualStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("ai_router")
class AiRouterServiceTest {

  private static final String[] SERVICES = {"model_management", "ai_integration", "ai_router"};
  private static HostedServices hosted;
  private Rpc router;
  private Rpc models;
  private Rpc llm;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    hosted = HostedServices.start(info, SERVICES);
  }

  @AfterAll
  static void stop() {
    hosted.close();
  }

  @BeforeEach
  void clients(RpcClient client) {
    router = new Rpc(client, "ai_router");
    models = new Rpc(client, "model_management");
    llm = new Rpc(client, "ai_integration");
  }

  private void register(String name, String capability, long cost, int latencyMs) {
    register(name, "1.0.0", capability, Money.newBuilder().setCurrency("USD").setMinorUnits(cost).build(), latencyMs);
  }

  private void register(String name, String version, String capability, Money cost, int latencyMs) {
    models.call("register", RegisterRequest.newBuilder().setName(name).setVersion(version)
        .addCapabilities(capability).addCapabilities("chat").setContextWindow(4096)
        .setCostPer1KTokens(cost).setLatencyMs(latencyMs).build());
  }

  private static RouteRequest route(String task, String... capabilities) {
    return RouteRequest.newBuilder().setTask(task).addAllRequiredCapabilities(List.of(capabilities)).build();
  }

  private int activeModels() {
    ListResponse page = models.call("list", ListRequest.newBuilder().setStatus(ModelStatus.ACTIVE)
        .setPage(PageRequest.newBuilder().setPageSize(100)).build());
    assertThat(page.getPage().getNextPageToken()).isEmpty();
    return page.getModelsCount();
  }

  @Nested
  @DisplayName("route")
  class Route {

    @Test
    @DisplayName("picks the cheapest ACTIVE model with every capability, the rest as alternatives")
    void cheapest() {
      RouteResponse r = router.call("route", route("npc_dialogue", "chat", "embed"));

      assertThat(r.getModel().getName()).isEqualTo("atlas-small");
      assertThat(r.getTask()).isEqualTo("npc_dialogue");
      assertThat(r.getAlternativesList()).contains("atlas-medium@1.0.0").doesNotContain("atlas-large@1.0.0");
      assertThat(r.getCandidatesConsidered()).isEqualTo(activeModels());
    }

    @Test
    @DisplayName("breaks cost ties by name, then version")
    void ties() {
      register("tie-b", "1.0.0", "route-tie", Money.newBuilder().setCurrency("USD").setMinorUnits(2).build(), 10);
      register("tie-a", "2.0.0", "route-tie", Money.newBuilder().setCurrency("USD").setMinorUnits(2).build(), 10);
      register("tie-a", "1.0.0", "route-tie", Money.newBuilder().setCurrency("USD").setMinorUnits(2).build(), 10);

      RouteResponse r = router.call("route", route("ties", "route-tie"));

      assertThat(r.getModel().getName() + "@" + r.getModel().getVersion()).isEqualTo("tie-a@1.0.0");
      assertThat(r.getAlternativesList()).containsExactly("tie-a@2.0.0", "tie-b@1.0.0");
    }

    @Test
    @DisplayName("never chooses a DEPRECATED model")
    void skipsDeprecated() {
      register("dep-cheap", "route-dep", 1, 10);
      register("dep-dear", "route-dep", 9, 10);
      models.call("set_status", SetStatusRequest.newBuilder().setName("dep-cheap").setVersion("1.0.0")
          .setStatus(ModelStatus.DEPRECATED).build());

      RouteResponse r = router.call("route", route("deprecation", "route-dep"));

      assertThat(r.getModel().getName()).isEqualTo("dep-dear");
      assertThat(r.getAlternativesList()).isEmpty();
    }

    @Test
    @DisplayName("keeps to max_cost (inclusive) and the latency budget (inclusive)")
    void limits() {
      register("lim-cheap-slow", "route-lim", 2, 500);
      register("lim-mid", "route-lim", 4, 100);
      register("lim-dear-fast", "route-lim", 8, 20);

      RouteResponse byCost = router.call("route", route("limits", "route-lim").toBuilder()
          .setMaxCost(Money.newBuilder().setCurrency("USD").setMinorUnits(4)).setLatencyBudgetMs(100).build());
      RouteResponse byLatency = router.call("route", route("limits", "route-lim").toBuilder().setLatencyBudgetMs(20).build());

      assertThat(byCost.getModel().getName()).isEqualTo("lim-mid");
      assertThat(byLatency.getModel().getName()).isEqualTo("lim-dear-fast");
    }

    @Test
    @DisplayName("compares costs in max_cost's currency, USD without one")
    void currency() {
      register("cur-eur", "1.0.0", "route-cur", Money.newBuilder().setCurrency("EUR").setMinorUnits(1).build(), 10);
      register("cur-usd", "1.0.0", "route-cur", Money.newBuilder().setCurrency("USD").setMinorUnits(5).build(), 10);

      RouteResponse usd = router.call("route", route("currency", "route-cur"));
      RouteResponse eur = router.call("route", route("currency", "route-cur").toBuilder()
          .setMaxCost(Money.newBuilder().setCurrency("EUR").setMinorUnits(10)).build());

      assertThat(usd.getModel().getName()).isEqualTo("cur-usd");
      assertThat(eur.getModel().getName()).isEqualTo("cur-eur");
    }

    @Test
    @DisplayName("answers FAILED_PRECONDITION when no ACTIVE model fits")
    void noneFits() {
      int active = activeModels();

      var e = expect(() -> router.call("route", route("impossible", "telepathy")), Code.FAILED_PRECONDITION,
          "no ACTIVE model fits task 'impossible' (" + active + " ACTIVE models considered)");
      assertThat(e.errorDetail().orElseThrow().getReason()).isEqualTo("NO_MODEL_FITS");
    }

    @Test
    @DisplayName("refuses a malformed task")
    void malformedTask() {
      expectInvalid(() -> router.call("route", route("Bad Task")), "task",
          "must be 1-64 chars of [a-z0-9_.-], got 'Bad Task'");
    }

    @Test
    @DisplayName("refuses an empty capability")
    void emptyCapability() {
      expectInvalid(() -> router.call("route", route("t", "")), "required_capabilities[0]", "is required");
    }

    @Test
    @DisplayName("refuses a negative max_cost")
    void negativeMaxCost() {
      expectInvalid(() -> router.call("route", route("t").toBuilder()
          .setMaxCost(Money.newBuilder().setCurrency("USD").setMinorUnits(-1)).build()),
          "max_cost.minor_units", "must be >= 0, got -1");
    }

    @Test
    @DisplayName("refuses a negative latency budget")
    void negativeLatency() {
      expectInvalid(() -> router.call("route", route("t").toBuilder().setLatencyBudgetMs(-1).build()),
          "latency_budget_ms", "must be >= 0, got -1");
    }
  }

  @Nested
  @DisplayName("policies")
  class Policies {

    @Test
    @DisplayName("are created with expected_version 0 and replaced with the current version")
    void compareAndSet() {
      RoutingPolicy v1 = router.call("set_policy", SetPolicyRequest.newBuilder().setTask("cas-task")
          .addRequiredCapabilities("chat").setExpectedVersion(0).build());
      RoutingPolicy v2 = router.call("set_policy", SetPolicyRequest.newBuilder().setTask("cas-task")
          .setLatencyBudgetMs(200).setExpectedVersion(1).build());

      assertThat(v1.getMeta().getVersion()).isEqualTo(1);
      assertThat(v2.getMeta().getVersion()).isEqualTo(2);
      assertThat(v2.getMeta().getCreatedAt()).isEqualTo(v1.getMeta().getCreatedAt());
      assertThat((RoutingPolicy) router.call("get_policy", GetPolicyRequest.newBuilder().setTask("cas-task").build()))
          .isEqualTo(v2);
    }

    @Test
    @DisplayName("answer ABORTED for a stale expected_version")
    void stale() {
      router.call("set_policy", SetPolicyRequest.newBuilder().setTask("stale-task").build());
      router.call("set_policy", SetPolicyRequest.newBuilder().setTask("stale-task").build());

      expect(() -> router.call("set_policy", SetPolicyRequest.newBuilder().setTask("stale-task").setExpectedVersion(1).build()),
          Code.ABORTED, "the policy of task stale-task is at version 2, expected 1");
    }

    @Test
    @DisplayName("answer ABORTED for expected_version 0 when a policy exists")
    void existsAlready() {
      router.call("set_policy", SetPolicyRequest.newBuilder().setTask("exists-task").build());

      expect(() -> router.call("set_policy", SetPolicyRequest.newBuilder().setTask("exists-task").setExpectedVersion(0).build()),
          Code.ABORTED, "the policy of task exists-task is at version 1, expected 0");
    }

    @Test
    @DisplayName("answer ABORTED for a version when there is no policy")
    void missing() {
      expect(() -> router.call("set_policy", SetPolicyRequest.newBuilder().setTask("nobody-task").setExpectedVersion(3).build()),
          Code.ABORTED, "task nobody-task has no policy, expected version 3");
    }

    @Test
    @DisplayName("let exactly one of many concurrent creations win")
    void concurrentCreate(Connection nats) throws Exception {
      Concurrently.Outcomes<RoutingPolicy> outcomes = Concurrently.run(10, i -> router.call("set_policy",
          SetPolicyRequest.newBuilder().setTask("race-task").setLatencyBudgetMs(100 + i).setExpectedVersion(0).build()));

      assertThat(outcomes.successes()).hasSize(1);
      assertThat(outcomes.failures()).hasSize(9).allSatisfy(e -> assertThat(e.code()).isEqualTo(Code.ABORTED));
      assertThat(EventLog.read(nats, "ai_router", "policy_updated", hosted.prefix(), PolicyUpdated.parser()))
          .filteredOn(e -> e.payload().getPolicy().getTask().equals("race-task"))
          .singleElement()
          .satisfies(e -> {
            assertThat(e.id()).isEqualTo("policy_updated:race-task:1");
            assertThat(e.payload().getPolicy()).isEqualTo(outcomes.successes().get(0));
          });
    }

    @Test
    @DisplayName("merge into routing: capabilities added, models excluded, the smaller limit kept")
    void merged() {
      register("pol-a", "route-pol", 1, 300);
      register("pol-b", "route-pol", 2, 100);
      register("pol-c", "route-pol", 3, 50);
      register("pol-d", "route-pol", 4, 50);
      router.call("set_policy", SetPolicyRequest.newBuilder().setTask("merged-task")
          .addRequiredCapabilities("route-pol").addExcludedModels("pol-b").setLatencyBudgetMs(200).build());

      RouteResponse r = router.call("route", route("merged-task").toBuilder().setLatencyBudgetMs(1000).build());

      assertThat(r.getModel().getName()).isEqualTo("pol-c");
      assertThat(r.getAlternativesList()).containsExactly("pol-d@1.0.0");
    }

    @Test
    @DisplayName("refuse an empty excluded model name")
    void emptyExcluded() {
      expectInvalid(() -> router.call("set_policy", SetPolicyRequest.newBuilder().setTask("t").addExcludedModels("").build()),
          "excluded_models[0]", "is required");
    }

    @Test
    @DisplayName("get answers NOT_FOUND for a task without a policy")
    void getUnknown() {
      expect(() -> router.call("get_policy", GetPolicyRequest.newBuilder().setTask("no-policy").build()),
          Code.NOT_FOUND, "task no-policy has no policy");
    }

    @Test
    @DisplayName("get refuses an empty task")
    void getEmpty() {
      expectInvalid(() -> router.call("get_policy", GetPolicyRequest.getDefaultInstance()), "task", "is required");
    }

    @Test
    @DisplayName("survive a restart")
    void survive(RpcClient client) {
      RoutingPolicy p = router.call("set_policy", SetPolicyRequest.newBuilder().setTask("durable-task").build());

      hosted.restart();

      assertThat((RoutingPolicy) new Rpc(client, "ai_router").call("get_policy",
          GetPolicyRequest.newBuilder().setTask("durable-task").build())).isEqualTo(p);
    }
  }

  @Nested
  @DisplayName("infer")
  class Infer {

    @Test
    @DisplayName("answers with ai_integration's response for the chosen model, unchanged")
    void forwards() {
      InferResponse routed = router.call("infer", InferRequest.newBuilder().setTask("story")
          .addRequiredCapabilities("reasoning").setPrompt("Tell me about NATS messaging").setSeed(5).setMaxTokens(12).build());
      InferResponse direct = llm.call("infer", io.natsharness.proto.ai.llm.v1.InferRequest.newBuilder()
          .setModel("atlas-medium").setPrompt("Tell me about NATS messaging").setSeed(5).setMaxTokens(12).build());

      assertThat(routed).isEqualTo(direct);
      assertThat(routed.getModel()).isEqualTo("atlas-medium");
    }

    @Test
    @DisplayName("passes ai_integration's INVALID_ARGUMENT through with its details")
    void invalidPassesThrough() {
      expectInvalid(() -> router.call("infer", InferRequest.newBuilder().setTask("story").build()), "prompt", "is required");
    }

    @Test
    @DisplayName("passes NOT_FOUND through when ai_integration does not serve the chosen model")
    void notServed() {
      register("unserved-model", "route-unserved", 0, 10);

      expect(() -> router.call("infer", InferRequest.newBuilder().setTask("story")
              .addRequiredCapabilities("route-unserved").setPrompt("hello").build()), Code.NOT_FOUND,
          "model 'unserved-model' is not served; served models: atlas-small, atlas-medium, atlas-large");
    }

    @Test
    @DisplayName("answers FAILED_PRECONDITION when no model fits, without calling ai_integration")
    void noneFits() {
      int active = activeModels();

      expect(() -> router.call("infer", InferRequest.newBuilder().setTask("story").addRequiredCapabilities("telepathy")
          .setPrompt("hello").build()), Code.FAILED_PRECONDITION,
          "no ACTIVE model fits task 'story' (" + active + " ACTIVE models considered)");
    }

    @Test
    @DisplayName("carries the caller's deadline and trace id on both hops")
    void propagates(Connection nats) throws Exception {
      Map<String, Message> seen = new ConcurrentHashMap<>();
      String listSubject = models.method("list").subject();
      String inferSubject = llm.method("infer").subject();
      // Plain subscribers get a copy of every request next to the services' queue group.
      Dispatcher tap = nats.createDispatcher(m -> seen.put(m.getSubject(), m));
      tap.subscribe(listSubject);
      tap.subscribe(inferSubject);
      nats.flush(Duration.ofSeconds(2));
      Instant deadline = Instant.now().plusSeconds(20).truncatedTo(ChronoUnit.MILLIS);
      String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      SpanContext caller = SpanContext.createFromRemoteParent(traceId, "00f067aa0ba902b7", TraceFlags.getSampled(),
          TraceState.getDefault());
      try (Scope ignored = Context.root().with(Span.wrap(caller)).makeCurrent()) {
        router.call("infer", InferRequest.newBuilder().setTask("story").setPrompt("hop").build(),
            CallOptions.builder().deadline(deadline).build());
      } finally {
        nats.closeDispatcher(tap);
      }

      assertThat(seen).containsKeys(listSubject, inferSubject);
      for (Message hop : seen.values()) {
        assertThat(hop.getHeaders().getFirst("Nh-Deadline")).isEqualTo(Long.toString(deadline.toEpochMilli()));
        assertThat(hop.getHeaders().getFirst("traceparent")).startsWith("00-" + traceId + "-");
      }
    }

    @Test
    @DisplayName("answers UNAVAILABLE when ai_integration is down, after routing")
    void llmDown(RpcClient client) {
      hosted.restartWith("model_management", "ai_router");
      try {
        var e = Rpc.failure(() -> new Rpc(client, "ai_router").call("infer",
            InferRequest.newBuilder().setTask("story").setPrompt("anyone there?").build()));

        assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
      } finally {
        hosted.restartWith(SERVICES);
      }
    }

    @Test
    @DisplayName("answers UNAVAILABLE when model_management is down, DEADLINE_EXCEEDED when it does not answer")
    void dependencyDown(Connection nats, RpcClient client) throws Exception {
      hosted.restartWith("ai_router");
      try {
        Rpc lonely = new Rpc(client, "ai_router");
        // No responders: the SDK's UNAVAILABLE passes through the router unchanged.
        assertThat(Rpc.failure(() -> lonely.call("route", route("story"))).code()).isEqualTo(Code.UNAVAILABLE);

        Dispatcher silent = nats.createDispatcher(m -> { });
        silent.subscribe(models.method("list").subject());
        nats.flush(Duration.ofSeconds(2));
        try {
          var e = Rpc.failure(() -> lonely.call("route", route("story"),
              CallOptions.builder().timeout(Duration.ofMillis(700)).build()));
          assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED);
        } finally {
          nats.closeDispatcher(silent);
        }
      } finally {
        hosted.restartWith(SERVICES);
      }
    }
  }

  @Nested
  @DisplayName("over HTTP and NATS")
  class DualStackAnswers {

    private DualStack dual(RpcClient client) {
      return new DualStack(hosted.host().httpUrl(), client);
    }

    @Test
    @DisplayName("route answers the same")
    void route(RpcClient client) {
      dual(client).assertSame(router.method("route"), AiRouterServiceTest.route("dual", "chat"));
    }

    @Test
    @DisplayName("infer answers the same")
    void infer(RpcClient client) {
      dual(client).assertSame(router.method("infer"), InferRequest.newBuilder().setTask("dual").setPrompt("both ways").build());
    }

    @Test
    @DisplayName("set_policy answers the same for twin tasks")
    void setPolicy(RpcClient client) {
      dual(client).assertSame(router.method("set_policy"),
          SetPolicyRequest.newBuilder().setTask("ds-nats-task").addExcludedModels("atlas-large").setExpectedVersion(0).build(),
          SetPolicyRequest.newBuilder().setTask("ds-http-task").addExcludedModels("atlas-large").setExpectedVersion(0).build(),
          java.util.Optional.empty(), s -> s.replace("ds-http", "ds-nats"));
    }

    @Test
    @DisplayName("get_policy answers the same")
    void getPolicy(RpcClient client) {
      router.call("set_policy", SetPolicyRequest.newBuilder().setTask("ds-get").build());
      dual(client).assertSame(router.method("get_policy"), GetPolicyRequest.newBuilder().setTask("ds-get").build());
    }
  }
}
