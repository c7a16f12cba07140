package io.natsharness.conformance.contract.util;

import static io.natsharness.conformance.contract.kit.Bad.bad;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.util.time.v1.ClockChange;
import io.natsharness.proto.util.time.v1.ClockChanged;
import io.natsharness.proto.util.time.v1.GameTime;
import io.natsharness.proto.util.time.v1.Phase;
import io.natsharness.proto.util.time.v1.PhaseChanged;
import java.time.Duration;
import java.util.List;

/**
 * The contract checks of time_manager (util/time/v1/time_manager.proto): game time, day, hour and
 * phase consistent with each other, scale changes that keep game time continuous, pause and
 * resume that exclude paused time, and phase_changed / clock_changed. Only the world "default"
 * is sure to exist, so the checks change its clock and restore its scale and pause state after
 * each check (its game time moves on, as it would anyway).
 *
 * <pre>{@code
 * List<Check> checks = TimeManagerChecks.checks();   // contract.time_manager.*
 * }</pre>
 */
public final class TimeManagerChecks {

  static final String SERVICE = "time_manager";
  static final long HOUR_MS = 3_600_000L;
  static final long DAY_MS = 24 * HOUR_MS;
  private static final long PAUSED_MS = 300;

  private TimeManagerChecks() {}

  public static List<Check> checks() {
    ContractChecks checks = ContractChecks.forService(SERVICE)
        .behaviour("now", "consistent_fields",
            "now answers the default world's game time with day, hour, minute and phase derived from it as documented.",
            ctx -> assertConsistent(Clock.of(ctx).now()))
        .behaviour("now", "phase_changed_event",
            "a game clock that crosses a phase boundary publishes phase_changed at the boundary, to the next phase.",
            ctx -> Clock.restoring(ctx, TimeManagerChecks::phaseChanged));
    for (String method : List.of("now", "set_scale", "pause", "resume")) {
      checks.error(method, "invalid_argument", Code.INVALID_ARGUMENT,
              method + " with a malformed world_id is INVALID_ARGUMENT naming world_id.",
              ctx -> malformedWorld(ctx, method))
          .error(method, "not_found", Code.NOT_FOUND,
              method + " of a world the service does not know is NOT_FOUND.",
              ctx -> Rpc.of(ctx, SERVICE).fails(method, Clock.request(method, ctx.unique("no-such-world"), 2),
                  Code.NOT_FOUND));
    }
    checks
        .behaviour("set_scale", "continuous_and_scaled",
            "set_scale keeps game time continuous and game time then runs at scale x real time.",
            ctx -> Clock.restoring(ctx, TimeManagerChecks::scaled))
        .error("set_scale", "scale_out_of_range", Code.INVALID_ARGUMENT,
            "a scale of 0, below 0, above 10000 or not finite is INVALID_ARGUMENT and leaves the scale as it was.",
            ctx -> Clock.restoring(ctx, TimeManagerChecks::badScale))
        .behaviour("set_scale", "on_paused_clock",
            "set_scale on a paused clock keeps it paused and the new scale applies from the resume.",
            ctx -> Clock.restoring(ctx, TimeManagerChecks::scaleWhilePaused))
        .error("set_scale", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "set_scale past its deadline is DEADLINE_EXCEEDED and leaves the scale as it was.",
            ctx -> Clock.restoring(ctx, clock -> {
              double before = clock.now().getScale();
              clock.wire.call("set_scale").expiredDeadline()
                  .fails(Clock.request("set_scale", "", before == 7 ? 9 : 7), Code.DEADLINE_EXCEEDED);
              assertThat(clock.now().getScale()).as("scale after the expired set_scale").isEqualTo(before);
            }))
        .behaviour("set_scale", "clock_changed_event",
            "set_scale to a new scale publishes one clock_changed SCALE_SET, and to the same scale none.",
            ctx -> Clock.restoring(ctx, TimeManagerChecks::scaleEvent))
        .behaviour("pause", "stops_clock",
            "pause stops game time, and pausing a paused clock changes nothing and answers the same state.",
            ctx -> Clock.restoring(ctx, TimeManagerChecks::stops))
        .error("pause", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "pause past its deadline is DEADLINE_EXCEEDED and the clock keeps running.",
            ctx -> Clock.restoring(ctx, clock -> {
              clock.resume();
              clock.wire.call("pause").expiredDeadline().fails(Clock.request("pause", "", 0), Code.DEADLINE_EXCEEDED);
              assertThat(clock.now().getPaused()).as("paused after the expired pause").isFalse();
            }))
        .behaviour("pause", "clock_changed_event",
            "pause publishes one clock_changed PAUSED, and pausing a paused clock none.",
            ctx -> Clock.restoring(ctx, TimeManagerChecks::pauseEvent))
        .behaviour("resume", "continues_from_pause",
            "resume restarts game time where it stopped, so paused real time never counts, and resuming a running clock changes nothing.",
            ctx -> Clock.restoring(ctx, TimeManagerChecks::resumes))
        .error("resume", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "resume past its deadline is DEADLINE_EXCEEDED and the clock stays paused.",
            ctx -> Clock.restoring(ctx, clock -> {
              GameTime paused = clock.pause();
              clock.wire.call("resume").expiredDeadline().fails(Clock.request("resume", "", 0), Code.DEADLINE_EXCEEDED);
              GameTime after = clock.now();
              assertThat(after.getPaused()).as("paused after the expired resume").isTrue();
              assertThat(after.getGameTimeMs()).isEqualTo(paused.getGameTimeMs());
            }))
        .behaviour("resume", "clock_changed_event",
            "resume publishes one clock_changed RESUMED.",
            ctx -> Clock.restoring(ctx, TimeManagerChecks::resumeEvent));
    return checks.build();
  }

