package io.natsharness.services.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.nats.client.Connection;
import io.nats.service.Discovery;
import io.nats.service.EndpointStats;
import io.nats.service.StatsResponse;
import io.natsharness.harness.FaultSwitches;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.game.world.v1.WatchRegionRequest;
import io.natsharness.proto.infra.events.v1.PublishRequest;
import io.natsharness.proto.infra.events.v1.ReplayRequest;
import io.natsharness.proto.infra.events.v1.StoredEvent;
import io.natsharness.proto.infra.router.v1.GetRouteModeRequest;
import io.natsharness.proto.infra.router.v1.ResolveRequest;
import io.natsharness.proto.infra.router.v1.ResolveResponse;
import io.natsharness.proto.infra.router.v1.RouteMode;
import io.natsharness.proto.infra.router.v1.RouteModeSetting;
import io.natsharness.proto.infra.router.v1.SetRouteModeRequest;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.testing.Answer;
import io.natsharness.services.testing.HttpTransport;
import io.natsharness.services.testing.NatsTransport;
import io.natsharness.services.testing.Sse;
import io.natsharness.services.testing.TestHosts;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("ReferenceHost")
class ReferenceHostTest {

  private static final ServiceCatalog CATALOG = ServiceCatalog.load();
  private static ReferenceHost host;

  @BeforeAll
  static void startHost(HarnessRuntimeInfo info) {
    host = TestHosts.start(info, "router,event_bus");
  }

  @AfterAll
  static void stopHost() {
    host.close();
  }

  private static HttpTransport http() {
    return new HttpTransport(host.httpUrl());
  }

  private static MethodInfo method(String subject) {
    return CATALOG.method(subject).orElseThrow();
  }

  @Nested
  @DisplayName("the HTTP side")
  class Http {

    @Test
    @DisplayName("answers a method on its route with the same message as NATS")
    void sameAnswer(RpcClient client) {
      ResolveRequest request = ResolveRequest.newBuilder().setHttpMethod("GET").setPath("/v1/ai/llm/generations/g%201").build();
      Answer overHttp = http().call(method("svc.infra.router.v1.resolve"), request, Map.of());
      ResolveResponse overNats = client.call("svc.infra.router.v1.resolve", request);
      assertThat((ResolveResponse) overHttp.single()).isEqualTo(overNats);
      assertThat(overNats.getPathParamsMap()).containsEntry("generation_id", "g 1");
    }

