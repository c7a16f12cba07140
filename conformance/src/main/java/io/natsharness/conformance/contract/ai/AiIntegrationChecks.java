package io.natsharness.conformance.contract.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.check.CheckSkipped;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.ai.llm.v1.EmbedRequest;
import io.natsharness.proto.ai.llm.v1.EmbedResponse;
import io.natsharness.proto.ai.llm.v1.FinishReason;
import io.natsharness.proto.ai.llm.v1.Generation;
import io.natsharness.proto.ai.llm.v1.GenerationCompleted;
import io.natsharness.proto.ai.llm.v1.GetGenerationRequest;
import io.natsharness.proto.ai.llm.v1.InferChunk;
import io.natsharness.proto.ai.llm.v1.InferRequest;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Contract checks of {@code ai_integration}: deterministic generation, the stream that equals the
 * unary answer, unit embeddings, stored generations, and every documented error.
 *
 * <pre>{@code
 * List<Check> checks = AiIntegrationChecks.checks();
 * }</pre>
 */
public final class AiIntegrationChecks {

  static final String SERVICE = "ai_integration";
  /** The model an empty model name means (ai_integration.proto). */
  static final String DEFAULT_MODEL = "atlas-small";
  /** The embedding dimension ai_integration.proto fixes. */
  static final int EMBEDDING_DIMENSION = 64;

  private AiIntegrationChecks() {}

  public static List<Check> checks() {
    return ContractChecks.forService(SERVICE)
        .behaviour("infer", "deterministic", "the same (model, prompt, seed) gives the same generation id and"
            + " output, within max_tokens, with finish reason STOP or LENGTH", AiIntegrationChecks::deterministic)
        .behaviour("infer", "default_model", "an empty model name is served by atlas-small",
            ctx -> assertThat(infer(ctx, prompt(ctx).build()).getModel()).as("model of the answer")
                .isEqualTo(DEFAULT_MODEL))
        .behaviour("infer", "length_when_cut", "an output cut at max_tokens has tokens_used = max_tokens and"
            + " finish reason LENGTH", AiIntegrationChecks::lengthWhenCut)
        .behaviour("infer", "stored_generation", "get_generation returns the generation infer made, with its"
            + " request and response", AiIntegrationChecks::storedGeneration)
        .behaviour("infer", "generation_completed_event", "a new generation publishes one generation_completed"
            + " event with its id, model and token count", AiIntegrationChecks::generationEvent)
        .error("infer", "empty_prompt", Code.INVALID_ARGUMENT, "an empty prompt is INVALID_ARGUMENT",
            ctx -> llm(ctx).failsOn("infer", prompt(ctx).setPrompt("").build(), "prompt"))
        .error("infer", "negative_max_tokens", Code.INVALID_ARGUMENT, "max_tokens < 0 is INVALID_ARGUMENT",
            ctx -> llm(ctx).failsOn("infer", prompt(ctx).setMaxTokens(-1).build(), "max_tokens"))
        .error("infer", "temperature_out_of_range", Code.INVALID_ARGUMENT,
            "a temperature outside [0, 2] is INVALID_ARGUMENT",
            ctx -> llm(ctx).failsOn("infer", prompt(ctx).setTemperature(2.5).build(), "temperature"))
        .error("infer", "unknown_model", Code.NOT_FOUND, "an unknown model is NOT_FOUND",
            ctx -> llm(ctx).fails("infer", prompt(ctx).setModel(Names.id(ctx, "no-such-model")).build(),
                Code.NOT_FOUND))
        .error("infer", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED,
            "a request past its deadline is DEADLINE_EXCEEDED and neither stores nor announces the generation",
            ctx -> expiredDeadline(ctx, "infer"))
        .behaviour("infer_stream", "same_as_infer", "the stream sends infer's tokens as gapless chunks that"
            + " concatenate to infer's output, the last with its generation id and finish reason, then the end"
            + " marker", AiIntegrationChecks::streamSameAsInfer)
        .error("infer_stream", "empty_prompt", Code.INVALID_ARGUMENT,
            "an empty prompt ends the stream with INVALID_ARGUMENT before any chunk",
            ctx -> llm(ctx).call("infer_stream").streamFailsOn(prompt(ctx).setPrompt("").build(), "prompt"))
        .error("infer_stream", "unknown_model", Code.NOT_FOUND,
            "an unknown model ends the stream with NOT_FOUND before any chunk",
            ctx -> llm(ctx).call("infer_stream").streamFails(
                prompt(ctx).setModel(Names.id(ctx, "no-such-model")).build(), Code.NOT_FOUND))
        .error("infer_stream", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a stream request past"
            + " its deadline ends with DEADLINE_EXCEEDED before any chunk and neither stores nor announces the"
            + " generation", ctx -> expiredDeadline(ctx, "infer_stream"))
        .behaviour("embed", "unit_vector", "embed answers a deterministic unit vector of dimension 64, and"
            + " different texts get different vectors", AiIntegrationChecks::unitVector)
        .error("embed", "empty_text", Code.INVALID_ARGUMENT, "an empty text is INVALID_ARGUMENT",
            ctx -> llm(ctx).failsOn("embed", EmbedRequest.newBuilder().setText("").build(), "text"))
        .error("embed", "unknown_model", Code.NOT_FOUND, "an unknown model is NOT_FOUND",
            ctx -> llm(ctx).fails("embed", EmbedRequest.newBuilder().setText("lore")
                .setModel(Names.id(ctx, "no-such-model")).build(), Code.NOT_FOUND))
        .error("get_generation", "empty_id", Code.INVALID_ARGUMENT, "an empty generation id is INVALID_ARGUMENT",
            ctx -> llm(ctx).failsOn("get_generation", GetGenerationRequest.getDefaultInstance(), "generation_id"))
        .error("get_generation", "unknown_id", Code.NOT_FOUND, "an unknown generation id is NOT_FOUND",
            ctx -> llm(ctx).fails("get_generation", GetGenerationRequest.newBuilder()
                .setGenerationId(Names.derived("gen-", 24, ctx.unique("missing"))).build(),
                Code.NOT_FOUND))
        .build();
  }

