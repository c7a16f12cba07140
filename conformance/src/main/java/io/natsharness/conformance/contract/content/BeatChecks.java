package io.natsharness.conformance.contract.content;

import static io.natsharness.conformance.contract.kit.Bad.bad;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Call;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.HopSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.Trace;
import io.natsharness.proto.ai.llm.v1.Generation;
import io.natsharness.proto.content.story.v1.Arc;
import io.natsharness.proto.content.story.v1.ArcCompleted;
import io.natsharness.proto.content.story.v1.ArcStatus;
import io.natsharness.proto.content.story.v1.Beat;
import io.natsharness.proto.content.story.v1.BeatAppended;
import io.natsharness.proto.content.story.v1.NextBeatRequest;
import io.natsharness.sdk.status.WireHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/** story_teller's next_beat: the documented prompt, numbering, idempotency, completion, the hop. */
final class BeatChecks {

  /** Concurrent next_beat calls on one arc: enough to race, bounded for a shared machine. */
  static final int CONCURRENT = 6;

  private BeatChecks() {}

  static void add(ContractChecks checks) {
    checks
        .behaviour("next_beat", "documented_prompt",
            "each beat is ai_integration's output for the documented prompt (title, premise, the last five beats, the choice) and seed + number.",
            BeatChecks::documentedPrompt)
        .behaviour("next_beat", "deterministic_text",
            "two arcs with the same title, premise, seed and choices get the same beat texts.",
            BeatChecks::deterministic)
        .behaviour("next_beat", "idempotent_repeat",
            "next_beat repeated with the same Idempotency-Key answers the first beat and appends nothing.",
            BeatChecks::idempotentRepeat)
        .behaviour("next_beat", "concurrent_without_gaps",
            CONCURRENT + " concurrent next_beat calls on one arc number their beats 1.." + CONCURRENT + " without gaps.",
            BeatChecks::concurrent)
        .error("next_beat", "completed_arc", Code.FAILED_PRECONDITION,
            "the beat that reaches max_beats completes the arc, and next_beat on a completed arc is FAILED_PRECONDITION.",
            BeatChecks::completes)
        .error("next_beat", "not_found", Code.NOT_FOUND,
            "next_beat on an unknown arc is NOT_FOUND.",
            ctx -> new Arcs(ctx).wire.fails("next_beat", NextBeatRequest.newBuilder()
                .setArcId(Names.derived("arc-", 16, ctx.unique("nobody"), "none")).build(), Code.NOT_FOUND))
        .error("next_beat", "unknown_model", Code.NOT_FOUND,
            "next_beat of an arc whose model ai_integration does not know is NOT_FOUND and takes no beat number.",
            BeatChecks::unknownModel)
        .error("next_beat", "missing_idempotency_key", Code.INVALID_ARGUMENT,
            "next_beat without an Idempotency-Key is INVALID_ARGUMENT and appends nothing.",
            BeatChecks::missingKey)
        .error("next_beat", "invalid_argument", Code.INVALID_ARGUMENT,
            "an empty arc_id, a choice over 500 characters or max_tokens outside [0, 1024] is INVALID_ARGUMENT.",
            ctx -> {
              Arcs arcs = new Arcs(ctx);
              String arcId = arcs.start().getArcId();
              arcs.wire.failsOnEach("next_beat", List.of(
                  bad("empty arc_id", "arc_id", NextBeatRequest.getDefaultInstance()),
                  bad("choice of 501 characters", "choice", beat(arcId).setChoice("c".repeat(501)).build()),
                  bad("max_tokens 1025", "max_tokens", beat(arcId).setMaxTokens(1025).build()),
                  bad("max_tokens -1", "max_tokens", beat(arcId).setMaxTokens(-1).build())));
              assertThat(arcs.get(arcId).getBeatsList()).as("beats after the refused calls").isEmpty();
            })
        .behaviour("next_beat", "trace_reaches_ai_integration",
            "the infer hop of next_beat carries the caller's trace id and a deadline no later than the caller's.",
            BeatChecks::trace)
        .error("next_beat", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "next_beat past its deadline is DEADLINE_EXCEEDED, calls no model and appends nothing.",
            BeatChecks::expired)
        .behaviour("next_beat", "beat_events",
            "each beat publishes one beat_appended event, and the beat that reaches max_beats one arc_completed.",
            BeatChecks::events);
  }

