package io.natsharness.conformance.contract.content;

import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.ai.llm.v1.Generation;
import io.natsharness.proto.ai.llm.v1.GetGenerationRequest;
import io.natsharness.proto.content.story.v1.Arc;
import io.natsharness.proto.content.story.v1.Beat;
import io.natsharness.proto.content.story.v1.GetArcRequest;
import io.natsharness.proto.content.story.v1.NextBeatRequest;
import io.natsharness.proto.content.story.v1.StartArcRequest;
import java.util.List;

/** story_teller calls the checks set their arcs up with, and the documented prompt of a beat. */
final class Arcs {

  static final String SERVICE = "story_teller";
  static final String INFER = "svc.ai.llm.v1.infer";
  static final int CONTEXT_BEATS = 5;

  final Rpc wire;
  final Rpc ai;
  private final CheckContext ctx;

  Arcs(CheckContext ctx) {
    this.ctx = ctx;
    this.wire = Rpc.of(ctx, SERVICE);
    this.ai = Rpc.of(ctx, "ai_integration");
  }

  /** A request for an arc of a fresh player. */
  StartArcRequest request() {
    return StartArcRequest.newBuilder().setPlayerId(ctx.unique("player")).setTitle("The Drowned Bell")
        .setPremise("A bell rings under the lake.").setSeed(42).setTemperature(0.7).build();
  }

  Arc start(StartArcRequest request) {
    return wire.call("start_arc").idempotencyKey(ctx.unique("key")).ok(request);
  }

  Arc start() {
    return start(request());
  }

  Beat next(String arcId, String choice) {
    return wire.call("next_beat").idempotencyKey(ctx.unique("key"))
        .ok(NextBeatRequest.newBuilder().setArcId(arcId).setChoice(choice).build());
  }

  Arc get(String arcId) {
    return wire.ok("get_arc", GetArcRequest.newBuilder().setArcId(arcId).build());
  }

  Generation generation(String generationId) {
    return ai.ok("get_generation", GetGenerationRequest.newBuilder().setGenerationId(generationId).build());
  }

  /** The prompt story_teller.proto documents for beat {@code number} after {@code beats}. */
  static String prompt(Arc arc, List<Beat> beats, String choice, int number) {
    StringBuilder p = new StringBuilder().append("Title: ").append(arc.getTitle()).append('\n')
        .append("Premise: ").append(arc.getPremise()).append('\n');
    for (Beat b : beats.subList(Math.max(0, beats.size() - CONTEXT_BEATS), beats.size())) {
      p.append("Beat ").append(b.getNumber()).append(": ").append(b.getText()).append('\n');
    }
    if (!choice.isEmpty()) {
      p.append("Player choice: ").append(choice).append('\n');
    }
    return p.append("Beat ").append(number).append(':').toString();
  }
}
