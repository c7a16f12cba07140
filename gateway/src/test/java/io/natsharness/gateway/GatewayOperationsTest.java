package io.natsharness.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.gateway.support.GatewayEnv;
import io.natsharness.gateway.support.Http;
import io.natsharness.gateway.support.ScriptedLlm;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@NatsHarnessTest(redis = false, backend = Backend.EMBEDDED)
@DisplayName("Gateway operations: /health and /metrics")
class GatewayOperationsTest {

  static GatewayEnv env;
  static Http http;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) throws Exception {
    env = GatewayEnv.create(info);
    env.serve(new ScriptedLlm());
    env.gateway(c -> c);
    http = env.http();
  }

  @AfterAll
  static void stop() throws Exception {
    env.close();
  }

  @Test
  @DisplayName("/health is 200 and UP while NATS is connected")
  void healthy() {
    HttpResponse<String> r = http.get("/health");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).startsWith("{\"status\":\"UP\",\"nats\":\"CONNECTED\",\"routes\":"
        + io.natsharness.proto.catalog.ServiceCatalog.load().methods().size() + ",");
  }

  @Test
  @DisplayName("/health is 503 and DOWN once the NATS connection is gone")
  void unhealthy(HarnessRuntimeInfo info) throws Exception {
    try (GatewayEnv other = GatewayEnv.create(info)) {
      other.gateway(c -> c);
      other.gatewayNats().close();
      HttpResponse<String> r = other.http().get("/health");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).startsWith("{\"status\":\"DOWN\",\"nats\":\"CLOSED\"");
    }
  }

  @Test
  @DisplayName("/metrics serves Prometheus text with requests by route, status, mode and upstream")
  void metrics() {
    http.post("/v1/ai/llm/infer", "{\"prompt\":\"m\"}");
    http.post("/v1/ai/llm/infer", "{\"prompt\":\"fail:NOT_FOUND\"}");
    http.get("/v1/nowhere");
    HttpResponse<String> r = http.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(r.body())
        .contains("gateway_requests_seconds_count{mode=\"NATS\",route=\"svc.ai.llm.v1.infer\",status=\"200\",upstream=\"nats\"}")
        .contains("gateway_requests_seconds_count{mode=\"NATS\",route=\"svc.ai.llm.v1.infer\",status=\"404\",upstream=\"nats\"}")
        .contains("gateway_requests_seconds_count{mode=\"none\",route=\"none\",status=\"404\",upstream=\"gateway\"}")
        .contains("gateway_in_flight ")
        .contains("gateway_route_mode{route=\"svc.ai.llm.v1.infer\"} 4.0");
  }

  @Test
  @DisplayName("the operations endpoints answer GET only")
  void getOnly() {
    HttpResponse<String> r = http.send("POST", "/health", HttpRequest.BodyPublishers.noBody());
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("allow")).contains("GET");
  }
}
