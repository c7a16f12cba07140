package io.natsharness.conformance.contract.util;

import static io.natsharness.conformance.contract.kit.Bad.bad;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.check.CheckSkipped;
import io.natsharness.conformance.contract.kit.Call;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.HopSpy;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.conformance.contract.kit.Trace;
import io.natsharness.conformance.wire.WireProbe;
import io.natsharness.proto.util.time.v1.GameTime;
import io.natsharness.proto.util.time.v1.NowRequest;
import io.natsharness.proto.util.weather.v1.ClearOverrideRequest;
import io.natsharness.proto.util.weather.v1.ClearOverrideResponse;
import io.natsharness.proto.util.weather.v1.Condition;
import io.natsharness.proto.util.weather.v1.ForecastRequest;
import io.natsharness.proto.util.weather.v1.ForecastResponse;
import io.natsharness.proto.util.weather.v1.GetWeatherRequest;
import io.natsharness.proto.util.weather.v1.OverrideCleared;
import io.natsharness.proto.util.weather.v1.OverrideSet;
import io.natsharness.proto.util.weather.v1.SetOverrideRequest;
import io.natsharness.proto.util.weather.v1.Weather;
import io.natsharness.proto.util.weather.v1.WeatherOverride;
import io.natsharness.sdk.status.WireHeaders;
import java.time.Duration;
import java.util.List;

/**
 * The contract checks of weather_manager (util/weather/v1/weather_manager.proto): weather as a
 * deterministic function of region and game hour, forecasts equal to get_weather hour by hour,
 * overrides over a range of hours, the current hour asked of time_manager (a real hop that carries
 * the trace and the deadline), UNAVAILABLE when time_manager is gone, and the override events.
 * Every check uses a region unique to the run.
 *
 * <pre>{@code
 * List<Check> checks = WeatherManagerChecks.checks();   // contract.weather_manager.*
 * }</pre>
 */
public final class WeatherManagerChecks {

  static final String SERVICE = "weather_manager";
  static final String TIME_NOW = "svc.util.time.v1.now";

  private WeatherManagerChecks() {}

