package io.natsharness.services.util.weather;

import io.natsharness.proto.util.weather.v1.Condition;
import io.natsharness.proto.util.weather.v1.Weather;
import io.natsharness.services.util.kit.Hashes;

/**
 * The generated weather: a pure function of (region, absolute game hour, world seed), built from
 * SHA-256 so it is the same on every JVM and in every language that reimplements it.
 *
 * <p>A region has a climate (base temperature, humidity, how wet it is) from its name and the
 * seed. The sky changes in six-hour fronts: each front draws a condition weighted by the
 * climate's wetness. Temperature follows the day (coldest at 03:00, warmest at 15:00), shifts per
 * front and with the condition; rain or a storm at or below 0 °C falls as snow. Values are
 * rounded to one decimal so that JSON and protobuf answers compare equal.
 *
 * <pre>{@code
 * Weather w = new WeatherModel(42L).at("north-shore", 130);
 * }</pre>
 */
final class WeatherModel {

  private static final int FRONT_HOURS = 6;

  private final long seed;

  WeatherModel(long seed) {
    this.seed = seed;
  }

  Weather at(String region, long gameHour) {
    String s = Long.toString(seed);
    double baseTemp = -5 + 30 * unit(region, s, "climate-temp");
    double wetness = 0.15 + 0.6 * unit(region, s, "climate-wet");
    int baseHumidity = 35 + (int) Math.floor(45 * unit(region, s, "climate-humidity"));

    long front = Math.floorDiv(gameHour, FRONT_HOURS);
    String f = Long.toString(front);
    double draw = unit(region, s, f, "front-sky");
    Condition condition = condition(draw, wetness, unit(region, s, f, "front-fog"));
    double frontShift = -3 + 6 * unit(region, s, f, "front-temp");

    int hourOfDay = (int) Math.floorMod(gameHour, 24L);
    double diurnal = 6 * Math.sin(2 * Math.PI * (hourOfDay - 9) / 24.0);
    double temperature = baseTemp + diurnal + frontShift + conditionShift(condition);
    if ((condition == Condition.RAIN || condition == Condition.STORM) && temperature <= 0) {
      condition = Condition.SNOW;
    }
    temperature = clamp(round1(temperature), -90, 60);

    String h = Long.toString(gameHour);
    double windDraw = unit(region, s, h, "wind");
    double wind = round1(switch (condition) {
      case STORM -> 40 + 50 * windDraw;
      case FOG -> 5 * windDraw;
      case RAIN -> 10 + 15 * windDraw;
      case CLOUDY -> 8 + 12 * windDraw;
      case SNOW -> 5 + 20 * windDraw;
      default -> 3 + 12 * windDraw;
    });
    int humidity = (int) clamp(baseHumidity + humidityShift(condition)
        + Math.floor(10 * unit(region, s, h, "humidity")) - 5, 0, 100);
    return Weather.newBuilder().setRegion(region).setGameHour(gameHour).setCondition(condition)
        .setTemperatureCelsius(temperature).setWindKph(wind).setHumidityPercent(humidity).build();
  }

  private static Condition condition(double draw, double wetness, double fogDraw) {
    double clear = (1 - wetness) * 0.6;
    double cloudy = clear + (1 - wetness) * 0.4;
    if (draw < clear) {
      return fogDraw < 0.12 ? Condition.FOG : Condition.CLEAR;
    }
    if (draw < cloudy) {
      return Condition.CLOUDY;
    }
    // The remaining share (wetness) is precipitation, a fifth of it stormy.
    return (draw - cloudy) < wetness * 0.8 ? Condition.RAIN : Condition.STORM;
  }

  private static double conditionShift(Condition c) {
    return switch (c) {
      case CLEAR -> 1.5;
      case RAIN -> -2;
      case STORM -> -3;
      case FOG -> -1;
      default -> 0;
    };
  }

  private static int humidityShift(Condition c) {
    return switch (c) {
      case CLEAR -> -10;
      case RAIN, SNOW -> 20;
      case STORM -> 25;
      case FOG -> 30;
      default -> 5;
    };
  }

  /** A number in [0, 1) from SHA-256 of the parts (53 bits of the digest). */
  private static double unit(String... parts) {
    return (Hashes.sha256Long(parts) >>> 11) * 0x1.0p-53;
  }

  private static double round1(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static double clamp(double v, double min, double max) {
    return Math.max(min, Math.min(max, v));
  }
}
