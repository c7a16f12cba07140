package io.natsharness.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.gateway.config.RouteSettings;
import io.natsharness.gateway.support.GatewayEnv;
import io.natsharness.gateway.support.Http;
import io.natsharness.gateway.support.ScriptedLlm;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.sdk.status.StatusCodes;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@NatsHarnessTest(redis = false, backend = Backend.EMBEDDED)
@DisplayName("Gateway errors: WIRE.md's table, no responders, deadlines, nothing leaked")
class GatewayErrorsTest {

  static final ScriptedLlm LLM = new ScriptedLlm();
  static GatewayEnv env;
  static Http http;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) throws Exception {
    env = GatewayEnv.create(info);
    env.serve(LLM);
    env.gateway(c -> c.withRoute("svc.ai.llm.v1.infer", RouteSettings.none().withDeadline(Duration.ofMillis(600))));
    http = env.http();
  }

  @AfterAll
  static void stop() throws Exception {
    env.close();
  }

  @Nested
  @DisplayName("a service error")
  class ServiceErrors {

    @ParameterizedTest(name = "{0} becomes its HTTP status with the same google.rpc.Status")
    @EnumSource(value = Code.class, mode = EnumSource.Mode.EXCLUDE, names = {"OK", "UNRECOGNIZED"})
    void everyRow(Code code) {
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":\"fail:" + code.name() + "\"}");
      assertThat(r.statusCode()).isEqualTo(StatusCodes.httpStatus(code));
      assertThat(Http.error(r)).isEqualTo(code.name() + ": forced " + code.name());
      assertThat(r.headers().firstValue("content-type")).contains("application/json");
    }

    @Test
    @DisplayName("a crash inside the service is 500 INTERNAL without its details")
    void crash() {
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":\"crash\"}");
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(Http.status(r).getCode()).isEqualTo(Code.INTERNAL_VALUE);
      assertThat(r.body()).doesNotContain("secret", "com.example", "IllegalStateException", "\tat ", ".java:");
    }
  }

  @Nested
  @DisplayName("the transport")
  class Transport {

    @Test
    @DisplayName("no responders (no service on the subject) is 503 UNAVAILABLE, at once")
    void noResponders() {
      long start = System.nanoTime();
      HttpResponse<String> r = http.get("/v1/util/time/now");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(Http.status(r).getCode()).isEqualTo(Code.UNAVAILABLE_VALUE);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    @DisplayName("a service slower than the route's deadline is 504 DEADLINE_EXCEEDED")
    void deadline() {
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":\"sleep:1500\"}");
      assertThat(r.statusCode()).isEqualTo(504);
      assertThat(Http.status(r).getCode()).isEqualTo(Code.DEADLINE_EXCEEDED_VALUE);
    }

    @Test
    @DisplayName("a caller's earlier Nh-Deadline wins over the route's")
    void callerDeadline() {
      long soon = System.currentTimeMillis() + 200;
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":\"sleep:400\"}", "Nh-Deadline",
          Long.toString(soon));
      assertThat(r.statusCode()).isEqualTo(504);
    }
  }

  @Nested
  @DisplayName("a failing service")
  class Breaker {

    @Test
    @DisplayName("is answered 503 at once after a run of failures (circuit breaker), without being called")
    void opens(HarnessRuntimeInfo info) throws Exception {
      try (GatewayEnv other = GatewayEnv.create(info)) {
        other.gateway(c -> c);
        for (int i = 0; i < 50; i++) {
          assertThat(other.http().post("/v1/ai/llm/infer", "{\"prompt\":\"crash\"}").statusCode()).isEqualTo(500);
        }
        int calls = LLM.calls.get();
        HttpResponse<String> r = other.http().post("/v1/ai/llm/infer", "{\"prompt\":\"ok\"}");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(Http.error(r)).startsWith("UNAVAILABLE: circuit breaker for svc.ai.llm.v1.infer is open");
        assertThat(LLM.calls.get()).isEqualTo(calls);
      }
    }
  }

  @Nested
  @DisplayName("every answer")
  class Hygiene {

    @Test
    @DisplayName("carries no Server banner and no stack trace, success or error")
    void noBanner() {
      for (HttpResponse<String> r : new HttpResponse[] {
          http.post("/v1/ai/llm/infer", "{\"prompt\":\"ok\"}"),
          http.post("/v1/ai/llm/infer", "{\"prompt\":\"crash\"}"),
          http.post("/v1/ai/llm/infer", "{\"prompt\":"),
          http.get("/nope"),
          http.get("/health")}) {
        assertThat(r.headers().firstValue("server")).as(r.uri().toString()).isEmpty();
        assertThat(r.headers().firstValue("x-powered-by")).isEmpty();
        // No stack frames, no server identity (a parser's message may name its exception type).
        assertThat(r.body()).doesNotContain("\tat ", "\n\tat", ".java:", "Undertow", "undertow");
      }
    }
  }
}