  public static List<Check> checks() {
    return ContractChecks.forService(SERVICE)
        .behaviour("get_weather", "deterministic_in_range",
            "get_weather of a region and game hour always answers the same weather, with values in their documented ranges.",
            WeatherManagerChecks::deterministic)
        .behaviour("get_weather", "current_hour_from_time_manager",
            "get_weather without a game hour answers the current hour of time_manager, asked with the caller's trace and deadline.",
            WeatherManagerChecks::currentHour)
        .error("get_weather", "invalid_argument", Code.INVALID_ARGUMENT,
            "get_weather with a malformed region or a negative game hour is INVALID_ARGUMENT.",
            ctx -> Rpc.of(ctx, SERVICE).failsOnEach("get_weather", List.of(
                bad("upper-case region", "region", weather("North", 1)),
                bad("region of 65 characters", "region", weather("r".repeat(65), 1)),
                bad("negative game_hour", "game_hour", weather(ctx.unique("wx"), -1)))))
        .error("get_weather", "time_manager_unavailable", Code.UNAVAILABLE,
            "get_weather without a game hour is UNAVAILABLE while time_manager does not answer.",
            ctx -> unavailable(ctx, "get_weather", GetWeatherRequest.newBuilder().setRegion(ctx.unique("wx")).build()))
        .behaviour("forecast", "equals_get_weather",
            "forecast answers hours consecutive entries, entry i equal to get_weather of from_game_hour + i, 24 when hours is 0.",
            WeatherManagerChecks::forecast)
        .error("forecast", "invalid_argument", Code.INVALID_ARGUMENT,
            "forecast with a malformed region, a negative from_game_hour, or hours outside [0, 72] is INVALID_ARGUMENT.",
            ctx -> Rpc.of(ctx, SERVICE).failsOnEach("forecast", List.of(
                bad("malformed region", "region", forecast("a b", 3, 0)),
                bad("hours 73", "hours", forecast(ctx.unique("wx"), 73, 0)),
                bad("hours -1", "hours", forecast(ctx.unique("wx"), -1, 0)),
                bad("negative from_game_hour", "from_game_hour", forecast(ctx.unique("wx"), 3, -1)))))
        .error("forecast", "time_manager_unavailable", Code.UNAVAILABLE,
            "forecast without a first hour is UNAVAILABLE while time_manager does not answer.",
            ctx -> unavailable(ctx, "forecast", ForecastRequest.newBuilder().setRegion(ctx.unique("wx")).build()))
        .behaviour("set_override", "covers_its_hours",
            "an override decides the weather of exactly its hours, keeps the generated temperature when it sets none, and a new one replaces it.",
            WeatherManagerChecks::covers)
        .error("set_override", "invalid_argument", Code.INVALID_ARGUMENT,
            "a missing condition, a temperature outside [-90, 60], a negative start or a duration outside [0, 720] is INVALID_ARGUMENT.",
            WeatherManagerChecks::overrideInvalid)
        .error("set_override", "time_manager_unavailable", Code.UNAVAILABLE,
            "set_override without a start hour is UNAVAILABLE while time_manager does not answer.",
            ctx -> unavailable(ctx, "set_override", SetOverrideRequest.newBuilder().setRegion(ctx.unique("wx"))
                .setCondition(Condition.FOG).build()))
        .error("set_override", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "set_override past its deadline is DEADLINE_EXCEEDED and overrides nothing.",
            WeatherManagerChecks::overrideExpired)
        .behaviour("set_override", "override_set_event",
            "set_override publishes one override_set event with the stored override.",
            WeatherManagerChecks::setEvent)
        .behaviour("clear_override", "restores_generated",
            "clear_override answers the removed override and the generated weather applies again.",
            WeatherManagerChecks::clears)
        .error("clear_override", "not_found", Code.NOT_FOUND,
            "clear_override of a region without an override, or a second time, is NOT_FOUND.",
            WeatherManagerChecks::clearNotFound)
        .error("clear_override", "invalid_argument", Code.INVALID_ARGUMENT,
            "clear_override with a malformed region is INVALID_ARGUMENT.",
            ctx -> Rpc.of(ctx, SERVICE).failsOnEach("clear_override", List.of(
                bad("empty region", "region", ClearOverrideRequest.getDefaultInstance()),
                bad("region with a dot", "region", ClearOverrideRequest.newBuilder().setRegion("a.b").build()))))
        .error("clear_override", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "clear_override past its deadline is DEADLINE_EXCEEDED and the override stays.",
            ctx -> {
              Rpc wire = Rpc.of(ctx, SERVICE);
              String region = ctx.unique("wx");
              wire.ok("set_override", override(region, Condition.FOG, 3, 2));
              ClearOverrideRequest clear = ClearOverrideRequest.newBuilder().setRegion(region).build();
              wire.call("clear_override").expiredDeadline().fails(clear, Code.DEADLINE_EXCEEDED);
              assertThat(wire.<Weather>ok("get_weather", weather(region, 4)).getOverridden())
                  .as("overridden after the expired clear").isTrue();
            })
        .behaviour("clear_override", "override_cleared_event",
            "clear_override publishes one override_cleared event with the removed override's version.",
            WeatherManagerChecks::clearedEvent)
        .build();
  }

  static GetWeatherRequest weather(String region, long hour) {
    return GetWeatherRequest.newBuilder().setRegion(region).setGameHour(hour).build();
  }

  static ForecastRequest forecast(String region, int hours, long from) {
    return ForecastRequest.newBuilder().setRegion(region).setHours(hours).setFromGameHour(from).build();
  }

  private static SetOverrideRequest override(String region, Condition condition, long start, int duration) {
    return SetOverrideRequest.newBuilder().setRegion(region).setCondition(condition).setStartGameHour(start)
        .setDurationHours(duration).build();
  }

  private static void deterministic(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String region = ctx.unique("wx");
    for (long hour : new long[] {0, 7, 130, 100_000}) {
      Weather first = wire.ok("get_weather", weather(region, hour));
      assertThat(wire.<Weather>ok("get_weather", weather(region, hour))).as("get_weather again, hour %d", hour)
          .isEqualTo(first);
      assertThat(first.getRegion()).isEqualTo(region);
      assertThat(first.getGameHour()).isEqualTo(hour);
      assertThat(first.getCondition()).as("condition").isNotIn(Condition.CONDITION_UNSPECIFIED, Condition.UNRECOGNIZED);
      assertThat(first.getTemperatureCelsius()).as("temperature").isBetween(-90.0, 60.0);
      assertThat(first.getWindKph()).as("wind").isGreaterThanOrEqualTo(0.0);
      assertThat(first.getHumidityPercent()).as("humidity").isBetween(0, 100);
      assertThat(first.getOverridden()).as("overridden without an override").isFalse();
    }
  }