  static Rpc llm(CheckContext ctx) {
    return Rpc.of(ctx, SERVICE);
  }

  /** A request with a prompt unique to this run, so every generation is new. */
  static InferRequest.Builder prompt(CheckContext ctx) {
    return InferRequest.newBuilder()
        .setPrompt("Tell the tale of the lighthouse keeper " + ctx.unique("tale") + " and the northern storm")
        .setSeed(7)
        .setTemperature(0.7);
  }

  static InferResponse infer(CheckContext ctx, InferRequest request) {
    return llm(ctx).ok("infer", request);
  }

  private static void deterministic(CheckContext ctx) {
    InferRequest request = prompt(ctx).setMaxTokens(64).build();
    InferResponse first = infer(ctx, request);
    InferResponse second = infer(ctx, request);
    assertThat(second).as("the answer to the same request asked twice").isEqualTo(first);
    assertThat(first.getGenerationId()).as("generation_id").startsWith("gen-").hasSizeGreaterThan(4);
    assertThat(first.getOutput()).as("output").isNotEmpty();
    assertThat(first.getTokensUsed()).as("tokens_used").isBetween(1, 64);
    assertThat(first.getFinishReason()).as("finish_reason").isIn(FinishReason.STOP, FinishReason.LENGTH);
  }

  private static void lengthWhenCut(CheckContext ctx) {
    InferRequest.Builder request = prompt(ctx);
    InferResponse full = infer(ctx, request.build());
    assertThat(full.getTokensUsed()).as("tokens_used with the default max_tokens (256)").isBetween(1, 256);
    if (full.getTokensUsed() < 2) {
      throw new CheckSkipped("the generation has a single token, so it cannot be cut");
    }
    int max = full.getTokensUsed() - 1;
    InferResponse cut = infer(ctx, request.setMaxTokens(max).build());
    assertThat(cut.getTokensUsed()).as("tokens_used with max_tokens %d", max).isEqualTo(max);
    assertThat(cut.getFinishReason()).as("finish_reason of the cut output").isEqualTo(FinishReason.LENGTH);
  }

