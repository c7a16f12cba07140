package io.natsharness.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.gateway.config.RouteSettings;
import io.natsharness.gateway.cutover.CanarySplit;
import io.natsharness.gateway.cutover.CutoverMode;
import io.natsharness.gateway.shadow.ShadowResult;
import io.natsharness.gateway.support.GatewayEnv;
import io.natsharness.gateway.support.Http;
import io.natsharness.gateway.support.LegacyHttp;
import io.natsharness.gateway.support.ScriptedLlm;
import io.natsharness.gateway.support.ScriptedRouter;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.ai.llm.v1.EmbedResponse;
import io.natsharness.proto.diff.Difference;
import io.natsharness.proto.diff.DifferenceKind;
import io.natsharness.proto.infra.router.v1.RouteMode;
import io.natsharness.proto.infra.router.v1.SetRouteModeRequest;
import io.natsharness.sdk.client.RpcClient;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest(redis = false, backend = Backend.EMBEDDED)
@DisplayName("Gateway cutover: HTTP, SHADOW, CANARY and NATS per route, switched live")
class GatewayCutoverTest {

  static final String INFER = "svc.ai.llm.v1.infer";
  static final String STREAM = "svc.ai.llm.v1.infer_stream";
  static final String EMBED = "svc.ai.llm.v1.embed";
  static final String GENERATION = "svc.ai.llm.v1.get_generation";
  static final String LIST_ROUTES = "svc.infra.router.v1.list_routes";
  /** The NATS side answers tokens_used off by this much, so each answer says who served it. */
  static final int DIVERGENCE = 1000;

