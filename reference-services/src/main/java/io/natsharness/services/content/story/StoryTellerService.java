package io.natsharness.services.content.story;

import io.natsharness.proto.ai.llm.v1.InferRequest;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.proto.content.story.v1.Arc;
import io.natsharness.proto.content.story.v1.ArcStatus;
import io.natsharness.proto.content.story.v1.Beat;
import io.natsharness.proto.content.story.v1.GetArcRequest;
import io.natsharness.proto.content.story.v1.NextBeatRequest;
import io.natsharness.proto.content.story.v1.StartArcRequest;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.Idempotency;
import io.natsharness.services.support.Ids;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.ServiceLifecycle;
import io.natsharness.services.support.Validation;
import io.natsharness.services.util.kit.EventOutbox;
import io.natsharness.services.util.kit.Records;
import java.util.List;

/**
 * story_teller: per-player story arcs whose beats ai_integration writes (svc.ai.llm.v1.infer, a
 * real hop that inherits the caller's deadline and trace). Calls on one arc are serialized by a
 * Redis lock ({@link ArcLock}) and the append re-checks the beat count ({@link ArcStore}), so
 * beats are numbered without gaps under any concurrency; a failed hop appends nothing.
 *
 * <pre>{@code
 * // svc.content.story.v1.start_arc (Idempotency-Key: k1) {player_id: "p-1", title: "The Drowned Bell"}
 * // svc.content.story.v1.next_beat (Idempotency-Key: k2) {arc_id: "arc-…", choice: "ring the bell"}
 * //   -> Beat {number: 1, text: …, generation_id: "gen-…"}
 * }</pre>
 */
public final class StoryTellerService implements NatsService, ServiceLifecycle {

  static final String SERVICE = "story_teller";
  static final String INFER = "svc.ai.llm.v1.infer";
  private static final int CONTEXT_BEATS = 5;

  private final ServiceContext ctx;
  private final Idempotency idempotency;
  private final EventOutbox events;
  private final ArcStore arcs;
  private final ArcLock lock;

  public StoryTellerService(ServiceContext ctx) {
    this.ctx = ctx;
    this.idempotency = new Idempotency(ctx);
    this.events = new EventOutbox(ctx, SERVICE);
    this.arcs = new ArcStore(ctx, events);
    this.lock = new ArcLock(ctx);
  }

  @Override
  public String name() {
    return SERVICE;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.unary("start_arc", this::startArc)
        .unary("next_beat", this::nextBeat)
        .unary("get_arc", this::getArc);
  }

  @Override
  public void start() {
    events.startSweeping();
  }

  @Override
  public void close() {
    events.close();
  }

  Arc startArc(StartArcRequest request, CallContext call) {
    Idempotency.requireKey(call);
    String player = Validation.nonEmpty(request.getPlayerId(), "player_id");
    String title = Validation.nonEmpty(request.getTitle(), 200, "title");
    Validation.maxLength(request.getPremise(), 2000, "premise");
    Validation.inRange(request.getTemperature(), 0.0, 2.0, "temperature");
    int maxBeats = Validation.inRange(request.getMaxBeats(), 0, 100, "max_beats");
    Arc arc = Arc.newBuilder().setArcId(Ids.derived("arc-", 16, player, title)).setPlayerId(player).setTitle(title)
        .setPremise(request.getPremise()).setModel(request.getModel()).setSeed(request.getSeed())
        .setTemperature(request.getTemperature()).setMaxBeats(maxBeats == 0 ? 20 : maxBeats).build();
    return idempotency.once(call, "", Arc.parser(), () -> arcs.create(arc));
  }

  @SuppressWarnings("try") // the lock is held for the body, not used in it
  Beat nextBeat(NextBeatRequest request, CallContext call) {
    Idempotency.requireKey(call);
    String arcId = Validation.nonEmpty(request.getArcId(), "arc_id");
    Validation.maxLength(request.getChoice(), 500, "choice");
    int maxTokens = Validation.inRange(request.getMaxTokens(), 0, 1024, "max_tokens");
    int tokens = maxTokens == 0 ? 256 : maxTokens;
    return idempotency.once(call, arcId, Beat.parser(), () -> {
      try (ArcLock.Held held = lock.acquire(arcId, call)) {
        Arc arc = arcs.find(arcId).orElseThrow(() -> RpcException.notFound("arc " + arcId + " does not exist"));
        if (arc.getStatus() == ArcStatus.COMPLETED) {
          throw RpcException.failedPrecondition("ARC_COMPLETED",
              "arc " + arcId + " is completed (" + arc.getMaxBeats() + " beats)");
        }
        int number = arc.getBeatsCount() + 1;
        InferResponse generated = ctx.rpc().call(INFER, InferRequest.newBuilder()
            .setPrompt(prompt(arc, request.getChoice(), number)).setModel(arc.getModel()).setMaxTokens(tokens)
            .setTemperature(arc.getTemperature()).setSeed(arc.getSeed() + number).build());
        Beat beat = Beat.newBuilder().setArcId(arcId).setNumber(number).setText(generated.getOutput())
            .setChoice(request.getChoice()).setGenerationId(generated.getGenerationId())
            .setTokensUsed(generated.getTokensUsed()).setCreatedAt(Records.timestamp(ctx.clock().millis())).build();
        arcs.append(arc, beat);
        return beat;
      }
    });
  }

  Arc getArc(GetArcRequest request, CallContext call) {
    String arcId = Validation.nonEmpty(request.getArcId(), "arc_id");
    return arcs.find(arcId).orElseThrow(() -> RpcException.notFound("arc " + arcId + " does not exist"));
  }

  /** The documented prompt of beat {@code number}: title, premise, the last five beats, the choice. */
  static String prompt(Arc arc, String choice, int number) {
    StringBuilder p = new StringBuilder().append("Title: ").append(arc.getTitle()).append('\n')
        .append("Premise: ").append(arc.getPremise()).append('\n');
    List<Beat> beats = arc.getBeatsList();
    for (Beat b : beats.subList(Math.max(0, beats.size() - CONTEXT_BEATS), beats.size())) {
      p.append("Beat ").append(b.getNumber()).append(": ").append(b.getText()).append('\n');
    }
    if (!choice.isEmpty()) {
      p.append("Player choice: ").append(choice).append('\n');
    }
    return p.append("Beat ").append(number).append(':').toString();
  }
}
