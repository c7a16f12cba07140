package io.natsharness.services.util.time;

import static io.natsharness.services.util.kit.Calls.assertError;
import static io.natsharness.services.util.kit.Calls.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.nats.client.JetStreamManagement;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.util.time.v1.ClockChange;
import io.natsharness.proto.util.time.v1.ClockChanged;
import io.natsharness.proto.util.time.v1.GameTime;
import io.natsharness.proto.util.time.v1.NowRequest;
import io.natsharness.proto.util.time.v1.PauseRequest;
import io.natsharness.proto.util.time.v1.Phase;
import io.natsharness.proto.util.time.v1.PhaseChanged;
import io.natsharness.proto.util.time.v1.ResumeRequest;
import io.natsharness.proto.util.time.v1.SetScaleRequest;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.testing.MutableClock;
import io.natsharness.services.util.kit.Calls;
import io.natsharness.services.util.kit.Hosted;
import io.natsharness.services.util.kit.StoredEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("time_manager")
class TimeManagerServiceTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String CLOCK_CHANGED = "evt.util.time.v1.clock_changed";
  static final String PHASE_CHANGED = "evt.util.time.v1.phase_changed";
  static final MutableClock clock = new MutableClock(T0);
  static Hosted hosted;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    // One world per test, so tests that move or stop a clock do not meet.
    System.setProperty("natsharness.time.worlds", "default,scale,pause,phases,restart,events,ancient@"
        + T0.minus(Duration.ofHours(1)));
    hosted = Hosted.start(info, clock, "time_manager");
  }

  @AfterAll
  static void stop() {
    System.clearProperty("natsharness.time.worlds");
    if (hosted != null) {
      hosted.close();
    }
  }

  static Calls calls(RpcClient client) {
    return new Calls(client, "svc.util.time.v1");
  }

  static GameTime now(Calls calls, String world) {
    return calls.call("now", NowRequest.newBuilder().setWorldId(world).build());
  }

  @Nested
  @DisplayName("now")
  class Now {

    @Test
    @DisplayName("runs at scale 60 from the world's first use: a real second is a game minute")
    void initialScale(RpcClient client) {
      Calls calls = calls(client);
      long start = now(calls, "scale").getGameTimeMs();
      clock.advance(Duration.ofSeconds(90));
      GameTime later = now(calls, "scale");
      assertThat(later.getGameTimeMs() - start).isEqualTo(90 * 60_000L);
      assertThat(later.getScale()).isEqualTo(60.0);
      assertThat(later.getPaused()).isFalse();
      assertThat(later.getRealTime().getSeconds()).isEqualTo(clock.instant().getEpochSecond());
    }

    @Test
    @DisplayName("a configured epoch counts from then: one real hour before start is day 2, 12:00")
    void configuredEpoch(RpcClient client) {
      GameTime t = now(calls(client), "ancient");
      long expected = Duration.between(T0.minus(Duration.ofHours(1)), clock.instant()).toMillis() * 60;
      assertThat(t.getGameTimeMs()).isEqualTo(expected);
      assertThat(t.getDay()).isEqualTo(expected / 86_400_000L);
      assertThat(t.getHour()).isEqualTo((int) (expected % 86_400_000L / 3_600_000L));
      assertThat(t.getPhase()).isEqualTo(ClockState.phaseOfHour(t.getHour()));
    }

    @Test
    @DisplayName("an empty world id means default; a malformed one is INVALID_ARGUMENT, an unknown NOT_FOUND")
    void worlds(RpcClient client) {
      Calls calls = calls(client);
      assertThat(((GameTime) calls.call("now", NowRequest.getDefaultInstance())).getWorldId()).isEqualTo("default");
      assertInvalid(() -> now(calls, "Mars!"), "world_id", "world_id: must match [a-z0-9_-]{1,64}");
      assertError(() -> now(calls, "mars"), Code.NOT_FOUND, "world mars is not configured");
      assertError(() -> calls.call("pause", PauseRequest.newBuilder().setWorldId("mars").build()), Code.NOT_FOUND,
          "world mars is not configured");
    }
  }

  @Nested
  @DisplayName("set_scale, pause and resume")
  class Changes {

    @Test
    @DisplayName("a new scale applies from now on and game time stays continuous")
    void scale(RpcClient client) {
      Calls calls = calls(client);
      GameTime before = now(calls, "scale");
      GameTime set = calls.call("set_scale", SetScaleRequest.newBuilder().setWorldId("scale").setScale(600).build());
      assertThat(set.getGameTimeMs()).isEqualTo(before.getGameTimeMs());
      clock.advance(Duration.ofSeconds(2));
      assertThat(now(calls, "scale").getGameTimeMs()).isEqualTo(before.getGameTimeMs() + 1_200_000L);
      calls.call("set_scale", SetScaleRequest.newBuilder().setWorldId("scale").setScale(60).build());
    }

    @Test
    @DisplayName("refuses a scale outside (0, 10000] or not finite")
    void badScale(RpcClient client) {
      Calls calls = calls(client);
      for (double bad : new double[] {0, -1, 10_000.5, Double.NaN, Double.POSITIVE_INFINITY}) {
        assertInvalid(() -> calls.call("set_scale", SetScaleRequest.newBuilder().setScale(bad).build()), "scale",
            "scale: must be in (0, 10000], got " + bad);
      }
    }

    @Test
    @DisplayName("pause stops game time, resume goes on from there; repeats change nothing")
    void pauseResume(RpcClient client) {
      Calls calls = calls(client);
      GameTime paused = calls.call("pause", PauseRequest.newBuilder().setWorldId("pause").build());
      assertThat(paused.getPaused()).isTrue();
      clock.advance(Duration.ofMinutes(10));
      GameTime again = calls.call("pause", PauseRequest.newBuilder().setWorldId("pause").build());
      assertThat(again.getGameTimeMs()).isEqualTo(paused.getGameTimeMs());
      calls.call("set_scale", SetScaleRequest.newBuilder().setWorldId("pause").setScale(120).build());
      assertThat(now(calls, "pause").getGameTimeMs()).isEqualTo(paused.getGameTimeMs());
      GameTime resumed = calls.call("resume", ResumeRequest.newBuilder().setWorldId("pause").build());
      assertThat(resumed.getPaused()).isFalse();
      clock.advance(Duration.ofSeconds(1));
      assertThat(now(calls, "pause").getGameTimeMs()).isEqualTo(paused.getGameTimeMs() + 120_000L);
      GameTime resumedAgain = calls.call("resume", ResumeRequest.newBuilder().setWorldId("pause").build());
      assertThat(resumedAgain.getGameTimeMs()).isEqualTo(paused.getGameTimeMs() + 120_000L);
    }

    @Test
    @DisplayName("publishes clock_changed once per real change, none for repeats")
    void clockEvents(RpcClient client, JetStreamManagement jsm) {
      Calls calls = calls(client);
      calls.call("pause", PauseRequest.newBuilder().setWorldId("events").build());
      calls.call("pause", PauseRequest.newBuilder().setWorldId("events").build());
      calls.call("set_scale", SetScaleRequest.newBuilder().setWorldId("events").setScale(30).build());
      calls.call("set_scale", SetScaleRequest.newBuilder().setWorldId("events").setScale(30).build());
      calls.call("resume", ResumeRequest.newBuilder().setWorldId("events").build());
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
          StoredEvents.payloads(jsm, "EVT_UTIL", CLOCK_CHANGED, ClockChanged.parser()))
          .filteredOn(e -> e.getWorldId().equals("events")).extracting(ClockChanged::getChange)
          .containsExactly(ClockChange.PAUSED, ClockChange.SCALE_SET, ClockChange.RESUMED));
    }

    @Test
    @DisplayName("a new host on the same Redis keeps scale, pause and game time")
    void survivesRestart(RpcClient client) {
      Calls calls = calls(client);
      calls.call("set_scale", SetScaleRequest.newBuilder().setWorldId("restart").setScale(240).build());
      GameTime paused = calls.call("pause", PauseRequest.newBuilder().setWorldId("restart").build());
      hosted.restart();
      clock.advance(Duration.ofMinutes(5));
      GameTime after = now(calls, "restart");
      assertThat(after.getGameTimeMs()).isEqualTo(paused.getGameTimeMs());
      assertThat(after.getScale()).isEqualTo(240.0);
      assertThat(after.getPaused()).isTrue();
    }
  }

  @Nested
  @DisplayName("phases")
  class Phases {

    @Test
    @DisplayName("publishes one phase_changed per boundary crossed, in order, even several at once")
    void crossings(RpcClient client, JetStreamManagement jsm) {
      Calls calls = calls(client);
      long start = now(calls, "phases").getGameTimeMs();
      calls.call("set_scale", SetScaleRequest.newBuilder().setWorldId("phases").setScale(10_000).build());
      clock.advance(Duration.ofMillis(2 * 8_640)); // two game days in one step
      long end = now(calls, "phases").getGameTimeMs();
      assertThat(end - start).isEqualTo(2 * 86_400_000L);
      List<String> expected = new ArrayList<>();
      for (long day = start / 86_400_000L; day <= end / 86_400_000L; day++) {
        for (Object[] b : new Object[][] {{5, Phase.DAWN}, {7, Phase.DAY}, {18, Phase.DUSK}, {20, Phase.NIGHT}}) {
          long at = day * 86_400_000L + (int) b[0] * 3_600_000L;
          if (at > start && at <= end) {
            expected.add(day + ":" + b[1] + "@" + at);
          }
        }
      }
      assertThat(expected).hasSize(8);
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
          StoredEvents.payloads(jsm, "EVT_UTIL", PHASE_CHANGED, PhaseChanged.parser()))
          .filteredOn(e -> e.getWorldId().equals("phases") && e.getGameTimeMs() > start)
          .extracting(e -> e.getDay() + ":" + e.getPhase() + "@" + e.getGameTimeMs())
          .containsExactlyElementsOf(expected));
      long duskDay = start / 86_400_000L + 1;
      assertThat(StoredEvents.payloads(jsm, "EVT_UTIL", PHASE_CHANGED, PhaseChanged.parser()))
          .filteredOn(e -> e.getWorldId().equals("phases") && e.getDay() == duskDay && e.getPhase() == Phase.DUSK)
          .containsExactly(PhaseChanged.newBuilder().setWorldId("phases").setDay(duskDay)
              .setPreviousPhase(Phase.DAY).setPhase(Phase.DUSK)
              .setGameTimeMs(duskDay * 86_400_000L + 18 * 3_600_000L).build());
      assertThat(StoredEvents.ids(jsm, "EVT_UTIL", PHASE_CHANGED))
          .contains(hosted.prefix() + "phases:" + duskDay + ":DUSK").doesNotHaveDuplicates();
    }
  }
}
