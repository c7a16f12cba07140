package io.natsharness.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import io.natsharness.proto.common.v1.ErrorDetail;
import io.natsharness.gateway.support.GatewayEnv;
import io.natsharness.gateway.support.Http;
import io.natsharness.gateway.support.ScriptedLlm;
import io.natsharness.gateway.support.ScriptedRouter;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.ai.llm.v1.Generation;
import io.natsharness.proto.ai.llm.v1.InferRequest;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.proto.infra.router.v1.ListRoutesRequest;
import io.natsharness.proto.infra.router.v1.RouteMode;
import io.natsharness.gateway.config.RouteSettings;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest(redis = false, backend = Backend.EMBEDDED)
@DisplayName("Gateway transcoding: routes, JSON in and out, path and query binding, bad input")
class GatewayTranscodingTest {

  static final ScriptedLlm LLM = new ScriptedLlm();
  static GatewayEnv env;
  static ScriptedRouter router;
  static Http http;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) throws Exception {
    env = GatewayEnv.create(info);
    router = new ScriptedRouter(env.serviceNats);
    env.serve(LLM, router);
    env.gateway(c -> c.withRoute("svc.ai.llm.v1.infer", RouteSettings.none().withDeadline(Duration.ofSeconds(2))));
    http = env.http();
  }

  @AfterAll
  static void stop() throws Exception {
    env.close();
  }

  private static InferResponse inferResponse(HttpResponse<String> r) throws Exception {
    InferResponse.Builder b = InferResponse.newBuilder();
    JsonFormat.parser().merge(r.body(), b);
    return b.build();
  }

  @Nested
  @DisplayName("a good request")
  class Good {

    @Test
    @DisplayName("POST with a JSON body reaches the method of its route and gets its answer as JSON")
    void postBody() throws Exception {
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":\"hello\",\"model\":\"atlas-large\"}");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).contains("application/json");
      assertThat(r.headers().firstValue("nh-upstream")).contains("nats");
      assertThat(inferResponse(r)).isEqualTo(LLM.answer(
          InferRequest.newBuilder().setPrompt("hello").setModel("atlas-large").build()));
    }

    @Test
    @DisplayName("accepts both the JSON name and the proto name of a field")
    void fieldNames() throws Exception {
      http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\",\"maxTokens\":7}");
      assertThat(LLM.lastInfer.get().getMaxTokens()).isEqualTo(7);
      http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\",\"max_tokens\":9}");
      assertThat(LLM.lastInfer.get().getMaxTokens()).isEqualTo(9);
    }

    @Test
    @DisplayName("GET binds a percent-encoded path variable to its field")
    void pathVariable() throws Exception {
      HttpResponse<String> r = http.get("/v1/ai/llm/generations/gen%2Dknown");
      assertThat(r.statusCode()).isEqualTo(200);
      Generation.Builder g = Generation.newBuilder();
      JsonFormat.parser().merge(r.body(), g);
      assertThat(g.getGenerationId()).isEqualTo("gen-known");
    }

    @Test
    @DisplayName("GET binds query parameters, enums by name, to the request fields")
    void queryParameters() {
      HttpResponse<String> r = http.get("/v1/infra/router/routes?service=pay+ment&mode=CANARY&http_method=POST");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(router.lastList.get()).isEqualTo(ListRoutesRequest.newBuilder()
          .setService("pay ment").setMode(RouteMode.CANARY).setHttpMethod("POST").build());
    }

    @Test
    @DisplayName("echoes the caller's Nh-Request-Id, or makes one")
    void requestId() {
      assertThat(http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\"}", "Nh-Request-Id", "req-123")
          .headers().firstValue("nh-request-id")).contains("req-123");
      assertThat(LLM.lastContext.get().requestId()).isEqualTo("req-123");
      assertThat(http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\"}").headers().firstValue("nh-request-id"))
          .hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f-]{36}"));
    }

    @Test
    @DisplayName("passes Authorization and W3C trace context on to the service")
    void forwardsHeaders() {
      String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
      http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\"}", "Authorization", "Bearer abc.def",
          "traceparent", traceparent, "tracestate", "vendor=x");
      var ctx = LLM.lastContext.get();
      assertThat(ctx.authorization()).contains("Bearer abc.def");
      assertThat(ctx.header("traceparent")).hasValueSatisfying(
          tp -> assertThat(tp).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-"));
      assertThat(ctx.header("tracestate")).contains("vendor=x");
    }

    @Test
    @DisplayName("carries the route's deadline to the service as Nh-Deadline")
    void deadline() {
      long before = System.currentTimeMillis();
      http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\"}");
      long deadline = LLM.lastContext.get().deadline().toEpochMilli();
      assertThat(deadline).isBetween(before + 1_000, System.currentTimeMillis() + 2_000);
    }
  }

  @Nested
  @DisplayName("bad input")
  class BadInput {

    @Test
    @DisplayName("an unknown JSON field is refused with 400 naming the field")
    void unknownField() throws Exception {
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\",\"temprature\":1}");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(Http.error(r)).isEqualTo("INVALID_ARGUMENT: temprature: unknown field in ai.llm.v1.InferRequest");
      assertThat(Http.status(r).getDetails(0).unpack(ErrorDetail.class).getField()).isEqualTo("temprature");
    }

    @Test
    @DisplayName("malformed JSON is refused with 400")
    void malformed() {
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(Http.error(r)).startsWith(
          "INVALID_ARGUMENT: request is not a valid ai.llm.v1.InferRequest in proto3 JSON: ");
    }

    @Test
    @DisplayName("a JSON value of the wrong type is refused with 400")
    void wrongType() {
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\",\"max_tokens\":\"many\"}");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(Http.error(r)).isEqualTo(
          "INVALID_ARGUMENT: request is not a valid ai.llm.v1.InferRequest in proto3 JSON: Not an int32 value: \"many\"");
    }

    @Test
    @DisplayName("a body that is not JSON is refused with 415")
    void contentType() {
      HttpResponse<String> r = http.send(http.request("/v1/ai/llm/infer").header("Content-Type", "text/plain")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("prompt=a")).build());
      assertThat(r.statusCode()).isEqualTo(415);
      assertThat(Http.error(r)).isEqualTo("INVALID_ARGUMENT: Content-Type must be application/json, not text/plain");
      assertThat(LLM.lastInfer.get() == null || !LLM.lastInfer.get().getPrompt().equals("prompt=a")).isTrue();
    }

    @Test
    @DisplayName("an unknown path is 404")
    void unknownRoute() {
      HttpResponse<String> r = http.get("/v1/nothing/here");
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(Http.error(r)).isEqualTo("NOT_FOUND: no route for GET /v1/nothing/here");
    }

    @Test
    @DisplayName("a known path under another verb is 405 with Allow")
    void wrongMethod() {
      HttpResponse<String> r = http.get("/v1/ai/llm/infer");
      assertThat(r.statusCode()).isEqualTo(405);
      assertThat(r.headers().firstValue("allow")).contains("POST");
      assertThat(Http.error(r)).isEqualTo("UNIMPLEMENTED: method GET is not allowed on /v1/ai/llm/infer (allowed: POST)");
    }

    @Test
    @DisplayName("bad percent-encoding in the path or query is 400 from the HTTP parser, connection closed")
    void badEscapes() {
      // The JDK client refuses to send such URIs: raw requests do. Undertow's request parser
      // refuses them before any handler runs: a bare 400, nothing more.
      for (String target : new String[] {"/v1/ai/llm/generations/%zz", "/v1/infra/router/routes?service=%zz"}) {
        String answer = Http.raw(http.uri("/"), "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(answer).as(target).startsWith("HTTP/1.1 400 ").containsIgnoringCase("connection: close")
            .doesNotContainIgnoringCase("server:").doesNotContain("\tat ");
      }
    }

    @Test
    @DisplayName("an Nh-Deadline that is not epoch milliseconds is 400")
    void badDeadline() {
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\"}", "Nh-Deadline", "soon");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(Http.error(r)).isEqualTo("INVALID_ARGUMENT: Nh-Deadline: must be Unix epoch milliseconds, not 'soon'");
    }

    @Test
    @DisplayName("a route that needs an Idempotency-Key is 400 without one, before any call")
    void idempotencyKey() {
      HttpResponse<String> r = http.post("/v1/util/payment/wallets/w-1/charges", "{}");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(Http.error(r)).isEqualTo("INVALID_ARGUMENT: Idempotency-Key: header required by route "
          + "POST /v1/util/payment/wallets/{wallet_id}/charges");
    }
  }
}