  private static void storedGeneration(CheckContext ctx) {
    InferRequest request = prompt(ctx).setModel("atlas-medium").setSeed(99).build();
    InferResponse response = infer(ctx, request);
    Generation stored = llm(ctx).ok("get_generation",
        GetGenerationRequest.newBuilder().setGenerationId(response.getGenerationId()).build());
    assertThat(stored.getGenerationId()).as("generation_id").isEqualTo(response.getGenerationId());
    assertThat(stored.getRequest()).as("stored request").isEqualTo(request);
    assertThat(stored.getResponse()).as("stored response").isEqualTo(response);
    assertThat(stored.hasCreatedAt()).as("created_at is set").isTrue();
  }

  private static void generationEvent(CheckContext ctx) {
    try (EventSpy<GenerationCompleted> events = EventSpy.on(ctx, SERVICE, "generation_completed")) {
      InferResponse response = infer(ctx, prompt(ctx).build());
      GenerationCompleted event = events.awaitOne(e -> e.getGenerationId().equals(response.getGenerationId()));
      assertThat(event.getModel()).as("model of the event").isEqualTo(response.getModel());
      assertThat(event.getTokensUsed()).as("tokens_used of the event").isEqualTo(response.getTokensUsed());
    }
  }

  private static void expiredDeadline(CheckContext ctx, String method) {
    InferRequest request = prompt(ctx).build();
    try (EventSpy<GenerationCompleted> events = EventSpy.on(ctx, SERVICE, "generation_completed")) {
      if (method.equals("infer_stream")) {
        llm(ctx).call(method).expiredDeadline().streamFails(request, Code.DEADLINE_EXCEEDED);
      } else {
        llm(ctx).call(method).expiredDeadline().fails(request, Code.DEADLINE_EXCEEDED);
      }
      List<GenerationCompleted> before = events.received(EventSpy.SETTLE);
      // The id is only known from a real answer; what came before it must not be about it.
      String id = infer(ctx, request).getGenerationId();
      assertThat(before).as("generation_completed events published for the expired request")
          .noneMatch(e -> e.getGenerationId().equals(id));
    }
  }

  private static void streamSameAsInfer(CheckContext ctx) {
    InferRequest request = prompt(ctx).setMaxTokens(40).build();
    List<InferChunk> chunks = llm(ctx).call("infer_stream").stream(request, ctx.requestTimeout()).chunks();
    InferResponse unary = infer(ctx, request);
    assertThat(chunks).as("chunks of the stream").hasSize(unary.getTokensUsed());
    assertThat(chunks.stream().map(InferChunk::getText).collect(Collectors.joining()))
        .as("concatenated chunk texts").isEqualTo(unary.getOutput());
    assertThat(chunks).extracting(InferChunk::getIndex).as("chunk indexes")
        .containsExactlyElementsOf(IntStream.range(0, chunks.size()).boxed().toList());
    InferChunk last = chunks.get(chunks.size() - 1);
    assertThat(last.getGenerationId()).as("generation_id of the last chunk").isEqualTo(unary.getGenerationId());
    assertThat(last.getFinishReason()).as("finish_reason of the last chunk").isEqualTo(unary.getFinishReason());
    assertThat(chunks.subList(0, chunks.size() - 1)).as("chunks before the last")
        .allSatisfy(c -> assertThat(c.getGenerationId()).as("generation_id before the last chunk").isEmpty());
  }

  private static void unitVector(CheckContext ctx) {
    EmbedRequest request = EmbedRequest.newBuilder().setText("the drowned bell of " + ctx.unique("town")).build();
    EmbedResponse first = llm(ctx).ok("embed", request);
    EmbedResponse again = llm(ctx).ok("embed", request);
    EmbedResponse other = llm(ctx).ok("embed", request.toBuilder().setText("a quiet meadow at noon").build());
    assertThat(first.getVectorList()).as("dimension").hasSize(EMBEDDING_DIMENSION);
    double norm = Math.sqrt(first.getVectorList().stream().mapToDouble(v -> (double) v * v).sum());
    assertThat(norm).as("L2 norm of the vector").isCloseTo(1.0, within(1e-4));
    assertThat(again.getVectorList()).as("the vector of the same text asked twice").isEqualTo(first.getVectorList());
    assertThat(other.getVectorList()).as("the vector of another text").isNotEqualTo(first.getVectorList());
    assertThat(first.getModel()).as("model of the answer").isEqualTo(DEFAULT_MODEL);
  }
}
