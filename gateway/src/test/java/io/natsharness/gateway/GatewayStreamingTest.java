package io.natsharness.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.gateway.config.RouteSettings;
import io.natsharness.gateway.support.GatewayEnv;
import io.natsharness.gateway.support.Http;
import io.natsharness.gateway.support.ScriptedLlm;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.ai.llm.v1.InferChunk;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@NatsHarnessTest(redis = false, backend = Backend.EMBEDDED)
@DisplayName("Gateway streaming: server streams as Server-Sent Events")
class GatewayStreamingTest {

  static final String STREAM = "svc.ai.llm.v1.infer_stream";
  static final ScriptedLlm LLM = new ScriptedLlm();
  static GatewayEnv env;
  static Http http;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) throws Exception {
    env = GatewayEnv.create(info);
    env.serve(LLM);
    env.gateway(c -> c.withSseKeepAlive(Duration.ofMillis(200))
        .withRoute(STREAM, RouteSettings.none().withDeadline(Duration.ofSeconds(4))));
    http = env.http();
  }

  @AfterAll
  static void stop() throws Exception {
    env.close();
  }

  private static HttpResponse<InputStream> open(String prompt) {
    return http.stream(http.request("/v1/ai/llm/infer:stream").header("Content-Type", "application/json")
        .header("Accept", "text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"" + prompt + "\"}")).build());
  }

  private static InferChunk chunk(String json) throws Exception {
    InferChunk.Builder b = InferChunk.newBuilder();
    JsonFormat.parser().merge(json, b);
    return b.build();
  }

  @Test
  @DisplayName("sends one event per chunk, numbered, then an end event, read to the end")
  void readToTheEnd() throws Exception {
    HttpResponse<InputStream> r = open("one two three");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
        t -> assertThat(t).startsWith("text/event-stream"));
    List<Http.Event> events = Http.readEvents(r.body(), 100);
    assertThat(events).extracting(Http.Event::event).containsExactly("message", "message", "message", "end");
    assertThat(events).extracting(Http.Event::id).containsExactly("1", "2", "3", null);
    assertThat(chunk(events.get(0).data()).getText()).isEqualTo("one");
    assertThat(chunk(events.get(2).data())).isEqualTo(InferChunk.newBuilder().setText("three").setIndex(2)
        .setGenerationId("gen-stream").setFinishReason(io.natsharness.proto.ai.llm.v1.FinishReason.STOP).build());
  }

  @Test
  @DisplayName("a stream that fails before its first chunk is a plain HTTP error")
  void failsAtOnce() {
    HttpResponse<String> r = http.post("/v1/ai/llm/infer:stream", "{\"prompt\":\"fail:NOT_FOUND\"}");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(Http.error(r)).isEqualTo("NOT_FOUND: forced NOT_FOUND");
  }

  @Test
  @DisplayName("a stream that fails part way ends with an error event carrying the status")
  void failsPartWay() throws Exception {
    HttpResponse<InputStream> r = open("fail-after:2");
    List<Http.Event> events = Http.readEvents(r.body(), 100);
    assertThat(events).extracting(Http.Event::event).containsExactly("message", "message", "error");
    Status.Builder s = Status.newBuilder();
    JsonFormat.parser().merge(events.get(2).data(), s);
    assertThat(s.build()).isEqualTo(Status.newBuilder().setCode(Code.ABORTED_VALUE)
        .setMessage("forced failure after 2 chunks").build());
  }

  @Test
  @DisplayName("a client that hangs up frees its slot and drops the NATS stream; the service stops by the deadline")
  void clientHangsUp() throws Exception {
    HttpResponse<InputStream> r = open("endless");
    List<Http.Event> first = Http.readEvents(r.body(), 3); // closes the body: the client is gone
    assertThat(first).hasSize(3);
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(env.gateway().metrics().registry()
        .get("gateway.route.in_flight").tag("route", STREAM).gauge().value()).isZero());
    // The gateway unsubscribed: the service still sends (nothing in WIRE.md tells it the caller
    // left), but no chunk reaches the gateway any more.
    long received = env.gatewayNats().getStatistics().getInMsgs();
    int sent = LLM.endlessSent.get();
    await().atMost(Duration.ofSeconds(2)).until(() -> LLM.endlessSent.get() >= sent + 5 || LLM.endlessStopped.get() != null);
    assertThat(env.gatewayNats().getStatistics().getInMsgs()).isLessThanOrEqualTo(received + 2);
    // And the stream never outlives its deadline (4 s for this route).
    await().atMost(Duration.ofSeconds(6)).until(() -> LLM.endlessStopped.get() != null);
    assertThat(LLM.endlessStopped.get()).isIn("deadline", "DEADLINE_EXCEEDED");
  }
}
