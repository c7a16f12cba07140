package io.natsharness.conformance.contract.content;

import static io.natsharness.conformance.contract.kit.Bad.bad;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.proto.content.story.v1.Arc;
import io.natsharness.proto.content.story.v1.ArcStarted;
import io.natsharness.proto.content.story.v1.ArcStatus;
import io.natsharness.proto.content.story.v1.GetArcRequest;
import io.natsharness.proto.content.story.v1.StartArcRequest;
import java.time.Duration;
import java.util.List;

/**
 * The contract checks of story_teller (content/story/v1/story_teller.proto): arcs with derived
 * ids and an Idempotency-Key, beats that ai_integration writes from the documented prompt (a real
 * hop carrying the trace and deadline), numbered without gaps under concurrent calls, completion,
 * and the arc events. The beats' checks are in {@link BeatChecks}.
 *
 * <pre>{@code
 * List<Check> checks = StoryTellerChecks.checks();   // contract.story_teller.*
 * }</pre>
 */
public final class StoryTellerChecks {

  private StoryTellerChecks() {}

  public static List<Check> checks() {
    ContractChecks checks = ContractChecks.forService(Arcs.SERVICE)
        .behaviour("start_arc", "derived_id_and_defaults",
            "start_arc answers an empty OPEN arc whose id derives from player and title, with max_beats 20 by default.",
            StoryTellerChecks::starts)
        .behaviour("start_arc", "idempotent_repeat",
            "start_arc repeated with the same Idempotency-Key answers the first arc.",
            StoryTellerChecks::idempotentRepeat)
        .error("start_arc", "already_exists", Code.ALREADY_EXISTS,
            "a second arc with the same title for the same player, under another key, is ALREADY_EXISTS.",
            ctx -> {
              Arcs arcs = new Arcs(ctx);
              StartArcRequest request = arcs.request();
              arcs.start(request);
              arcs.wire.fails("start_arc", request.toBuilder().setPremise("Another premise.").build(),
                  Code.ALREADY_EXISTS);
            })
        .error("start_arc", "missing_idempotency_key", Code.INVALID_ARGUMENT,
            "start_arc without an Idempotency-Key is INVALID_ARGUMENT and starts no arc.",
            StoryTellerChecks::missingKey)
        .error("start_arc", "invalid_argument", Code.INVALID_ARGUMENT,
            "an empty player_id or title, a long title or premise, temperature outside [0, 2] or max_beats outside [0, 100] is INVALID_ARGUMENT.",
            StoryTellerChecks::startInvalid)
        .error("start_arc", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "start_arc past its deadline is DEADLINE_EXCEEDED and starts no arc.",
            StoryTellerChecks::startExpired)
        .behaviour("start_arc", "arc_started_event",
            "start_arc publishes one arc_started event, and its idempotent repeat none.",
            StoryTellerChecks::startedEvent)
        .error("get_arc", "invalid_argument", Code.INVALID_ARGUMENT,
            "get_arc without an arc_id is INVALID_ARGUMENT.",
            ctx -> new Arcs(ctx).wire.failsOnEach("get_arc",
                List.of(bad("empty arc_id", "arc_id", GetArcRequest.getDefaultInstance()))))
        .error("get_arc", "not_found", Code.NOT_FOUND,
            "get_arc of an unknown arc is NOT_FOUND.",
            ctx -> new Arcs(ctx).wire.fails("get_arc", GetArcRequest.newBuilder()
                .setArcId(Names.derived("arc-", 16, ctx.unique("nobody"), "none")).build(), Code.NOT_FOUND));
    BeatChecks.add(checks);
    return checks.build();
  }

