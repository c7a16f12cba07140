package io.natsharness.services.ai.llm;

import io.natsharness.proto.ai.llm.v1.EmbedRequest;
import io.natsharness.proto.ai.llm.v1.EmbedResponse;
import io.natsharness.proto.ai.llm.v1.GenerationCompleted;
import io.natsharness.proto.ai.llm.v1.GetGenerationRequest;
import io.natsharness.proto.ai.llm.v1.InferChunk;
import io.natsharness.proto.ai.llm.v1.InferRequest;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.proto.ai.llm.v1.Generation;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.service.StreamSink;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.ai.llm.ServedModels.ServedModel;
import io.natsharness.services.game.kit.Checks;
import io.natsharness.services.game.kit.Lua;
import io.natsharness.services.game.kit.ProtoValues;
import io.natsharness.services.game.kit.ServiceEvents;
import io.natsharness.services.support.ServiceContext;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The reference {@code ai_integration} service: deterministic text generation and embeddings.
 *
 * <p>{@code infer} and {@code infer_stream} share one generation ({@link TextGenerator}), so the
 * stream's chunks concatenate to the unary output. Generations are stored in Redis for
 * {@value #GENERATION_TTL_SECONDS} seconds under {@code <prefix>ai_integration:generation:<id>};
 * the id is a hash of the request, so asking twice stores (and announces) one generation.
 *
 * <pre>{@code
 * ServiceHost.builder().connection(nats).add(new AiIntegrationService(ctx)).build().start();
 * InferResponse r = rpc.call("svc.ai.llm.v1.infer",
 *     InferRequest.newBuilder().setPrompt("Tell me about NATS messaging").build());
 * }</pre>
 */
public final class AiIntegrationService implements NatsService {

  static final long GENERATION_TTL_SECONDS = Duration.ofHours(1).toSeconds();
  static final int DEFAULT_MAX_TOKENS = 256;
  private static final String NAME = "ai_integration";

  // Stores a new generation (1) or refreshes the TTL of the stored one (0), atomically, so a key
  // expiring between the two steps cannot lose the record.
  private static final Lua STORE = Lua.of(
      "if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2]) then return 1 end "
          + "redis.call('EXPIRE', KEYS[1], ARGV[2]) return 0");

  private final ServiceContext ctx;
  private final ServiceEvents events;

  public AiIntegrationService(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.events = new ServiceEvents(ctx, NAME);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.<InferRequest, InferResponse>unary("infer", (q, call) -> infer(q))
        .<InferRequest, InferChunk>stream("infer_stream", this::inferStream)
        .<EmbedRequest, EmbedResponse>unary("embed", (q, call) -> embed(q))
        .<GetGenerationRequest, Generation>unary("get_generation", (q, call) -> getGeneration(q));
  }

  InferResponse infer(InferRequest request) {
    Planned planned = plan(request);
    store(request, planned);
    return planned.response();
  }

  void inferStream(InferRequest request, CallContext call, StreamSink<InferChunk> sink) {
    Planned planned = plan(request);
    store(request, planned);
    List<String> tokens = planned.generation().tokens();
    for (int i = 0; i < tokens.size(); i++) {
      if (sink.isCancelled()) {
        return;
      }
      InferChunk.Builder chunk = InferChunk.newBuilder().setText(tokens.get(i)).setIndex(i);
      if (i == tokens.size() - 1) {
        chunk.setGenerationId(planned.response().getGenerationId())
            .setFinishReason(planned.response().getFinishReason());
      }
      sink.send(chunk.build());
    }
  }

  EmbedResponse embed(EmbedRequest request) {
    Checks.required("text", request.getText());
    ServedModel model = model(request.getModel());
    EmbedResponse.Builder out = EmbedResponse.newBuilder().setModel(model.name());
    for (float v : Embedder.embed(model.name(), request.getText())) {
      out.addVector(v);
    }
    return out.build();
  }

  Generation getGeneration(GetGenerationRequest request) {
    String id = Checks.required("generation_id", request.getGenerationId());
    String stored = ctx.redis().sync().get(generationKey(id));
    if (stored == null) {
      throw RpcException.notFound("generation " + id + " not found (unknown or expired)");
    }
    return ProtoValues.decode(Generation.parser(), stored);
  }

  /** The validated request and the generation it gives, before anything is stored. */
  private record Planned(InferResponse response, TextGenerator.Generation generation) {}

  private Planned plan(InferRequest request) {
    Checks.required("prompt", request.getPrompt());
    Checks.atLeast("max_tokens", request.getMaxTokens(), 0);
    Checks.range("temperature", request.getTemperature(), 0, 2);
    ServedModel model = model(request.getModel());
    int maxTokens = request.getMaxTokens() == 0 ? DEFAULT_MAX_TOKENS : request.getMaxTokens();
    TextGenerator.Generation g = TextGenerator.generate(
        model, request.getPrompt(), request.getTemperature(), request.getSeed(), maxTokens);
    InferResponse response = InferResponse.newBuilder()
        .setGenerationId(generationId(model, request, maxTokens))
        .setOutput(g.output())
        .setTokensUsed(g.tokens().size())
        .setFinishReason(g.finishReason())
        .setModel(model.name())
        .build();
    return new Planned(response, g);
  }

  private static ServedModel model(String name) {
    return ServedModels.find(name).orElseThrow(() -> RpcException.notFound(
        "model '" + name + "' is not served; served models: " + String.join(", ", ServedModels.names())));
  }

  /** "gen-" + 24 hex chars of SHA-256 over everything that shapes the output. */
  static String generationId(ServedModel model, InferRequest request, int maxTokens) {
    byte[] digest = SplitMix64.sha256(String.join("\0", "gen", model.name(), request.getPrompt(),
        TextGenerator.temperatureKey(request.getTemperature()),
        Long.toUnsignedString(request.getSeed()), Integer.toString(maxTokens)));
    return "gen-" + HexFormat.of().formatHex(digest, 0, 12);
  }

  /**
   * Stores the generation for get_generation and announces it, once per generation id: a repeat
   * of the same request only refreshes the TTL (created_at stays the first one).
   */
  private void store(InferRequest request, Planned planned) {
    InferResponse response = planned.response();
    Generation record = Generation.newBuilder()
        .setGenerationId(response.getGenerationId())
        .setRequest(request)
        .setResponse(response)
        .setCreatedAt(ProtoValues.timestamp(ctx.clock().instant()))
        .build();
    long created = STORE.integer(ctx.redis().sync(), List.of(generationKey(response.getGenerationId())),
        List.of(ProtoValues.encode(record), Long.toString(GENERATION_TTL_SECONDS)));
    if (created == 1) {
      events.publish("generation_completed", GenerationCompleted.newBuilder()
          .setGenerationId(response.getGenerationId())
          .setModel(response.getModel())
          .setTokensUsed(response.getTokensUsed())
          .build(), response.getGenerationId());
    }
  }

  private String generationKey(String id) {
    return ctx.key(NAME, "generation", id);
  }
}
