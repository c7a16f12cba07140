package io.natsharness.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.gateway.config.RouteSettings;
import io.natsharness.gateway.support.GatewayEnv;
import io.natsharness.gateway.support.Http;
import io.natsharness.gateway.support.ScriptedLlm;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest(redis = false, backend = Backend.EMBEDDED)
@DisplayName("Gateway limits: body size, slow clients, in-flight bounds")
class GatewayLimitsTest {

  static final int LIMIT = 16 * 1024;
  static final ScriptedLlm LLM = new ScriptedLlm();
  static GatewayEnv env;
  static Http http;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) throws Exception {
    env = GatewayEnv.create(info);
    env.serve(LLM);
    env.gateway(GatewayLimitsTest::limited);
    http = env.http();
  }

  static io.natsharness.gateway.config.GatewayConfig.Builder limited(io.natsharness.gateway.config.GatewayConfig.Builder c) {
    return c.withMaxBodyBytes(LIMIT)
        .withBodyReadTimeout(Duration.ofMillis(500))
        .withRequestParseTimeout(Duration.ofMillis(500))
        .withIdleTimeout(Duration.ofMillis(800))
        .withMaxInFlight(3)
        .withMaxInFlightPerRoute(3)
        .withRetryAfter(Duration.ofSeconds(2))
        .withRoute("svc.ai.llm.v1.infer", RouteSettings.none().withMaxInFlight(2));
  }

  @AfterAll
  static void stop() throws Exception {
    env.close();
  }

  private static String bigPrompt(int size) {
    return "{\"prompt\":\"" + "x".repeat(size) + "\"}";
  }

  @Nested
  @DisplayName("an oversized body")
  class Oversized {

    @Test
    @DisplayName("with Content-Length is 413 before anything is published")
    void declared() {
      int before = LLM.calls.get();
      String body = bigPrompt(LIMIT + 10);
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", body);
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(Http.error(r)).isEqualTo("RESOURCE_EXHAUSTED: request body of " + body.length()
          + " bytes exceeds the limit of " + LIMIT + " bytes");
      assertThat(LLM.calls.get()).isEqualTo(before);
    }

    @Test
    @DisplayName("sent chunked (no Content-Length) is 413 as soon as it passes the limit")
    void chunked() {
      int before = LLM.calls.get();
      byte[] body = bigPrompt(LIMIT * 4).getBytes(StandardCharsets.UTF_8);
      HttpResponse<String> r = http.send(http.request("/v1/ai/llm/infer").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build());
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(Http.error(r)).isEqualTo("RESOURCE_EXHAUSTED: request body exceeds the limit of " + LIMIT + " bytes");
      assertThat(LLM.calls.get()).isEqualTo(before);
    }

    @Test
    @DisplayName("headers above 64 KiB are refused by the HTTP parser before any handler runs")
    void hugeHeaders() {
      int before = LLM.calls.get();
      String answer = Http.raw(http.uri("/"), "POST /v1/ai/llm/infer HTTP/1.1\r\nHost: x\r\nX-Big: "
          + "y".repeat(70 * 1024) + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
      assertThat(answer).startsWith("HTTP/1.1 400 ");
      assertThat(LLM.calls.get()).isEqualTo(before);
    }

    @Test
    @DisplayName("a body just under the limit is served")
    void underLimit() {
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", bigPrompt(LIMIT - 100));
      assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a configured limit above NATS max_payload is lowered to it")
    void clampedToMaxPayload(HarnessRuntimeInfo info) throws Exception {
      try (GatewayEnv other = GatewayEnv.create(info)) {
        Gateway g = other.gateway(c -> c.withMaxBodyBytes(64L * 1024 * 1024));
        long maxPayload = other.serviceNats.getServerInfo().getMaxPayload();
        assertThat(g.maxBodyBytes()).isEqualTo(maxPayload);
        HttpResponse<String> r = other.http().post("/v1/ai/llm/infer", bigPrompt((int) maxPayload + 1));
        assertThat(r.statusCode()).isEqualTo(413);
      }
    }

    @Test
    @DisplayName("a body within the limit whose NATS message would not fit max_payload is 413, not published")
    void encodedTooLarge(HarnessRuntimeInfo info) throws Exception {
      try (GatewayEnv other = GatewayEnv.create(info)) {
        other.gateway(c -> c.withMaxBodyBytes(64L * 1024 * 1024));
        long maxPayload = other.serviceNats.getServerInfo().getMaxPayload();
        int before = LLM.calls.get();
        String body = bigPrompt((int) maxPayload - 100);
        HttpResponse<String> r = other.http().post("/v1/ai/llm/infer", body);
        assertThat(r.statusCode()).isEqualTo(413);
        int encoded = io.natsharness.proto.ai.llm.v1.InferRequest.newBuilder()
            .setPrompt("x".repeat((int) maxPayload - 100)).build().getSerializedSize();
        assertThat(Http.error(r)).isEqualTo("RESOURCE_EXHAUSTED: request of " + encoded
            + " bytes does not fit in a NATS message (max_payload " + maxPayload + " bytes)");
        assertThat(LLM.calls.get()).isEqualTo(before);
      }
    }
  }

  @Nested
  @DisplayName("a slow client")
  class SlowClients {

    @Test
    @DisplayName("that stops sending its body is answered 408 and disconnected")
    void slowBody() throws Exception {
      try (Socket s = new Socket("127.0.0.1", env.gateway().port())) {
        s.setSoTimeout(5_000);
        OutputStream out = s.getOutputStream();
        out.write(("POST /v1/ai/llm/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: 100\r\n\r\n{\"prompt\":").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).startsWith("HTTP/1.1 408 ");
        assertThat(answer).contains("request body not received within 500 ms");
      }
    }

    @Test
    @DisplayName("that keeps an idle connection open is disconnected after the idle timeout")
    void idleConnection() throws Exception {
      try (Socket s = new Socket("127.0.0.1", env.gateway().port())) {
        s.setSoTimeout(5_000);
        long start = System.nanoTime();
        s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(all).startsWith("HTTP/1.1 200 ");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(600), Duration.ofSeconds(4));
      }
    }

    @Test
    @DisplayName("that stops sending its headers is disconnected after the parse timeout")
    void slowHeaders() throws Exception {
      try (Socket s = new Socket("127.0.0.1", env.gateway().port())) {
        s.setSoTimeout(5_000);
        long start = System.nanoTime();
        s.getOutputStream().write("POST /v1/ai/llm/infer HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        int read;
        try {
          read = in.read();
        } catch (IOException reset) {
          read = -1;
        }
        assertThat(read).isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
      }
    }
  }

  @Nested
  @DisplayName("a flood")
  class Flood {

    @AfterEach
    void release() {
      LLM.release();
    }

    @Test
    @DisplayName("beyond the route's in-flight bound is refused at once with 429 and Retry-After")
    void routeBound() {
      List<CompletableFuture<HttpResponse<String>>> held = List.of(blocked(), blocked());
      await().atMost(Duration.ofSeconds(5)).until(() -> LLM.blocked.get() == 2);
      HttpResponse<String> r = http.post("/v1/ai/llm/infer", "{\"prompt\":\"x\"}");
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.headers().firstValue("retry-after")).contains("2");
      assertThat(Http.error(r)).isEqualTo(
          "RESOURCE_EXHAUSTED: too many requests in flight on svc.ai.llm.v1.infer; retry after 2 s");
      LLM.release();
      assertThat(held).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));
    }

    @Test
    @DisplayName("beyond the gateway's in-flight bound is refused at once with 503 and Retry-After")
    void gatewayBound() {
      List<CompletableFuture<HttpResponse<String>>> held = List.of(blocked(), blocked(), blockedEmbed());
      await().atMost(Duration.ofSeconds(5)).until(() -> LLM.blocked.get() == 3);
      HttpResponse<String> r = http.get("/v1/ai/llm/generations/gen-known");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("retry-after")).contains("2");
      assertThat(Http.error(r)).isEqualTo("UNAVAILABLE: the gateway is at its in-flight limit; retry after 2 s");
      LLM.release();
      assertThat(held).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));
    }

    private CompletableFuture<HttpResponse<String>> blocked() {
      return http.client().sendAsync(http.request("/v1/ai/llm/infer").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"block\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> blockedEmbed() {
      return http.client().sendAsync(http.request("/v1/ai/llm/embed").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"block\"}")).build(), HttpResponse.BodyHandlers.ofString());
    }
  }
}
