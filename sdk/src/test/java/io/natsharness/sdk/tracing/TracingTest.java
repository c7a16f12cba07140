package io.natsharness.sdk.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.context.Deadlines;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.ServiceHost;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.support.NatsServerExtension;
import io.natsharness.sdk.support.ScriptedService;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A trace and a deadline across two hops: test → ai_router.infer → ai_integration.infer, each
 * service on its own connection, as in production.
 */
class TracingTest {

  @RegisterExtension
  static final NatsServerExtension NATS = new NatsServerExtension();

  private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
  private static final OpenTelemetrySdk OTEL = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(SPANS)).build())
      .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
      .build();
  private static final SimpleMeterRegistry METERS = new SimpleMeterRegistry();
  /** What the second hop saw: its trace id, its deadline, its traceparent header. */
  private static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

  private static ServiceHost router;
  private static ServiceHost llm;
  private static RpcClient routerClient;
  private static RpcClient caller;

  @BeforeAll
  static void start() {
    Connection routerConnection = NATS.connect();
    Connection llmConnection = NATS.connect();
    routerClient = RpcClient.builder().connection(routerConnection).openTelemetry(OTEL).build();
    router = ServiceHost.builder().connection(routerConnection).openTelemetry(OTEL).meterRegistry(METERS)
        .add(ScriptedService.of("ai_router").unary("infer",
            (io.natsharness.proto.ai.router.v1.InferRequest q, CallContext ctx) -> routerClient.call(
                "svc.ai.llm.v1.infer", io.natsharness.proto.ai.llm.v1.InferRequest.newBuilder()
                    .setPrompt(q.getPrompt()).build(), CallOptions.defaults())))
        .build().start();
    llm = ServiceHost.builder().connection(llmConnection).openTelemetry(OTEL).meterRegistry(METERS)
        .add(ScriptedService.of("ai_integration").unary("infer",
            (io.natsharness.proto.ai.llm.v1.InferRequest q, CallContext ctx) -> {
              if (q.getPrompt().isEmpty()) {
                throw RpcException.invalidArgument("prompt", "must not be empty");
              }
              SEEN.put("traceId", Span.current().getSpanContext().getTraceId());
              SEEN.put("deadline", Deadlines.current().orElseThrow());
              SEEN.put("traceparent", ctx.header("traceparent").orElseThrow());
              return InferResponse.newBuilder().setOutput("echo " + q.getPrompt()).build();
            }))
        .build().start();
    caller = RpcClient.builder().connection(NATS.connect()).openTelemetry(OTEL).meterRegistry(METERS).build();
  }

  @AfterAll
  static void stop() {
    caller.close();
    routerClient.close();
    router.close();
    llm.close();
  }

  @BeforeEach
  void reset() {
    SPANS.reset();
    SEEN.clear();
  }

  private static InferResponse callRouter(String prompt, Instant deadline) {
    return caller.call("svc.ai.router.v1.infer", io.natsharness.proto.ai.router.v1.InferRequest.newBuilder()
        .setPrompt(prompt).build(), CallOptions.builder().deadline(deadline).build());
  }

  @Test
  @DisplayName("one trace id survives two hops, with client and server spans chained parent to child")
  void traceSurvivesTwoHops() {
    Span root = OTEL.getTracer("test").spanBuilder("test").startSpan();
    String traceId = root.getSpanContext().getTraceId();
    try (Scope ignored = root.makeCurrent()) {
      assertThat(callRouter("hi", Instant.now().plusSeconds(5)).getOutput()).isEqualTo("echo hi");
    } finally {
      root.end();
    }
    assertThat(SEEN.get("traceId")).isEqualTo(traceId);
    assertThat((String) SEEN.get("traceparent")).startsWith("00-" + traceId + "-");
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> SPANS.getFinishedSpanItems().size() == 5);
    List<SpanData> spans = SPANS.getFinishedSpanItems();
    assertThat(spans).extracting(SpanData::getTraceId).containsOnly(traceId);
    SpanData clientRouter = span(spans, SpanKind.CLIENT, "svc.ai.router.v1.infer");
    SpanData serverRouter = span(spans, SpanKind.SERVER, "svc.ai.router.v1.infer");
    SpanData clientLlm = span(spans, SpanKind.CLIENT, "svc.ai.llm.v1.infer");
    SpanData serverLlm = span(spans, SpanKind.SERVER, "svc.ai.llm.v1.infer");
    assertThat(clientRouter.getParentSpanId()).isEqualTo(root.getSpanContext().getSpanId());
    assertThat(serverRouter.getParentSpanId()).isEqualTo(clientRouter.getSpanId());
    assertThat(clientLlm.getParentSpanId()).isEqualTo(serverRouter.getSpanId());
    assertThat(serverLlm.getParentSpanId()).isEqualTo(clientLlm.getSpanId());
  }

  @Test
  @DisplayName("the caller's deadline reaches the second hop unchanged")
  void deadlineSurvivesTwoHops() {
    Instant deadline = Instant.ofEpochMilli(Instant.now().plusSeconds(4).toEpochMilli());
    callRouter("hi", deadline);
    assertThat(SEEN.get("deadline")).isEqualTo(deadline);
  }

  @Test
  @DisplayName("an error passes back unchanged through the hop and marks the spans")
  void errorThroughHop() {
    assertThatThrownBy(() -> callRouter("", Instant.now().plusSeconds(5)))
        .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.statusMessage()).isEqualTo("prompt: must not be empty"));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> SPANS.getFinishedSpanItems().size() == 4);
    SpanData serverLlm = span(SPANS.getFinishedSpanItems(), SpanKind.SERVER, "svc.ai.llm.v1.infer");
    assertThat(serverLlm.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(serverLlm.getAttributes().asMap()).containsEntry(
        io.opentelemetry.api.common.AttributeKey.stringKey("nh.status"), "INVALID_ARGUMENT");
  }

  @Test
  @DisplayName("Micrometer times each method per status, on both sides")
  void metrics() {
    long clientOk = count("nh.client.requests", "ai_router", "OK");
    long llmInvalid = count("nh.server.requests", "ai_integration", "INVALID_ARGUMENT");
    long routerInvalid = count("nh.server.requests", "ai_router", "INVALID_ARGUMENT");
    callRouter("m", Instant.now().plusSeconds(5));
    assertThatThrownBy(() -> callRouter("", Instant.now().plusSeconds(5))).isInstanceOf(RpcException.class);
    assertThat(count("nh.client.requests", "ai_router", "OK")).isEqualTo(clientOk + 1);
    assertThat(count("nh.server.requests", "ai_integration", "INVALID_ARGUMENT")).isEqualTo(llmInvalid + 1);
    assertThat(count("nh.server.requests", "ai_router", "INVALID_ARGUMENT")).isEqualTo(routerInvalid + 1);
  }

  private static long count(String name, String service, String status) {
    io.micrometer.core.instrument.Timer timer = METERS.find(name)
        .tags("service", service, "method", "infer", "status", status).timer();
    return timer == null ? 0 : timer.count();
  }

  private static SpanData span(List<SpanData> spans, SpanKind kind, String name) {
    return spans.stream().filter(s -> s.getKind() == kind && s.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " span " + name + " in " + spans));
  }
}