  private static void starts(CheckContext ctx) {
    Arcs arcs = new Arcs(ctx);
    StartArcRequest request = arcs.request();
    Arc arc = arcs.start(request);
    assertThat(arc.getArcId()).as("arc_id = arc- + SHA-256(player_id, title)")
        .isEqualTo(Names.derived("arc-", 16, request.getPlayerId(), request.getTitle()));
    assertThat(arc.getPlayerId()).isEqualTo(request.getPlayerId());
    assertThat(arc.getTitle()).isEqualTo(request.getTitle());
    assertThat(arc.getPremise()).isEqualTo(request.getPremise());
    assertThat(arc.getSeed()).isEqualTo(request.getSeed());
    assertThat(arc.getTemperature()).isEqualTo(request.getTemperature());
    assertThat(arc.getMaxBeats()).as("max_beats 0 means 20").isEqualTo(20);
    assertThat(arc.getStatus()).isEqualTo(ArcStatus.OPEN);
    assertThat(arc.getBeatsList()).isEmpty();
    Arc read = arcs.get(arc.getArcId());
    assertThat(read.getArcId()).isEqualTo(arc.getArcId());
    assertThat(read.getBeatsList()).isEmpty();
    Arc other = arcs.start(arcs.request().toBuilder().setPlayerId(request.getPlayerId()).setTitle("Another Title")
        .setMaxBeats(3).build());
    assertThat(other.getArcId()).as("another title of the same player").isNotEqualTo(arc.getArcId());
    assertThat(other.getMaxBeats()).isEqualTo(3);
  }

  private static void idempotentRepeat(CheckContext ctx) {
    Arcs arcs = new Arcs(ctx);
    StartArcRequest request = arcs.request();
    String key = ctx.unique("key");
    Arc first = arcs.wire.call("start_arc").idempotencyKey(key).ok(request);
    Arc repeat = arcs.wire.call("start_arc").idempotencyKey(key).ok(request);
    assertThat(repeat).as("the repeat's answer").isEqualTo(first);
  }

  private static void missingKey(CheckContext ctx) {
    Arcs arcs = new Arcs(ctx);
    StartArcRequest request = arcs.request();
    arcs.wire.call("start_arc").withoutIdempotencyKey().failsOn(request, "Idempotency-Key");
    arcs.wire.fails("get_arc", GetArcRequest.newBuilder()
        .setArcId(Names.derived("arc-", 16, request.getPlayerId(), request.getTitle())).build(), Code.NOT_FOUND);
  }

  private static void startInvalid(CheckContext ctx) {
    Arcs arcs = new Arcs(ctx);
    StartArcRequest ok = arcs.request();
    arcs.wire.failsOnEach("start_arc", List.of(
        bad("empty player_id", "player_id", ok.toBuilder().setPlayerId("").build()),
        bad("empty title", "title", ok.toBuilder().setTitle("").build()),
        bad("title of 201 characters", "title", ok.toBuilder().setTitle("t".repeat(201)).build()),
        bad("premise of 2001 characters", "premise", ok.toBuilder().setPremise("p".repeat(2001)).build()),
        bad("temperature 2.1", "temperature", ok.toBuilder().setTemperature(2.1).build()),
        bad("temperature -0.1", "temperature", ok.toBuilder().setTemperature(-0.1).build()),
        bad("max_beats 101", "max_beats", ok.toBuilder().setMaxBeats(101).build()),
        bad("max_beats -1", "max_beats", ok.toBuilder().setMaxBeats(-1).build())));
  }

  private static void startExpired(CheckContext ctx) {
    Arcs arcs = new Arcs(ctx);
    StartArcRequest request = arcs.request();
    arcs.wire.call("start_arc").expiredDeadline().fails(request, Code.DEADLINE_EXCEEDED);
    arcs.wire.fails("get_arc", GetArcRequest.newBuilder()
        .setArcId(Names.derived("arc-", 16, request.getPlayerId(), request.getTitle())).build(), Code.NOT_FOUND);
    assertThat(arcs.start(request).getBeatsList()).as("the arc started after the expired attempt").isEmpty();
  }

  private static void startedEvent(CheckContext ctx) {
    Arcs arcs = new Arcs(ctx);
    StartArcRequest request = arcs.request();
    String key = ctx.unique("key");
    try (EventSpy<ArcStarted> spy = EventSpy.on(ctx, Arcs.SERVICE, "arc_started")) {
      Arc arc = arcs.wire.call("start_arc").idempotencyKey(key).ok(request);
      ArcStarted event = spy.awaitOne(e -> e.getArcId().equals(arc.getArcId()));
      assertThat(event.getPlayerId()).isEqualTo(request.getPlayerId());
      assertThat(event.getTitle()).isEqualTo(request.getTitle());
      arcs.wire.call("start_arc").idempotencyKey(key).ok(request);
      spy.assertDistinct(e -> e.getArcId().equals(arc.getArcId()), 1, Duration.ofMillis(500));
    }
  }
}