  private static NextBeatRequest.Builder beat(String arcId) {
    return NextBeatRequest.newBuilder().setArcId(arcId);
  }

  private static void documentedPrompt(CheckContext ctx) {
    Arcs arcs = new Arcs(ctx);
    Arc arc = arcs.start();
    List<Beat> beats = new ArrayList<>();
    for (int n = 1; n <= 7; n++) {
      String choice = n % 2 == 0 ? "ring the bell " + n : "";
      int maxTokens = n == 3 ? 40 : 0;
      Beat beat = arcs.wire.call("next_beat").idempotencyKey(ctx.unique("key"))
          .ok(beat(arc.getArcId()).setChoice(choice).setMaxTokens(maxTokens).build());
      assertThat(beat.getNumber()).as("number of beat %d", n).isEqualTo(n);
      assertThat(beat.getArcId()).isEqualTo(arc.getArcId());
      assertThat(beat.getChoice()).isEqualTo(choice);
      Generation g = arcs.generation(beat.getGenerationId());
      assertThat(g.getRequest().getPrompt()).as("prompt of beat %d", n).isEqualTo(Arcs.prompt(arc, beats, choice, n));
      assertThat(g.getRequest().getSeed()).as("seed of beat %d = arc seed + number", n).isEqualTo(arc.getSeed() + n);
      assertThat(g.getRequest().getTemperature()).as("temperature of beat %d", n).isEqualTo(arc.getTemperature());
      if (maxTokens > 0) {
        assertThat(g.getRequest().getMaxTokens()).as("max_tokens passed to infer").isEqualTo(maxTokens);
      }
      assertThat(beat.getText()).as("text of beat %d: the generation's output", n).isEqualTo(g.getResponse().getOutput());
      assertThat(beat.getTokensUsed()).isEqualTo(g.getResponse().getTokensUsed());
      beats.add(beat);
    }
    assertThat(arcs.get(arc.getArcId()).getBeatsList()).as("get_arc's beats").isEqualTo(beats);
  }

  private static void deterministic(CheckContext ctx) {
    Arcs arcs = new Arcs(ctx);
    Arc one = arcs.start();
    Arc two = arcs.start();
    assertThat(two.getArcId()).isNotEqualTo(one.getArcId());
    for (String choice : List.of("", "open the gate", "")) {
      Beat a = arcs.next(one.getArcId(), choice);
      Beat b = arcs.next(two.getArcId(), choice);
      assertThat(b.getText()).as("text of beat %d of two arcs alike", a.getNumber()).isEqualTo(a.getText());
    }
  }

  private static void idempotentRepeat(CheckContext ctx) {
    Arcs arcs = new Arcs(ctx);
    String arcId = arcs.start().getArcId();
    String key = ctx.unique("key");
    Beat first = arcs.wire.call("next_beat").idempotencyKey(key).ok(beat(arcId).setChoice("wait").build());
    Beat repeat = arcs.wire.call("next_beat").idempotencyKey(key).ok(beat(arcId).setChoice("wait").build());
    assertThat(repeat).as("the repeat's answer").isEqualTo(first);
    assertThat(arcs.get(arcId).getBeatsList()).as("beats after a call and its repeat").hasSize(1);
    assertThat(arcs.next(arcId, "").getNumber()).as("number of the next new beat").isEqualTo(2);
  }

