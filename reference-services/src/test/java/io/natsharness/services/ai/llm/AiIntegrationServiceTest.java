package io.natsharness.services.ai.llm;

import static io.natsharness.services.game.kit.Rpc.expect;
import static io.natsharness.services.game.kit.Rpc.expectInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.rpc.Code;
import io.nats.client.Connection;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.ai.llm.v1.EmbedRequest;
import io.natsharness.proto.ai.llm.v1.EmbedResponse;
import io.natsharness.proto.ai.llm.v1.FinishReason;
import io.natsharness.proto.ai.llm.v1.Generation;
import io.natsharness.proto.ai.llm.v1.GenerationCompleted;
import io.natsharness.proto.ai.llm.v1.GetGenerationRequest;
import io.natsharness.proto.ai.llm.v1.InferChunk;
import io.natsharness.proto.ai.llm.v1.InferRequest;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.game.kit.EventLog;
import io.natsharness.services.game.kit.HostedServices;
import io.natsharness.services.game.kit.Rpc;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import io.natsharness.services.game.kit.DualStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("ai_integration")
class AiIntegrationServiceTest {

  private static final String QUICK_START_PROMPT = "Tell me about NATS messaging";
  private static HostedServices hosted;
  private Rpc llm;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    hosted = HostedServices.start(info, "ai_integration");
  }

  @AfterAll
  static void stop() {
    hosted.close();
  }

  @BeforeEach
  void client(RpcClient client) {
    llm = new Rpc(client, "ai_integration");
  }

  private static InferRequest prompt(String prompt) {
    return InferRequest.newBuilder().setPrompt(prompt).build();
  }

  @Nested
  @DisplayName("infer")
  class Infer {

    @Test
    @DisplayName("answers the quick start prompt with a gen- id, text, tokens and STOP")
    void quickStart() {
      InferResponse r = llm.call("infer", prompt(QUICK_START_PROMPT));

      assertThat(r.getGenerationId()).matches("gen-[0-9a-f]{24}");
      assertThat(r.getOutput()).isNotBlank();
      assertThat(r.getTokensUsed()).isBetween(8, 40);
      assertThat(r.getOutput().split(" ")).hasSize(r.getTokensUsed());
      assertThat(r.getFinishReason()).isEqualTo(FinishReason.STOP);
      assertThat(r.getModel()).isEqualTo("atlas-small");
    }

    @Test
    @DisplayName("gives the same answer for the same (model, prompt, seed)")
    void deterministic() {
      InferRequest request = prompt("Describe the harbour").toBuilder().setModel("atlas-medium").setSeed(7).build();

      InferResponse first = llm.call("infer", request);
      InferResponse second = llm.call("infer", request);

      assertThat(second).isEqualTo(first);
    }

    @Test
    @DisplayName("gives another answer for another seed")
    void seedMatters() {
      InferResponse a = llm.call("infer", prompt("Describe the harbour").toBuilder().setSeed(1).build());
      InferResponse b = llm.call("infer", prompt("Describe the harbour").toBuilder().setSeed(2).build());

      assertThat(b.getOutput()).isNotEqualTo(a.getOutput());
      assertThat(b.getGenerationId()).isNotEqualTo(a.getGenerationId());
    }

    @Test
    @DisplayName("cuts at max_tokens with LENGTH, keeping the words of the uncut output")
    void cutAtMaxTokens() {
      InferRequest request = prompt("Describe the harbour").toBuilder().setModel("atlas-large").build();
      InferResponse full = llm.call("infer", request);
      InferResponse cut = llm.call("infer", request.toBuilder().setMaxTokens(5).build());

      assertThat(cut.getTokensUsed()).isEqualTo(5);
      assertThat(cut.getFinishReason()).isEqualTo(FinishReason.LENGTH);
      assertThat(full.getTokensUsed()).isGreaterThan(5);
      assertThat(full.getOutput()).startsWith(cut.getOutput().replaceAll("\\.$", ""));
    }

    @Test
    @DisplayName("refuses an empty prompt")
    void emptyPrompt() {
      expectInvalid(() -> llm.call("infer", prompt("")), "prompt", "is required");
    }

    @Test
    @DisplayName("refuses a negative max_tokens")
    void negativeMaxTokens() {
      expectInvalid(() -> llm.call("infer", prompt("hi").toBuilder().setMaxTokens(-1).build()),
          "max_tokens", "must be >= 0, got -1");
    }

    @Test
    @DisplayName("refuses a temperature outside [0, 2]")
    void temperatureOutOfRange() {
      expectInvalid(() -> llm.call("infer", prompt("hi").toBuilder().setTemperature(2.5).build()),
          "temperature", "must be in [0, 2], got 2.5");
    }

    @Test
    @DisplayName("answers NOT_FOUND for a model it does not serve")
    void unknownModel() {
      expect(() -> llm.call("infer", prompt("hi").toBuilder().setModel("gpt-9").build()), Code.NOT_FOUND,
          "model 'gpt-9' is not served; served models: atlas-small, atlas-medium, atlas-large");
    }
  }

  @Nested
  @DisplayName("infer_stream")
  class InferStream {

    @Test
    @DisplayName("streams one chunk per token, in order, that concatenate to infer's output")
    void concatenationEqualsUnary() {
      InferRequest request = prompt(QUICK_START_PROMPT).toBuilder().setModel("atlas-medium").setSeed(99).build();
      InferResponse unary = llm.call("infer", request);

      List<InferChunk> chunks = llm.collect("infer_stream", request, CallOptions.defaults());

      assertThat(chunks).hasSize(unary.getTokensUsed());
      assertThat(chunks).extracting(InferChunk::getIndex)
          .containsExactlyElementsOf(java.util.stream.IntStream.range(0, chunks.size()).boxed().toList());
      assertThat(chunks.stream().map(InferChunk::getText).collect(Collectors.joining())).isEqualTo(unary.getOutput());
    }

    @Test
    @DisplayName("puts the generation id and finish reason on the last chunk only")
    void lastChunkCarriesTheEnd() {
      InferRequest request = prompt("Describe the gate").toBuilder().setMaxTokens(4).build();
      InferResponse unary = llm.call("infer", request);

      List<InferChunk> chunks = llm.collect("infer_stream", request, CallOptions.defaults());

      InferChunk last = chunks.get(chunks.size() - 1);
      assertThat(last.getGenerationId()).isEqualTo(unary.getGenerationId());
      assertThat(last.getFinishReason()).isEqualTo(FinishReason.LENGTH);
      assertThat(chunks.subList(0, chunks.size() - 1))
          .allSatisfy(c -> assertThat(c.getGenerationId()).isEmpty());
    }

    @Test
    @DisplayName("ends with INVALID_ARGUMENT before any chunk for an empty prompt")
    void emptyPrompt() {
      expectInvalid(() -> llm.collect("infer_stream", prompt(""), CallOptions.defaults()), "prompt", "is required");
    }

    @Test
    @DisplayName("ends with NOT_FOUND before any chunk for an unknown model")
    void unknownModel() {
      expect(() -> llm.collect("infer_stream", prompt("hi").toBuilder().setModel("nope").build(),
              CallOptions.defaults()), Code.NOT_FOUND,
          "model 'nope' is not served; served models: atlas-small, atlas-medium, atlas-large");
    }
  }

  @Nested
  @DisplayName("embed")
  class Embed {

    @Test
    @DisplayName("returns a deterministic 64-dimensional unit vector")
    void unitVector() {
      EmbedResponse a = llm.call("embed", EmbedRequest.newBuilder().setText("wolf pelt").build());
      EmbedResponse b = llm.call("embed", EmbedRequest.newBuilder().setText("wolf pelt").build());

      assertThat(a.getVectorCount()).isEqualTo(64);
      double norm = Math.sqrt(a.getVectorList().stream().mapToDouble(v -> v * v).sum());
      assertThat(norm).isCloseTo(1.0, within(1e-5));
      assertThat(b).isEqualTo(a);
      assertThat(a.getModel()).isEqualTo("atlas-small");
    }

    @Test
    @DisplayName("gives different texts different vectors")
    void differentTexts() {
      EmbedResponse a = llm.call("embed", EmbedRequest.newBuilder().setText("wolf pelt").build());
      EmbedResponse b = llm.call("embed", EmbedRequest.newBuilder().setText("iron ore").build());

      assertThat(b.getVectorList()).isNotEqualTo(a.getVectorList());
    }

    @Test
    @DisplayName("refuses empty text")
    void emptyText() {
      expectInvalid(() -> llm.call("embed", EmbedRequest.getDefaultInstance()), "text", "is required");
    }

    @Test
    @DisplayName("answers NOT_FOUND for an unknown model")
    void unknownModel() {
      expect(() -> llm.call("embed", EmbedRequest.newBuilder().setText("x").setModel("nope").build()),
          Code.NOT_FOUND, "model 'nope' is not served; served models: atlas-small, atlas-medium, atlas-large");
    }
  }

  @Nested
  @DisplayName("get_generation")
  class GetGeneration {

    @Test
    @DisplayName("returns the stored request and response")
    void findsIt() {
      InferRequest request = prompt("Where is the ledger?").toBuilder().setSeed(3).build();
      InferResponse r = llm.call("infer", request);

      Generation g = llm.call("get_generation", GetGenerationRequest.newBuilder().setGenerationId(r.getGenerationId()).build());

      assertThat(g.getRequest()).isEqualTo(request);
      assertThat(g.getResponse()).isEqualTo(r);
      assertThat(g.hasCreatedAt()).isTrue();
    }

    @Test
    @DisplayName("stores the generation of a stream too")
    void streamStores() {
      List<InferChunk> chunks = llm.collect("infer_stream", prompt("Only streamed").toBuilder().setSeed(11).build(),
          CallOptions.defaults());
      String id = chunks.get(chunks.size() - 1).getGenerationId();

      Generation g = llm.call("get_generation", GetGenerationRequest.newBuilder().setGenerationId(id).build());

      assertThat(g.getResponse().getOutput()).isEqualTo(chunks.stream().map(InferChunk::getText).collect(Collectors.joining()));
    }

    @Test
    @DisplayName("keeps a generation for one hour")
    void ttl() {
      InferResponse r = llm.call("infer", prompt("How long do you remember?"));

      long ttl = hosted.redis().ttl(hosted.prefix() + "ai_integration:generation:" + r.getGenerationId());

      assertThat(ttl).isBetween(3590L, 3600L);
    }

    @Test
    @DisplayName("answers NOT_FOUND once the generation expired")
    void expired() {
      InferResponse r = llm.call("infer", prompt("Soon forgotten"));
      hosted.redis().del(hosted.prefix() + "ai_integration:generation:" + r.getGenerationId());

      expect(() -> llm.call("get_generation", GetGenerationRequest.newBuilder().setGenerationId(r.getGenerationId()).build()),
          Code.NOT_FOUND, "generation " + r.getGenerationId() + " not found (unknown or expired)");
    }

    @Test
    @DisplayName("refuses an empty id")
    void emptyId() {
      expectInvalid(() -> llm.call("get_generation", GetGenerationRequest.getDefaultInstance()),
          "generation_id", "is required");
    }

    @Test
    @DisplayName("finds a generation after a restart of the service")
    void survivesRestart(RpcClient client) {
      InferResponse r = llm.call("infer", prompt("Remember me across restarts"));

      hosted.restart();

      Generation g = new Rpc(client, "ai_integration").call("get_generation",
          GetGenerationRequest.newBuilder().setGenerationId(r.getGenerationId()).build());
      assertThat(g.getResponse()).isEqualTo(r);
    }
  }

  @Nested
  @DisplayName("generation_completed events")
  class Events {

    @Test
    @DisplayName("are published once per generation, however often it is asked for")
    void oncePerGeneration(Connection nats) throws Exception {
      InferRequest request = prompt("Announce me once").toBuilder().setSeed(1234).build();
      InferResponse r = llm.call("infer", request);
      llm.call("infer", request);
      llm.collect("infer_stream", request, CallOptions.builder().timeout(Duration.ofSeconds(5)).build());

      List<EventLog.Event<GenerationCompleted>> events = EventLog.read(nats, "ai_integration", "generation_completed",
          hosted.prefix(), GenerationCompleted.parser()).stream()
          .filter(e -> e.payload().getGenerationId().equals(r.getGenerationId())).toList();

      assertThat(events).singleElement().satisfies(e -> {
        assertThat(e.id()).isEqualTo(r.getGenerationId());
        assertThat(e.payload()).isEqualTo(GenerationCompleted.newBuilder().setGenerationId(r.getGenerationId())
            .setModel("atlas-small").setTokensUsed(r.getTokensUsed()).build());
      });
    }
  }

  @Nested
  @DisplayName("over HTTP and NATS")
  class DualStackAnswers {

    private DualStack dual(RpcClient client) {
      return new DualStack(hosted.host().httpUrl(), client);
    }

    @Test
    @DisplayName("infer answers the same")
    void infer(RpcClient client) {
      dual(client).assertSame(llm.method("infer"), prompt(QUICK_START_PROMPT).toBuilder().setSeed(77).build());
    }

    @Test
    @DisplayName("infer_stream answers the same chunks")
    void inferStream(RpcClient client) {
      dual(client).assertSame(llm.method("infer_stream"), prompt(QUICK_START_PROMPT).toBuilder().setMaxTokens(6).build());
    }

    @Test
    @DisplayName("embed answers the same")
    void embed(RpcClient client) {
      dual(client).assertSame(llm.method("embed"), EmbedRequest.newBuilder().setText("lantern").build());
    }

    @Test
    @DisplayName("get_generation answers the same")
    void getGeneration(RpcClient client) {
      InferResponse r = llm.call("infer", prompt("dual"));
      dual(client).assertSame(llm.method("get_generation"),
          GetGenerationRequest.newBuilder().setGenerationId(r.getGenerationId()).build());
    }

    @Test
    @DisplayName("an invalid request fails the same")
    void invalid(RpcClient client) {
      assertThat(dual(client).assertSame(llm.method("infer"), prompt("")).error()).isPresent();
    }
  }
}
