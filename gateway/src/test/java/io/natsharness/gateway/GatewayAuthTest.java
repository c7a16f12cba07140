package io.natsharness.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.rpc.Code;
import com.google.rpc.Status;
import io.nats.client.Connection;
import io.natsharness.gateway.config.RouteSettings;
import io.natsharness.gateway.support.GatewayEnv;
import io.natsharness.gateway.support.Http;
import io.natsharness.gateway.support.ScriptedAuth;
import io.natsharness.gateway.support.ScriptedLlm;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.infra.auth.v1.TokenRevoked;
import io.natsharness.sdk.service.ServiceHost;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest(redis = false, backend = Backend.EMBEDDED)
@DisplayName("Gateway auth: bearer tokens checked by the auth service")
class GatewayAuthTest {

  static final ScriptedLlm LLM = new ScriptedLlm();
  static final ScriptedAuth AUTH = new ScriptedAuth()
      .grant("reader", "ai:infer")
      .grant("writer", "ai:infer", "ai:embed")
      .grant("cached", "ai:infer")
      .grant("revoked-later", "ai:infer");
  static GatewayEnv env;
  static Http http;
  static ServiceHost authHost;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) throws Exception {
    env = GatewayEnv.create(info);
    env.serve(LLM);
    authHost = env.serve(AUTH);
    env.gateway(c -> c.withDefaultScope("ai:infer")
        .withAuthCacheTtl(Duration.ofMinutes(5))
        .withRoute("svc.ai.llm.v1.embed", RouteSettings.none().withScope("ai:embed"))
        .withRoute("svc.ai.llm.v1.get_generation", RouteSettings.none().withScope("")));
    http = env.http();
  }

  @AfterAll
  static void stop() throws Exception {
    env.close();
  }

  private static Status status(Code code, String message) {
    return Status.newBuilder().setCode(code.getNumber()).setMessage(message).build();
  }

  @Nested
  @DisplayName("refuses")
  class Refuses {

    @Test
    @DisplayName("a request without a token: 401 with a Bearer challenge, the service is not called")
    void missing() {
      int before = LLM.calls.get();
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\"}");
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().firstValue("www-authenticate")).contains(
          "Bearer realm=\"nats-harness\", error=\"invalid_token\"");
      assertThat(Http.error(r)).isEqualTo("UNAUTHENTICATED: missing bearer token");
      assertThat(LLM.calls.get()).isEqualTo(before);
    }

    @Test
    @DisplayName("an Authorization header of another scheme: 401")
    void otherScheme() {
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\"}", "Authorization", "Basic dTpw");
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(Http.error(r)).isEqualTo("UNAUTHENTICATED: Authorization header is not 'Bearer <token>'");
    }

    @Test
    @DisplayName("a token the auth service calls invalid: 401")
    void invalid() {
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\"}", "Authorization", "Bearer forged");
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(Http.error(r)).isEqualTo("UNAUTHENTICATED: token is invalid or expired");
    }

    @Test
    @DisplayName("a valid token without the route's scope: 403 naming the scope")
    void scope() {
      HttpResponse<String> r = http.post("/v1/ai/llm/embed", "{\"text\":\"a\"}", "Authorization", "Bearer reader");
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.headers().firstValue("www-authenticate")).contains(
          "Bearer realm=\"nats-harness\", error=\"insufficient_scope\", scope=\"ai:embed\"");
      assertThat(Http.error(r)).isEqualTo("PERMISSION_DENIED: token lacks scope ai:embed");
    }

    @Test
    @DisplayName("a token while the auth service is down: 503 UNAVAILABLE")
    void authDown() {
      authHost.close();
      try {
        HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\"}", "Authorization",
            "Bearer never-cached");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(Http.error(r)).isEqualTo("UNAVAILABLE: auth service unavailable");
      } finally {
        authHost = env.serve(AUTH);
      }
    }
  }

  @Nested
  @DisplayName("admits")
  class Admits {

    @Test
    @DisplayName("a token with the scope, and passes its Authorization header to the service")
    void valid() {
      HttpResponse<String> r = http.post("/v1/ai/llm/embed", "{\"text\":\"a\"}", "Authorization", "Bearer writer");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(LLM.lastContext.get().authorization()).contains("Bearer writer");
    }

    @Test
    @DisplayName("a public route (empty scope) without any token")
    void publicRoute() {
      assertThat(http.get("/v1/ai/llm/generations/gen-known").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a repeated token from the cache, without asking the auth service again")
    void cached() {
      assertThat(http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\"}", "Authorization", "Bearer cached").statusCode())
          .isEqualTo(200);
      int after = AUTH.validations.get();
      assertThat(http.post("/v1/ai/llm/infer", "{\"prompt\":\"b\"}", "Authorization", "Bearer cached").statusCode())
          .isEqualTo(200);
      assertThat(AUTH.validations.get()).isEqualTo(after);
    }

    @Test
    @DisplayName("no more once a token_revoked event names the cached token")
    void revocation() throws Exception {
      assertThat(http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\"}", "Authorization", "Bearer revoked-later")
          .statusCode()).isEqualTo(200);
      AUTH.revoke("revoked-later");
      assertThat(http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\"}", "Authorization", "Bearer revoked-later")
          .statusCode()).as("still cached").isEqualTo(200);
      String subject = ServiceCatalog.load().events().stream()
          .filter(e -> e.name().equals("token_revoked")).findFirst().orElseThrow().subject();
      Connection nats = env.serviceNats;
      nats.publish(subject, TokenRevoked.newBuilder().setTokenId("tok-revoked-later").build().toByteArray());
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
          http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\"}", "Authorization", "Bearer revoked-later").statusCode())
          .isEqualTo(401));
    }
  }
}