  private static void currentHour(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    Rpc time = Rpc.of(ctx, TimeManagerChecks.SERVICE);
    String region = ctx.unique("wx");
    Trace trace = Trace.random();
    try (HopSpy spy = HopSpy.on(ctx, TIME_NOW)) {
      GameTime before = time.ok("now", NowRequest.getDefaultInstance());
      Call call = wire.call("get_weather").header(WireHeaders.TRACEPARENT, trace.traceparent());
      Weather w = call.ok(GetWeatherRequest.newBuilder().setRegion(region).build());
      GameTime after = time.ok("now", NowRequest.getDefaultInstance());
      assertThat(w.getGameHour()).as("game hour answered without one, between two readings of time_manager")
          .isBetween(before.getGameTimeMs() / TimeManagerChecks.HOUR_MS, after.getGameTimeMs() / TimeManagerChecks.HOUR_MS);
      assertThat(w).as("the weather of that hour asked explicitly")
          .isEqualTo(wire.ok("get_weather", weather(region, w.getGameHour())));
      spy.assertContinued(trace, call.deadline());
    }
  }

  /** Runs only where time_manager does not answer: asserts UNAVAILABLE for a request without a game hour. */
  private static void unavailable(CheckContext ctx, String method, Message request) {
    boolean timeManagerAnswers = !new WireProbe(ctx.nats(), Duration.ofSeconds(2))
        .discover("$SRV.PING." + TimeManagerChecks.SERVICE, Duration.ofMillis(300)).isEmpty();
    CheckSkipped.unless(!timeManagerAnswers, "time_manager answers here; this check needs a target without it");
    Rpc.of(ctx, SERVICE).fails(method, request, Code.UNAVAILABLE);
  }

  private static void forecast(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String region = ctx.unique("wx");
    ForecastResponse six = wire.ok("forecast", forecast(region, 6, 40));
    assertThat(six.getRegion()).isEqualTo(region);
    assertThat(six.getFromGameHour()).isEqualTo(40);
    assertThat(six.getHoursList()).as("entries of a 6-hour forecast").hasSize(6);
    for (int i = 0; i < 6; i++) {
      assertThat(six.getHours(i)).as("forecast entry %d vs get_weather of hour %d", i, 40 + i)
          .isEqualTo(wire.ok("get_weather", weather(region, 40 + i)));
    }
    assertThat(wire.<ForecastResponse>ok("forecast", forecast(region, 0, 5)).getHoursCount())
        .as("entries when hours is 0").isEqualTo(24);
    assertThat(wire.<ForecastResponse>ok("forecast", forecast(region, 72, 5)).getHoursCount()).isEqualTo(72);
  }

  private static void covers(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String region = ctx.unique("wx");
    ForecastResponse generated = wire.ok("forecast", forecast(region, 10, 100));
    WeatherOverride stored = wire.ok("set_override", override(region, Condition.STORM, 102, 3).toBuilder()
        .setTemperatureCelsius(-5.5).build());
    assertThat(stored.getRegion()).isEqualTo(region);
    assertThat(stored.getStartGameHour()).isEqualTo(102);
    assertThat(stored.getEndGameHour()).as("end_game_hour = start + duration").isEqualTo(105);
    assertThat(stored.getMeta().getVersion()).isEqualTo(1);
    ForecastResponse now = wire.ok("forecast", forecast(region, 10, 100));
    for (int i = 0; i < 10; i++) {
      Weather w = now.getHours(i);
      long hour = 100 + i;
      if (hour >= 102 && hour < 105) {
        assertThat(w.getOverridden()).as("overridden, hour %d", hour).isTrue();
        assertThat(w.getCondition()).as("condition, hour %d", hour).isEqualTo(Condition.STORM);
        assertThat(w.getTemperatureCelsius()).as("temperature, hour %d", hour).isEqualTo(-5.5);
      } else {
        assertThat(w).as("weather of hour %d outside the override", hour).isEqualTo(generated.getHours(i));
      }
    }
    WeatherOverride replaced = wire.ok("set_override", override(region, Condition.FOG, 108, 0));
    assertThat(replaced.hasEndGameHour()).as("end_game_hour of an override until cleared").isFalse();
    assertThat(replaced.getMeta().getVersion()).as("version of the replacing override").isEqualTo(2);
    Weather old = wire.ok("get_weather", weather(region, 103));
    assertThat(old).as("hour 103 after the override was replaced").isEqualTo(generated.getHours(3));
    Weather open = wire.ok("get_weather", weather(region, 50_000));
    assertThat(open.getOverridden()).isTrue();
    assertThat(open.getCondition()).as("a far hour under an override without end").isEqualTo(Condition.FOG);
    wire.ok("clear_override", ClearOverrideRequest.newBuilder().setRegion(region).build());
    Weather plain = wire.ok("get_weather", weather(region, 50_000));
    assertThat(plain.getOverridden()).as("overridden after the clear").isFalse();
    assertThat(open.getTemperatureCelsius()).as("temperature under an override that sets none: the generated one")
        .isEqualTo(plain.getTemperatureCelsius());
  }