  /** The phase of a game hour, from the table of the proto comment. */
  static Phase phaseOf(int hour) {
    return hour >= 5 && hour < 7 ? Phase.DAWN : hour >= 7 && hour < 18 ? Phase.DAY
        : hour >= 18 && hour < 20 ? Phase.DUSK : Phase.NIGHT;
  }

  static long millis(GameTime t) {
    return Timestamps.toMillis(t.getRealTime());
  }

  static void assertConsistent(GameTime t) {
    long ms = t.getGameTimeMs();
    assertThat(t.getWorldId()).as("world_id of a request without one").isEqualTo("default");
    assertThat(ms).as("game_time_ms").isNotNegative();
    assertThat(t.getDay()).as("day = game_time_ms / 86400000 (game_time_ms %d)", ms).isEqualTo(ms / DAY_MS);
    assertThat(t.getHour()).as("hour of game_time_ms %d", ms).isEqualTo((int) (ms % DAY_MS / HOUR_MS));
    assertThat(t.getMinute()).as("minute of game_time_ms %d", ms).isEqualTo((int) (ms % HOUR_MS / 60_000));
    assertThat(t.getPhase()).as("phase of hour %d", t.getHour()).isEqualTo(phaseOf(t.getHour()));
    assertThat(t.getScale()).as("scale").isGreaterThan(0).isLessThanOrEqualTo(10_000);
    assertThat(Math.abs(Timestamps.toMillis(t.getRealTime()) - System.currentTimeMillis()))
        .as("real_time vs this machine's clock (ms)").isLessThan(60_000);
  }

  /** Asserts that between two readings of a running clock game time advanced by scale x real time. */
  static void assertAdvancedAtScale(GameTime from, GameTime to, double scale, String what) {
    long real = Timestamps.toMillis(to.getRealTime()) - Timestamps.toMillis(from.getRealTime());
    long game = to.getGameTimeMs() - from.getGameTimeMs();
    assertThat((double) game).as("%s: game ms over %d real ms at scale %s", what, real, scale)
        .isCloseTo(scale * real, org.assertj.core.data.Offset.offset(2 * scale + 2));
  }