  private static void concurrent(CheckContext ctx) throws Exception {
    Arcs arcs = new Arcs(ctx);
    String arcId = arcs.start().getArcId();
    List<CompletableFuture<Beat>> calls = new ArrayList<>();
    for (int i = 0; i < CONCURRENT; i++) {
      calls.add(arcs.wire.async("next_beat", beat(arcId).setChoice("choice " + i).build(), ctx.unique("key")));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    List<Integer> numbers = calls.stream().map(CompletableFuture::join).map(Beat::getNumber).sorted().toList();
    assertThat(numbers).as("numbers answered to %d concurrent calls", CONCURRENT)
        .isEqualTo(IntStream.rangeClosed(1, CONCURRENT).boxed().toList());
    assertThat(arcs.get(arcId).getBeatsList()).extracting(Beat::getNumber).as("numbers of the arc's beats, in order")
        .isEqualTo(IntStream.rangeClosed(1, CONCURRENT).boxed().toList());
  }

  private static void completes(CheckContext ctx) {
    Arcs arcs = new Arcs(ctx);
    String arcId = arcs.start(arcs.request().toBuilder().setMaxBeats(2).build()).getArcId();
    arcs.next(arcId, "");
    assertThat(arcs.get(arcId).getStatus()).as("status after 1 of 2 beats").isEqualTo(ArcStatus.OPEN);
    arcs.next(arcId, "");
    assertThat(arcs.get(arcId).getStatus()).as("status after 2 of 2 beats").isEqualTo(ArcStatus.COMPLETED);
    arcs.wire.fails("next_beat", beat(arcId).build(), Code.FAILED_PRECONDITION);
    assertThat(arcs.get(arcId).getBeatsList()).as("beats of the completed arc").hasSize(2);
  }

  private static void unknownModel(CheckContext ctx) {
    Arcs arcs = new Arcs(ctx);
    String arcId = arcs.start(arcs.request().toBuilder().setModel(ctx.unique("nh-no-such-model")).build()).getArcId();
    arcs.wire.fails("next_beat", beat(arcId).build(), Code.NOT_FOUND);
    arcs.wire.fails("next_beat", beat(arcId).build(), Code.NOT_FOUND);
    Arc after = arcs.get(arcId);
    assertThat(after.getBeatsList()).as("beats after two failed hops").isEmpty();
    assertThat(after.getStatus()).isEqualTo(ArcStatus.OPEN);
  }

  private static void missingKey(CheckContext ctx) {
    Arcs arcs = new Arcs(ctx);
    String arcId = arcs.start().getArcId();
    arcs.wire.call("next_beat").withoutIdempotencyKey().failsOn(beat(arcId).build(), "Idempotency-Key");
    assertThat(arcs.get(arcId).getBeatsList()).isEmpty();
  }

  private static void trace(CheckContext ctx) {
    Arcs arcs = new Arcs(ctx);
    String arcId = arcs.start().getArcId();
    Trace trace = Trace.random();
    try (HopSpy spy = HopSpy.on(ctx, Arcs.INFER)) {
      Call call = arcs.wire.call("next_beat").header(WireHeaders.TRACEPARENT, trace.traceparent());
      Beat beat = call.ok(beat(arcId).build());
      assertThat(beat.getNumber()).isEqualTo(1);
      spy.assertContinued(trace, call.deadline());
    }
  }

  private static void expired(CheckContext ctx) {
    Arcs arcs = new Arcs(ctx);
    String arcId = arcs.start().getArcId();
    Trace trace = Trace.random();
    try (HopSpy spy = HopSpy.on(ctx, Arcs.INFER)) {
      arcs.wire.call("next_beat").header(WireHeaders.TRACEPARENT, trace.traceparent()).expiredDeadline()
          .fails(beat(arcId).build(), Code.DEADLINE_EXCEEDED);
      assertThat(arcs.get(arcId).getBeatsList()).as("beats after the expired call").isEmpty();
      assertThat(spy.hopsOf(trace, 1, Duration.ofMillis(500))).as("infer hops of the expired call").isEmpty();
    }
  }

  private static void events(CheckContext ctx) {
    Arcs arcs = new Arcs(ctx);
    Arc arc = arcs.start(arcs.request().toBuilder().setMaxBeats(2).build());
    try (EventSpy<BeatAppended> appended = EventSpy.on(ctx, Arcs.SERVICE, "beat_appended");
        EventSpy<ArcCompleted> completed = EventSpy.on(ctx, Arcs.SERVICE, "arc_completed")) {
      Beat first = arcs.next(arc.getArcId(), "");
      BeatAppended event = appended.awaitOne(e -> e.getArcId().equals(arc.getArcId()) && e.getNumber() == 1);
      assertThat(event.getPlayerId()).isEqualTo(arc.getPlayerId());
      assertThat(event.getGenerationId()).isEqualTo(first.getGenerationId());
      completed.assertNone(e -> e.getArcId().equals(arc.getArcId()), Duration.ofMillis(300));
      arcs.next(arc.getArcId(), "");
      appended.awaitOne(e -> e.getArcId().equals(arc.getArcId()) && e.getNumber() == 2);
      ArcCompleted done = completed.awaitOne(e -> e.getArcId().equals(arc.getArcId()));
      assertThat(done.getBeatCount()).isEqualTo(2);
      assertThat(done.getPlayerId()).isEqualTo(arc.getPlayerId());
    }
  }
}