    @Test
    @DisplayName("maps an error to WIRE.md's HTTP status with a google.rpc.Status body naming the field")
    void errorStatus() {
      HttpResponse<String> response = http().send(method("svc.infra.router.v1.set_route_mode"),
          SetRouteModeRequest.newBuilder().setSubject("svc.ai.llm.v1.infer").setMode(RouteMode.CANARY)
              .setCanaryPercent(200).build(), Map.of());
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
      assertThat(response.headers().firstValue("Nh-Status")).contains("INVALID_ARGUMENT");
      Status status = HttpTransport.status(response.body());
      assertThat(status.getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
      assertThat(status.getMessage()).isEqualTo("canary_percent: must be in [0, 100]");
      assertThat(status.getDetailsCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("echoes Nh-Request-Id")
    void requestId() {
      HttpResponse<String> response = http().send(method("svc.infra.router.v1.get_route_mode"),
          GetRouteModeRequest.newBuilder().setSubject("svc.ai.llm.v1.infer").build(), Map.of("Nh-Request-Id", "req-42"));
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Nh-Request-Id")).contains("req-42");
    }

    @Test
    @DisplayName("answers 404 NOT_FOUND for a path without a route, naming the verbs it has")
    void noRoute() {
      HttpResponse<String> response = http().raw("DELETE", "/v1/infra/router/routes:resolve",
          HttpRequest.BodyPublishers.noBody(), Map.of());
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(HttpTransport.status(response.body()).getMessage())
          .isEqualTo("no route for DELETE /v1/infra/router/routes:resolve (the path has a route for GET)");
    }

    @Test
    @DisplayName("refuses malformed JSON, a foreign content type and an oversized body with 400 and 413")
    void badBodies() {
      String path = "/v1/infra/router/routes/svc.ai.llm.v1.infer/mode";
      HttpResponse<String> malformed = http().raw("PUT", path, HttpRequest.BodyPublishers.ofString("{nope"), Map.of());
      assertThat(malformed.statusCode()).isEqualTo(400);
      assertThat(HttpTransport.status(malformed.body()).getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
      HttpResponse<String> xml = http().raw("PUT", path, HttpRequest.BodyPublishers.ofString("<a/>"),
          Map.of("Content-Type", "application/xml"));
      assertThat(xml.statusCode()).isEqualTo(400);
      assertThat(HttpTransport.status(xml.body()).getMessage())
          .isEqualTo("Content-Type: unsupported content type 'application/xml': the HTTP side takes application/json");
      HttpResponse<String> big = http().raw("PUT", path,
          HttpRequest.BodyPublishers.ofString("{\"subject\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}"), Map.of());
      assertThat(big.statusCode()).isEqualTo(413);
    }

    @Test
    @DisplayName("streams a server stream as SSE events ending with an end event")
    void sse(RpcClient client) {
      for (int i = 0; i < 3; i++) {
        client.call("svc.infra.events.v1.publish", PublishRequest.newBuilder().setTopic("evt.game.world.v1.moved")
            .setEventId("sse-" + i).setPayload(ByteString.copyFromUtf8("m" + i)).build());
      }
      HttpResponse<String> response = http().send(method("svc.infra.events.v1.replay"),
          ReplayRequest.newBuilder().setTopic("evt.game.world.v1.moved").build(), Map.of());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
      List<Sse.Event> events = Sse.parse(response.body());
      assertThat(events).extracting(Sse.Event::name).containsExactly("message", "message", "message", "end");
      assertThat(events).extracting(Sse.Event::id).containsExactly("1", "2", "3", "");
      Answer answer = HttpTransport.parse(method("svc.infra.events.v1.replay"), response);
      assertThat(answer.messages()).extracting(m -> ((StoredEvent) m).getEventId()).containsExactly("sse-0", "sse-1", "sse-2");
    }

    @Test
    @DisplayName("answers a stream's early error as a plain HTTP error")
    void streamError() {
      HttpResponse<String> response = http().send(method("svc.infra.events.v1.replay"),
          ReplayRequest.newBuilder().setTopic("evt.>").build(), Map.of());
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(HttpTransport.status(response.body()).getMessage())
          .isEqualTo("topic: must be evt.<domain>. followed by a subject inside that domain");
    }

    @Test
    @DisplayName("passes Nh-Deadline: a request already past it is DEADLINE_EXCEEDED (504)")
    void deadline() {
      HttpResponse<String> response = http().send(method("svc.infra.router.v1.get_route_mode"),
          GetRouteModeRequest.newBuilder().setSubject("svc.ai.llm.v1.infer").build(),
          Map.of("Nh-Deadline", Long.toString(System.currentTimeMillis() - 1000)));
      assertThat(response.statusCode()).isEqualTo(504);
    }
  }

  @Nested
  @DisplayName("metrics and health")
  class MetricsAndHealth {

    @Test
    @DisplayName("/metrics counts requests, errors and latency per method and transport")
    void metrics(RpcClient client) {
      client.call("svc.infra.router.v1.get_route_mode", GetRouteModeRequest.newBuilder().setSubject("svc.ai.llm.v1.embed").build());
      http().send(method("svc.infra.router.v1.get_route_mode"), GetRouteModeRequest.newBuilder().setSubject("svc.x").build(), Map.of());
      HttpResponse<String> scrape = http().raw("GET", "/metrics", HttpRequest.BodyPublishers.noBody(), Map.of());
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body())
          .containsPattern("nh_server_requests_seconds_count\\{code=\"OK\",method=\"get_route_mode\",service=\"router\",transport=\"nats\"} [1-9]")
          .containsPattern("nh_server_errors_total\\{code=\"NOT_FOUND\",method=\"get_route_mode\",service=\"router\",transport=\"http\"} [1-9]")
          .contains("nh_server_requests_seconds_bucket{code=\"OK\",method=\"get_route_mode\",service=\"router\",transport=\"nats\",le=\"0.001\"}");
    }

    @Test
    @DisplayName("/health is 200 with NATS and Redis up, 503 when Redis is down")
    void health(FaultSwitches faults) {
      HttpResponse<String> up = http().raw("GET", "/health", HttpRequest.BodyPublishers.noBody(), Map.of());
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(up.body()).isEqualTo("{\"status\":\"UP\",\"nats\":\"UP\",\"nats_status\":\"CONNECTED\",\"redis\":\"UP\"}");
      faults.redis().stop();
      try {
        HttpResponse<String> down = http().raw("GET", "/health", HttpRequest.BodyPublishers.noBody(), Map.of());
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).contains("\"status\":\"DOWN\"", "\"redis\":\"DOWN\"", "\"nats\":\"UP\"");
      } finally {
        faults.redis().start();
      }
    }
  }

  @Nested
  @DisplayName("several hosts")
  class SeveralHosts {

    @Test
    @DisplayName("share the load through the queue group")
    void shareLoad(RpcClient client, Connection nats, HarnessRuntimeInfo info) {
      try (ReferenceHost second = TestHosts.start(info, "router")) {
        for (int i = 0; i < 60; i++) {
          client.call("svc.infra.router.v1.get_route_mode",
              GetRouteModeRequest.newBuilder().setSubject("svc.ai.llm.v1.infer").build());
        }
        List<StatsResponse> stats = new Discovery(nats, 1000, 10).stats("router");
        assertThat(stats).hasSize(2);
        assertThat(stats).allSatisfy(s -> assertThat(s.getEndpointStatsList().stream()
            .filter(e -> e.getSubject().equals("svc.infra.router.v1.get_route_mode"))
            .mapToLong(EndpointStats::getNumRequests).sum()).isPositive());
      }
    }

    @Test
    @DisplayName("closing drains: streams in flight on both transports run to their end marker")
    void drains(RpcClient client, HarnessRuntimeInfo info) throws Exception {
      MethodInfo watch = method("svc.game.world.v1.watch_region");
      WatchRegionRequest request = WatchRegionRequest.newBuilder().setRegion("drain-region")
          .setHeartbeatIntervalMs(200).build();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try (ReferenceHost draining = TestHosts.start(info, "world_state")) {
        Future<Answer> overHttp = pool.submit(() -> new HttpTransport(draining.httpUrl()).call(watch, request,
            Map.of("Nh-Deadline", Long.toString(System.currentTimeMillis() + 1500))));
        Future<Answer> overNats = pool.submit(() -> new NatsTransport(client).call(watch, request,
            CallOptions.builder().timeout(Duration.ofMillis(1500)).build()));
        Thread.sleep(400);
        long start = System.nanoTime();
        draining.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(500));
        assertThat(overHttp.get(5, TimeUnit.SECONDS).error()).isEmpty();
        assertThat(overHttp.get().messages()).isNotEmpty();
        assertThat(overNats.get(5, TimeUnit.SECONDS).error()).isEmpty();
        assertThat(overNats.get().messages()).isNotEmpty();
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    @DisplayName("keep state across a restart: a new host on the same Redis sees it")
    void restart(RpcClient client, HarnessRuntimeInfo info) {
      RouteModeSetting set = client.call("svc.infra.router.v1.set_route_mode", SetRouteModeRequest.newBuilder()
          .setSubject("svc.util.time.v1.now").setMode(RouteMode.NATS).build());
      host.close();
      host = TestHosts.start(info, "router,event_bus");
      RouteModeSetting read = client.call("svc.infra.router.v1.get_route_mode",
          GetRouteModeRequest.newBuilder().setSubject("svc.util.time.v1.now").build());
      assertThat(read).isEqualTo(set);
    }
  }
}