  private static void malformedWorld(CheckContext ctx, String method) {
    Rpc.of(ctx, SERVICE).failsOnEach(method, List.of(
        bad("upper-case world_id", "world_id", Clock.request(method, "Default", 2)),
        bad("world_id with a space", "world_id", Clock.request(method, "a b", 2)),
        bad("world_id of 65 characters", "world_id", Clock.request(method, "w".repeat(65), 2))));
  }

  private static void scaled(Clock clock) throws InterruptedException {
    clock.resume();
    GameTime before = clock.now();
    double scale = before.getScale() == 1000 ? 900 : 1000;
    GameTime set = clock.setScale(scale);
    assertThat(set.getScale()).isEqualTo(scale);
    assertThat(set.getPaused()).isFalse();
    // Between the two readings the old scale ran until the change and the new one after it: game
    // time advanced by no less than the slower and no more than the faster would give, no jump.
    long real = millis(set) - millis(before);
    double slow = Math.min(scale, before.getScale());
    double fast = Math.max(scale, before.getScale());
    assertThat(set.getGameTimeMs() - before.getGameTimeMs())
        .as("game ms across set_scale over %d real ms (scale %s, then %s)", real, before.getScale(), scale)
        .isBetween((long) Math.floor(slow * (real - 2)), (long) Math.ceil(fast * (real + 2)));
    Thread.sleep(300);
    assertAdvancedAtScale(set, clock.now(), scale, "after the change, at the new scale");
  }

  private static void badScale(Clock clock) {
    double before = clock.now().getScale();
    clock.wire.failsOnEach("set_scale", List.of(
        bad("scale 0", "scale", Clock.request("set_scale", "", 0)),
        bad("scale -1", "scale", Clock.request("set_scale", "", -1)),
        bad("scale 10000.5", "scale", Clock.request("set_scale", "", 10_000.5)),
        bad("scale NaN", "scale", Clock.request("set_scale", "", Double.NaN)),
        bad("scale Infinity", "scale", Clock.request("set_scale", "", Double.POSITIVE_INFINITY))));
    assertThat(clock.now().getScale()).as("scale after the refused changes").isEqualTo(before);
  }

  private static void scaleWhilePaused(Clock clock) throws InterruptedException {
    GameTime paused = clock.pause();
    double scale = paused.getScale() == 500 ? 400 : 500;
    GameTime set = clock.setScale(scale);
    assertThat(set.getPaused()).as("paused after set_scale on a paused clock").isTrue();
    assertThat(set.getScale()).isEqualTo(scale);
    assertThat(set.getGameTimeMs()).as("game time of a paused clock after set_scale").isEqualTo(paused.getGameTimeMs());
    Thread.sleep(200);
    assertThat(clock.now().getGameTimeMs()).as("game time of the paused clock later").isEqualTo(paused.getGameTimeMs());
    GameTime resumed = clock.resume();
    Thread.sleep(200);
    assertAdvancedAtScale(resumed, clock.now(), scale, "after the resume, at the scale set while paused");
  }

  private static void scaleEvent(Clock clock) {
    double scale = clock.now().getScale() == 300 ? 200 : 300;
    try (EventSpy<ClockChanged> spy = EventSpy.on(clock.wire.context(), SERVICE, "clock_changed")) {
      clock.setScale(scale);
      ClockChanged event = spy.awaitOne(e -> e.getWorldId().equals("default") && e.getChange() == ClockChange.SCALE_SET
          && e.getScale() == scale);
      assertThat(event.getScale()).isEqualTo(scale);
      clock.setScale(scale);
      spy.assertDistinct(e -> e.getWorldId().equals("default"), 1, Duration.ofMillis(500));
    }
  }

  private static void stops(Clock clock) throws InterruptedException {
    GameTime paused = clock.pause();
    assertThat(paused.getPaused()).isTrue();
    Thread.sleep(200);
    GameTime later = clock.now();
    assertThat(later.getGameTimeMs()).as("game time 200 ms after the pause").isEqualTo(paused.getGameTimeMs());
    assertThat(later.getPaused()).isTrue();
    GameTime again = clock.pause();
    assertThat(again.getPaused()).isTrue();
    assertThat(again.getGameTimeMs()).as("game time answered by a second pause").isEqualTo(paused.getGameTimeMs());
    assertThat(again.getScale()).isEqualTo(paused.getScale());
  }

