package io.natsharness.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import io.natsharness.gateway.config.RouteSettings;
import io.natsharness.gateway.cutover.CutoverMode;
import io.natsharness.gateway.shadow.ShadowResult;
import io.natsharness.gateway.support.GatewayEnv;
import io.natsharness.gateway.support.Http;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.proto.infra.auth.v1.IssueTokenResponse;
import io.natsharness.proto.infra.auth.v1.PrincipalKind;
import io.natsharness.proto.infra.auth.v1.RegisterPrincipalRequest;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.spi.ImplementationProvider;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The gateway in front of the reference implementation (auth, router and ai_integration on NATS,
 * their legacy HTTP side as the upstream, Redis for their state): real tokens, real revocation
 * events, real route_mode_changed events, SHADOW between the two sides of the same services.
 */
@NatsHarnessTest(backend = Backend.EMBEDDED)
@DisplayName("Gateway in front of the reference services")
class GatewayReferenceServicesTest {

  static final String PASSWORD = "correct horse battery";
  static ImplementationProvider.Running reference;
  static GatewayEnv env;
  static Http http;
  static RpcClient rpc;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) throws Exception {
    ImplementationProvider provider = ServiceLoader.load(ImplementationProvider.class).stream()
        .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("reference")).findFirst().orElseThrow();
    Map<String, String> environment = new HashMap<>(info.implementationEnvironment());
    environment.put("HTTP_PORT", "0");
    environment.put("NH_SERVICES", "auth,router,ai_integration");
    reference = provider.start(environment);
    env = GatewayEnv.create(info);
    rpc = RpcClient.builder().connection(env.serviceNats).build();
    env.gateway(c -> c.withLegacyUrl(java.net.URI.create("http://127.0.0.1:" + reference.httpPort().getAsInt()))
        .withRouterSync(true)
        .withRouterRefreshInterval(Duration.ofHours(1))
        .withAuthCacheTtl(Duration.ofMinutes(5))
        .withRoute("svc.ai.llm.v1.infer", RouteSettings.none().withScope("ai.llm:infer"))
        .withRoute("svc.ai.llm.v1.embed", RouteSettings.none().withScope("ai.llm:embed")));
    http = env.http();
    register("gw-player", "ai.llm:infer");
    register("gw-writer", "ai.llm:infer", "ai.llm:embed");
  }

  @AfterAll
  static void stop() throws Exception {
    rpc.close();
    env.close();
    reference.close();
  }

  static void register(String principal, String... scopes) {
    rpc.call("svc.infra.auth.v1.register_principal", RegisterPrincipalRequest.newBuilder()
        .setPrincipalId(principal).setPassword(PASSWORD).setKind(PrincipalKind.USER)
        .addAllScopes(java.util.List.of(scopes)).build());
  }

  /** A token issued by the auth service, asked through the gateway (a public route). */
  static String token(String principal) throws Exception {
    HttpResponse<String> r = http.post("/v1/infra/auth/tokens",
        "{\"principalId\":\"" + principal + "\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    IssueTokenResponse.Builder b = IssueTokenResponse.newBuilder();
    JsonFormat.parser().merge(r.body(), b);
    return b.getToken();
  }

  @Test
  @DisplayName("a token from the auth service opens the routes of its scopes, and only those")
  void realTokens() throws Exception {
    String token = token("gw-player");
    HttpResponse<String> ok = http.post("/v1/ai/llm/infer", "{\"prompt\":\"Tell me about NATS messaging\"}",
        "Authorization", "Bearer " + token);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    InferResponse.Builder answer = InferResponse.newBuilder();
    JsonFormat.parser().merge(ok.body(), answer);
    assertThat(answer.getGenerationId()).startsWith("gen-");
    HttpResponse<String> denied = http.post("/v1/ai/llm/embed", "{\"text\":\"x\"}", "Authorization", "Bearer " + token);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(Http.status(denied).getCode()).isEqualTo(com.google.rpc.Code.PERMISSION_DENIED_VALUE);
    HttpResponse<String> tampered = http.post("/v1/ai/llm/infer", "{\"prompt\":\"x\"}", "Authorization",
        "Bearer " + token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA"));
    assertThat(tampered.statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("a token revoked at the auth service is refused at once, although its check was cached")
  void revocation() throws Exception {
    String token = token("gw-player");
    assertThat(http.post("/v1/ai/llm/infer", "{\"prompt\":\"a\"}", "Authorization", "Bearer " + token).statusCode())
        .isEqualTo(200);
    HttpResponse<String> revoked = http.post("/v1/infra/auth/tokens:revoke", "{\"token\":\"" + token + "\"}");
    assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(http.post("/v1/ai/llm/infer",
        "{\"prompt\":\"a\"}", "Authorization", "Bearer " + token).statusCode()).isEqualTo(401));
  }

  @Test
  @DisplayName("the router service switches a route to SHADOW live, and both sides of the same service agree")
  void routerAndShadow() throws Exception {
    HttpResponse<String> set = http.send(http.request("/v1/infra/router/routes/svc.ai.llm.v1.embed/mode")
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"mode\":\"SHADOW\"}")).build());
    assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).until(() -> env.gateway().modes().get("svc.ai.llm.v1.embed")
        .equals(CutoverMode.shadow()));
    String token = token("gw-writer");
    HttpResponse<String> r = http.post("/v1/ai/llm/embed", "{\"text\":\"the old lighthouse\"}",
        "Authorization", "Bearer " + token, "Nh-Request-Id", "ref-shadow-1");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("nh-upstream")).contains("legacy");
    ShadowResult result = await().atMost(Duration.ofSeconds(5)).until(() -> env.shadows.stream()
        .filter(s -> s.requestId().equals("ref-shadow-1")).findFirst(), Optional::isPresent).orElseThrow();
    assertThat(result.skipped()).isEmpty();
    assertThat(result.differences()).isEmpty();
  }
}
