package io.natsharness.services.util.weather;

import static io.natsharness.services.util.kit.Calls.assertError;
import static io.natsharness.services.util.kit.Calls.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import io.nats.client.JetStreamManagement;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
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
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.util.kit.Calls;
import io.natsharness.services.util.kit.Hosted;
import io.natsharness.services.util.kit.StoredEvents;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("weather_manager")
class WeatherManagerServiceTest {

  static Hosted hosted;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    hosted = Hosted.start(info, "weather_manager");
  }

  @AfterAll
  static void stop() {
    if (hosted != null) {
      hosted.close();
    }
  }

  static Calls calls(RpcClient client) {
    return new Calls(client, "svc.util.weather.v1");
  }

  static String region() {
    return "r-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static Weather at(Calls calls, String region, long hour) {
    return calls.call("get_weather", GetWeatherRequest.newBuilder().setRegion(region).setGameHour(hour).build());
  }

  @Nested
  @DisplayName("get_weather and forecast")
  class Generated {

    @Test
    @DisplayName("is the seeded function of region and hour, within the documented ranges, and varies")
    void deterministic(RpcClient client) {
      Calls calls = calls(client);
      WeatherModel model = new WeatherModel(ServiceContext.DEFAULT_WORLD_SEED);
      assertThat(at(calls, "north-shore", 130)).isEqualTo(model.at("north-shore", 130))
          .isEqualTo(at(calls, "north-shore", 130));
      Set<Condition> seen = new HashSet<>();
      for (long hour = 0; hour < 24 * 30; hour += 3) {
        Weather w = model.at("north-shore", hour);
        assertThat(w.getTemperatureCelsius()).isBetween(-90.0, 60.0);
        assertThat(w.getHumidityPercent()).isBetween(0, 100);
        assertThat(w.getWindKph()).isNotNegative();
        seen.add(w.getCondition());
      }
      assertThat(seen).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    @DisplayName("forecast entry i equals get_weather of hour from + i; 0 hours means 24")
    void forecast(RpcClient client) {
      Calls calls = calls(client);
      ForecastResponse f = calls.call("forecast", ForecastRequest.newBuilder().setRegion("old-town")
          .setFromGameHour(1000).build());
      assertThat(f.getHoursCount()).isEqualTo(24);
      assertThat(f.getFromGameHour()).isEqualTo(1000);
      for (int i = 0; i < 24; i++) {
        assertThat(f.getHours(i)).isEqualTo(at(calls, "old-town", 1000 + i));
      }
      ForecastResponse max = calls.call("forecast", ForecastRequest.newBuilder().setRegion("old-town").setHours(72)
          .setFromGameHour(0).build());
      assertThat(max.getHoursCount()).isEqualTo(72);
    }

    @Test
    @DisplayName("refuses a malformed region, a negative hour and more than 72 hours")
    void validates(RpcClient client) {
      Calls calls = calls(client);
      assertInvalid(() -> at(calls, "North Shore", 1), "region", "region: must match [a-z0-9_-]{1,64}");
      assertInvalid(() -> at(calls, "north", -1), "game_hour", "game_hour: must be >= 0");
      assertInvalid(() -> calls.call("forecast", ForecastRequest.newBuilder().setRegion("north").setHours(73)
          .setFromGameHour(0).build()), "hours", "hours: must be in [0, 72]");
      assertInvalid(() -> calls.call("forecast", ForecastRequest.newBuilder().setRegion("north")
          .setFromGameHour(-5).build()), "from_game_hour", "from_game_hour: must be >= 0");
    }
  }

  @Nested
  @DisplayName("the hop to time_manager")
  class Hop {

    @Test
    @DisplayName("without a game hour and without time_manager the answer is UNAVAILABLE")
    void unavailable(RpcClient client) {
      Calls calls = calls(client);
      assertThatThrownBy(() -> calls.call("get_weather", GetWeatherRequest.newBuilder().setRegion("north").build()))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
            assertThat(e.statusMessage()).startsWith("time_manager does not answer (")
                .endsWith("); give the game hour explicitly");
          });
    }

    @Test
    @DisplayName("without a game hour, the current hour comes from time_manager")
    void currentHour(RpcClient client, HarnessRuntimeInfo info) {
      try (Hosted time = Hosted.start(info, "time_manager")) {
        Calls calls = calls(client);
        Weather w = calls.call("get_weather", GetWeatherRequest.newBuilder().setRegion("north").build());
        GameTime now = client.call("svc.util.time.v1.now", NowRequest.getDefaultInstance());
        assertThat(w.getGameHour()).isEqualTo(now.getGameTimeMs() / 3_600_000L);
        ForecastResponse f = calls.call("forecast", ForecastRequest.newBuilder().setRegion("north").setHours(2)
            .build());
        assertThat(f.getFromGameHour()).isEqualTo(w.getGameHour());
      }
    }
  }

  @Nested
  @DisplayName("overrides")
  class Overrides {

    @Test
    @DisplayName("cover [start, start + duration) and replace an earlier one")
    void covers(RpcClient client) {
      Calls calls = calls(client);
      String region = region();
      WeatherOverride o = calls.call("set_override", SetOverrideRequest.newBuilder().setRegion(region)
          .setCondition(Condition.SNOW).setTemperatureCelsius(-12.5).setStartGameHour(100).setDurationHours(3).build());
      assertThat(o.getEndGameHour()).isEqualTo(103);
      assertThat(o.getMeta().getVersion()).isEqualTo(1);
      Weather inside = at(calls, region, 102);
      assertThat(inside.getOverridden()).isTrue();
      assertThat(inside.getCondition()).isEqualTo(Condition.SNOW);
      assertThat(inside.getTemperatureCelsius()).isEqualTo(-12.5);
      assertThat(at(calls, region, 103)).isEqualTo(new WeatherModel(ServiceContext.DEFAULT_WORLD_SEED).at(region, 103));
      WeatherOverride open = calls.call("set_override", SetOverrideRequest.newBuilder().setRegion(region)
          .setCondition(Condition.FOG).setStartGameHour(500).build());
      assertThat(open.hasEndGameHour()).isFalse();
      assertThat(open.getMeta().getVersion()).isEqualTo(2);
      assertThat(at(calls, region, 102).getOverridden()).isFalse();
      Weather later = at(calls, region, 100_000);
      assertThat(later.getCondition()).isEqualTo(Condition.FOG);
      assertThat(later.getTemperatureCelsius())
          .isEqualTo(new WeatherModel(ServiceContext.DEFAULT_WORLD_SEED).at(region, 100_000).getTemperatureCelsius());
    }

    @Test
    @DisplayName("clear answers the removed override; a second clear is NOT_FOUND")
    void clear(RpcClient client, JetStreamManagement jsm) {
      Calls calls = calls(client);
      String region = region();
      WeatherOverride set = calls.call("set_override", SetOverrideRequest.newBuilder().setRegion(region)
          .setCondition(Condition.STORM).setStartGameHour(1).build());
      ClearOverrideResponse cleared = calls.call("clear_override", ClearOverrideRequest.newBuilder().setRegion(region)
          .build());
      assertThat(cleared.getCleared()).isEqualTo(set);
      assertError(() -> calls.call("clear_override", ClearOverrideRequest.newBuilder().setRegion(region).build()),
          Code.NOT_FOUND, "region " + region + " has no override");
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(StoredEvents.payloads(jsm, "EVT_UTIL", "evt.util.weather.v1.override_set", OverrideSet.parser()))
            .filteredOn(e -> e.getWeatherOverride().getRegion().equals(region)).hasSize(1);
        assertThat(StoredEvents.payloads(jsm, "EVT_UTIL", "evt.util.weather.v1.override_cleared",
            OverrideCleared.parser())).containsOnlyOnce(OverrideCleared.newBuilder().setRegion(region).setVersion(1)
            .build());
      });
    }

    @Test
    @DisplayName("refuses a missing condition, a temperature, start or duration out of range")
    void validates(RpcClient client) {
      Calls calls = calls(client);
      SetOverrideRequest ok = SetOverrideRequest.newBuilder().setRegion("north").setCondition(Condition.RAIN)
          .setStartGameHour(0).build();
      assertInvalid(() -> calls.call("set_override", ok.toBuilder().clearCondition().build()), "condition",
          "condition: must be specified");
      assertInvalid(() -> calls.call("set_override", ok.toBuilder().setTemperatureCelsius(60.5).build()),
          "temperature_celsius", "temperature_celsius: must be in [-90.0, 60.0]");
      assertInvalid(() -> calls.call("set_override", ok.toBuilder().setStartGameHour(-1).build()),
          "start_game_hour", "start_game_hour: must be >= 0");
      assertInvalid(() -> calls.call("set_override", ok.toBuilder().setDurationHours(721).build()), "duration_hours",
          "duration_hours: must be in [0, 720]");
      assertInvalid(() -> calls.call("clear_override", ClearOverrideRequest.getDefaultInstance()), "region",
          "region: must match [a-z0-9_-]{1,64}");
    }

    @Test
    @DisplayName("a new host on the same Redis keeps the override")
    void survivesRestart(RpcClient client) {
      Calls calls = calls(client);
      String region = region();
      calls.call("set_override", SetOverrideRequest.newBuilder().setRegion(region).setCondition(Condition.CLEAR)
          .setStartGameHour(0).build());
      hosted.restart();
      assertThat(at(calls, region, 42).getOverridden()).isTrue();
    }
  }
}