  private static void pauseEvent(Clock clock) {
    clock.resume();
    try (EventSpy<ClockChanged> spy = EventSpy.on(clock.wire.context(), SERVICE, "clock_changed")) {
      GameTime paused = clock.pause();
      ClockChanged event = spy.awaitOne(e -> e.getWorldId().equals("default") && e.getChange() == ClockChange.PAUSED);
      assertThat(event.getPaused()).isTrue();
      assertThat(event.getGameTimeMs()).as("game time of the PAUSED event").isEqualTo(paused.getGameTimeMs());
      clock.pause();
      spy.assertDistinct(e -> e.getWorldId().equals("default"), 1, Duration.ofMillis(500));
    }
  }

  private static void resumes(Clock clock) throws InterruptedException {
    GameTime paused = clock.pause();
    Thread.sleep(PAUSED_MS);
    GameTime resumed = clock.resume();
    assertThat(resumed.getPaused()).isFalse();
    // The clock may run from the resume until the reply was computed, never during the 300 ms pause.
    long running = millis(resumed) - millis(paused) - PAUSED_MS;
    assertThat(resumed.getGameTimeMs() - paused.getGameTimeMs())
        .as("game ms between the pause and the resume %d ms later", PAUSED_MS + running)
        .isBetween(0L, (long) Math.ceil(resumed.getScale() * (Math.max(0, running) + 2)));
    GameTime again = clock.resume();
    assertAdvancedAtScale(resumed, again, resumed.getScale(), "resuming a running clock");
    Thread.sleep(200);
    assertAdvancedAtScale(resumed, clock.now(), resumed.getScale(), "after the resume");
  }

  private static void resumeEvent(Clock clock) {
    clock.pause();
    try (EventSpy<ClockChanged> spy = EventSpy.on(clock.wire.context(), SERVICE, "clock_changed")) {
      clock.resume();
      ClockChanged event = spy.awaitOne(e -> e.getWorldId().equals("default") && e.getChange() == ClockChange.RESUMED);
      assertThat(event.getPaused()).isFalse();
    }
  }

  private static void phaseChanged(Clock clock) {
    clock.resume();
    GameTime start = clock.setScale(10_000);
    try (EventSpy<PhaseChanged> spy = EventSpy.on(clock.wire.context(), SERVICE, "phase_changed")) {
      // At scale 10000 a game hour lasts 0.36 s, so the longest phase (DAY, 11 hours) ends within 4 s.
      List<EventSpy.Received<PhaseChanged>> crossings = spy.awaitDistinct(
          e -> e.getWorldId().equals("default") && e.getGameTimeMs() > start.getGameTimeMs(), 1, Duration.ofSeconds(6));
      assertThat(crossings).as("phase_changed events of the default world within 6 s at scale 10000").isNotEmpty();
      for (EventSpy.Received<PhaseChanged> received : crossings) {
        PhaseChanged e = received.payload();
        long ms = e.getGameTimeMs();
        assertThat(ms % HOUR_MS).as("game_time_ms %d of a boundary: a whole hour", ms).isZero();
        int hour = (int) (ms % DAY_MS / HOUR_MS);
        assertThat(e.getPhase()).as("phase starting at hour %d", hour).isEqualTo(phaseOf(hour));
        assertThat(e.getPreviousPhase()).as("phase before hour %d", hour).isEqualTo(phaseOf((hour + 23) % 24));
        assertThat(e.getPhase()).as("a boundary changes the phase").isNotEqualTo(e.getPreviousPhase());
        assertThat(e.getDay()).as("day of the boundary at %d", ms).isEqualTo(ms / DAY_MS);
        received.assertEventId("default:" + e.getDay() + ":" + e.getPhase().name());
      }
    }
  }
}