  private static void overrideInvalid(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String region = ctx.unique("wx");
    wire.failsOnEach("set_override", List.of(
        bad("no condition", "condition", override(region, Condition.CONDITION_UNSPECIFIED, 1, 1)),
        bad("temperature 60.5", "temperature_celsius", override(region, Condition.CLEAR, 1, 1).toBuilder()
            .setTemperatureCelsius(60.5).build()),
        bad("temperature -90.5", "temperature_celsius", override(region, Condition.CLEAR, 1, 1).toBuilder()
            .setTemperatureCelsius(-90.5).build()),
        bad("negative start_game_hour", "start_game_hour", override(region, Condition.CLEAR, -1, 1)),
        bad("duration 721", "duration_hours", override(region, Condition.CLEAR, 1, 721)),
        bad("duration -1", "duration_hours", override(region, Condition.CLEAR, 1, -1)),
        bad("malformed region", "region", override("A", Condition.CLEAR, 1, 1))));
    wire.fails("clear_override", ClearOverrideRequest.newBuilder().setRegion(region).build(), Code.NOT_FOUND);
  }

  private static void overrideExpired(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String region = ctx.unique("wx");
    wire.call("set_override").expiredDeadline().fails(override(region, Condition.SNOW, 0, 0), Code.DEADLINE_EXCEEDED);
    assertThat(wire.<Weather>ok("get_weather", weather(region, 10)).getOverridden())
        .as("overridden after the expired set_override").isFalse();
    wire.fails("clear_override", ClearOverrideRequest.newBuilder().setRegion(region).build(), Code.NOT_FOUND);
  }

  private static void setEvent(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String region = ctx.unique("wx");
    try (EventSpy<OverrideSet> spy = EventSpy.on(ctx, SERVICE, "override_set")) {
      WeatherOverride stored = wire.ok("set_override", override(region, Condition.RAIN, 7, 2));
      OverrideSet event = spy.awaitOne(e -> e.getWeatherOverride().getRegion().equals(region));
      assertThat(event.getWeatherOverride()).as("the override in the event").isEqualTo(stored);
    }
  }

  private static void clears(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String region = ctx.unique("wx");
    Weather generated = wire.ok("get_weather", weather(region, 12));
    WeatherOverride stored = wire.ok("set_override", override(region, Condition.SNOW, 10, 5));
    assertThat(wire.<Weather>ok("get_weather", weather(region, 12)).getOverridden()).isTrue();
    ClearOverrideResponse cleared = wire.ok("clear_override", ClearOverrideRequest.newBuilder().setRegion(region).build());
    assertThat(cleared.getCleared().getCondition()).isEqualTo(Condition.SNOW);
    assertThat(cleared.getCleared().getStartGameHour()).isEqualTo(10);
    assertThat(cleared.getCleared().getEndGameHour()).isEqualTo(15);
    assertThat(cleared.getCleared().getMeta().getVersion()).isEqualTo(stored.getMeta().getVersion());
    assertThat(wire.<Weather>ok("get_weather", weather(region, 12))).as("weather after the clear").isEqualTo(generated);
  }

  private static void clearNotFound(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String region = ctx.unique("wx");
    ClearOverrideRequest clear = ClearOverrideRequest.newBuilder().setRegion(region).build();
    wire.fails("clear_override", clear, Code.NOT_FOUND);
    wire.ok("set_override", override(region, Condition.CLOUDY, 1, 1));
    wire.ok("clear_override", clear);
    wire.fails("clear_override", clear, Code.NOT_FOUND);
  }

  private static void clearedEvent(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String region = ctx.unique("wx");
    wire.ok("set_override", override(region, Condition.CLEAR, 1, 1));
    wire.ok("set_override", override(region, Condition.CLOUDY, 1, 1));
    try (EventSpy<OverrideCleared> spy = EventSpy.on(ctx, SERVICE, "override_cleared")) {
      wire.ok("clear_override", ClearOverrideRequest.newBuilder().setRegion(region).build());
      OverrideCleared event = spy.awaitOne(e -> e.getRegion().equals(region));
      assertThat(event.getVersion()).as("version of the removed override").isEqualTo(2);
    }
  }
}