  static final ScriptedLlm LEGACY_LLM = new ScriptedLlm();
  static final ScriptedLlm NATS_LLM = new ScriptedLlm(DIVERGENCE);
  static LegacyHttp legacy;
  static GatewayEnv env;
  static ScriptedRouter router;
  static RpcClient rpc;
  static Http http;
  static CutoverMode generationModeAtStart;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) throws Exception {
    legacy = LegacyHttp.start(LEGACY_LLM);
    env = GatewayEnv.create(info);
    router = new ScriptedRouter(env.serviceNats);
    // Set before the gateway starts: the gateway must pick it up from list_routes.
    router.preset(GENERATION, RouteMode.NATS, 0);
    env.serve(NATS_LLM, router);
    rpc = RpcClient.builder().connection(env.serviceNats).build();
    URI dead = URI.create("http://127.0.0.1:" + freePort());
    env.gateway(c -> c.withLegacyUrl(legacy.uri())
        .withLegacyServiceUrl("router", dead)
        .withRouterSync(true)
        .withRouterRefreshInterval(Duration.ofHours(1))
        .withRoute(INFER, RouteSettings.none().withMode(CutoverMode.http()))
        .withRoute(GENERATION, RouteSettings.none().withMode(CutoverMode.http())));
    http = env.http();
    generationModeAtStart = gateway().modes().get(GENERATION);
  }

  @AfterAll
  static void stop() throws Exception {
    rpc.close();
    env.close();
    legacy.close();
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static Gateway gateway() {
    return env.gateway();
  }

  static String upstream(HttpResponse<?> r) {
    return r.headers().firstValue("nh-upstream").orElse("none");
  }

  static int tokens(HttpResponse<String> r) {
    io.natsharness.proto.ai.llm.v1.InferResponse.Builder b = io.natsharness.proto.ai.llm.v1.InferResponse.newBuilder();
    try {
      JsonFormat.parser().merge(r.body(), b);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(r.body(), e);
    }
    return b.getTokensUsed();
  }

  static void routerSets(String subject, RouteMode mode, int percent) {
    rpc.call("svc.infra.router.v1.set_route_mode", SetRouteModeRequest.newBuilder().setSubject(subject)
        .setMode(mode).setCanaryPercent(percent).build());
  }

  @Nested
  @DisplayName("HTTP mode")
  class HttpMode {

    @Test
    @DisplayName("sends the request to the legacy upstream with its headers, and strips its banner")
    void proxies() {
      gateway().modes().set(INFER, CutoverMode.http(), "test");
      int before = legacy.served(INFER);
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":\"abc\"}",
          "Authorization", "Bearer t", "Nh-Request-Id", "req-http-1");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(upstream(r)).isEqualTo("legacy");
      assertThat(tokens(r)).isEqualTo(3);
      assertThat(legacy.served(INFER)).isEqualTo(before + 1);
      assertThat(legacy.lastHeaders.get()).containsEntry("authorization", "Bearer t")
          .containsEntry("nh-request-id", "req-http-1");
      assertThat(r.headers().firstValue("server")).isEmpty();
      assertThat(r.headers().firstValue("nh-request-id")).contains("req-http-1");
    }

    @Test
    @DisplayName("passes a legacy error through as it is")
    void legacyError() {
      gateway().modes().set(INFER, CutoverMode.http(), "test");
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":\"fail:NOT_FOUND\"}");
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(Http.error(r)).isEqualTo("NOT_FOUND: forced NOT_FOUND");
    }

    @Test
    @DisplayName("streams a legacy SSE answer through")
    void stream() {
      gateway().modes().set(STREAM, CutoverMode.http(), "test");
      HttpResponse<InputStream> r = http.stream(http.request("/v1/ai/llm/infer:stream")
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"x y\"}")).build());
      assertThat(upstream(r)).isEqualTo("legacy");
      assertThat(Http.readEvents(r.body(), 10)).extracting(Http.Event::event).containsExactly("message", "message", "end");
    }

    @Test
    @DisplayName("answers 503 with a JSON status when the legacy upstream is down")
    void upstreamDown() {
      gateway().modes().set(LIST_ROUTES, CutoverMode.http(), "test");
      HttpResponse<String> r = http.get("/v1/infra/router/routes");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(Http.error(r)).isEqualTo("UNAVAILABLE: legacy upstream unavailable");
    }
  }

  @Nested
  @DisplayName("NATS mode")
  class NatsMode {

    @Test
    @DisplayName("sends the request over NATS only")
    void nats() {
      gateway().modes().set(INFER, CutoverMode.nats(), "test");
      int before = legacy.served(INFER);
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":\"abc\"}");
      assertThat(upstream(r)).isEqualTo("nats");
      assertThat(tokens(r)).isEqualTo(3 + DIVERGENCE);
      assertThat(legacy.served(INFER)).isEqualTo(before);
    }
  }

  @Nested
  @DisplayName("SHADOW mode")
  class ShadowMode {

    @Test
    @DisplayName("answers from legacy, mirrors to NATS and reports exactly the differing field")
    void divergent() throws Exception {
      gateway().modes().set(EMBED, CutoverMode.shadow(), "test");
      HttpResponse<String> r = http.post("/v1/ai/llm/embed", "{\"text\":\"hi\"}", "Nh-Request-Id", "req-shadow-1");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(upstream(r)).isEqualTo("legacy");
      EmbedResponse.Builder answer = EmbedResponse.newBuilder();
      JsonFormat.parser().merge(r.body(), answer);
      assertThat(answer.getModel()).isEqualTo("atlas-small");
      ShadowResult result = awaitShadow("req-shadow-1");
      assertThat(result.route()).isEqualTo(EMBED);
      assertThat(result.skipped()).isEmpty();
      assertThat(result.differences()).containsExactly(
          new Difference("model", DifferenceKind.VALUE, "\"atlas-small\"", "\"atlas-small-next\""));
      assertThat(gateway().metrics().count("gateway.shadow.mismatches", "route", EMBED, "field", "model"))
          .isGreaterThanOrEqualTo(1);
    }

    @Test
    @DisplayName("counts agreeing answers, errors included, as matches")
    void agreeing() {
      gateway().modes().set(GENERATION, CutoverMode.shadow(), "test");
      double before = gateway().metrics().count("gateway.shadow.comparisons", "route", GENERATION, "result", "match");
      HttpResponse<String> r = http.get("/v1/ai/llm/generations/gen-unknown", "Nh-Request-Id", "req-shadow-2");
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(awaitShadow("req-shadow-2").matched()).isTrue();
      assertThat(gateway().metrics().count("gateway.shadow.comparisons", "route", GENERATION, "result", "match"))
          .isEqualTo(before + 1);
    }

    @Test
    @DisplayName("is refused by configuration for a method with side effects and no Idempotency-Key")
    void unsafe(HarnessRuntimeInfo info) throws Exception {
      try (GatewayEnv other = GatewayEnv.create(info)) {
        assertThatThrownBy(() -> other.gateway(c -> c.withLegacyUrl(legacy.uri())
            .withRoute(INFER, RouteSettings.none().withMode(CutoverMode.shadow()))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("route svc.ai.llm.v1.infer: SHADOW would run the method's side effects twice "
                + "(it has side effects and no Idempotency-Key)");
      }
    }

    private ShadowResult awaitShadow(String requestId) {
      return await().atMost(Duration.ofSeconds(5)).until(
          () -> env.shadows.stream().filter(s -> s.requestId().equals(requestId)).findFirst(),
          Optional::isPresent).orElseThrow();
    }
  }

  @Nested
  @DisplayName("CANARY mode and the router service")
  class CanaryMode {

    @Test
    @DisplayName("takes a route's mode from list_routes at start, over the configured one")
    void initialFromRouter() {
      assertThat(generationModeAtStart).isEqualTo(CutoverMode.nats());
    }

    @Test
    @DisplayName("follows route_mode_changed events without a restart")
    void liveSwitch() {
      gateway().modes().set(INFER, CutoverMode.http(), "test");
      assertThat(upstream(http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\"}"))).isEqualTo("legacy");
      routerSets(INFER, RouteMode.NATS, 0);
      await().atMost(Duration.ofSeconds(5)).until(() -> gateway().modes().get(INFER).equals(CutoverMode.nats()));
      assertThat(upstream(http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\"}"))).isEqualTo("nats");
    }

    @Test
    @DisplayName("splits 2,000 players within tolerance of the percentage, each player always on the same side")
    void split() {
      routerSets(INFER, RouteMode.CANARY, 30);
      await().atMost(Duration.ofSeconds(5)).until(() -> gateway().modes().get(INFER).equals(CutoverMode.canary(30)));
      Map<String, String> firstSide = send(2000, 0);
      long nats = firstSide.values().stream().filter("nats"::equals).count();
      long expected = firstSide.keySet().stream().filter(k -> CanarySplit.toNats(k, 30)).count();
      assertThat(nats).isEqualTo(expected);
      assertThat(nats).isBetween(540L, 660L);
      assertThat(firstSide.values()).containsOnly("nats", "legacy");
      Map<String, String> again = send(300, 0);
      again.forEach((player, side) -> assertThat(side).as(player).isEqualTo(firstSide.get(player)));
    }

    private Map<String, String> send(int players, int offset) {
      Semaphore window = new Semaphore(16);
      List<CompletableFuture<Map.Entry<String, String>>> all = new ArrayList<>();
      for (int i = offset; i < offset + players; i++) {
        String player = "player-" + i;
        window.acquireUninterruptibly();
        all.add(http.client().sendAsync(http.request("/v1/ai/llm/infer").header("Content-Type", "application/json")
                .header("X-Player-Id", player)
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"" + player + "\"}")).build(),
            HttpResponse.BodyHandlers.ofString())
            .whenComplete((r, e) -> window.release())
            .thenApply(r -> {
              assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
              return Map.entry(player, upstream(r));
            }));
      }
      Map<String, String> sides = new HashMap<>();
      all.forEach(f -> {
        Map.Entry<String, String> e = f.join();
        sides.put(e.getKey(), e.getValue());
      });
      return sides;
    }
  }
}
