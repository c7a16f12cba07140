package io.natsharness.services.util.weather;

import com.google.rpc.Code;
import io.natsharness.proto.util.time.v1.GameTime;
import io.natsharness.proto.util.time.v1.NowRequest;
import io.natsharness.proto.util.weather.v1.ClearOverrideRequest;
import io.natsharness.proto.util.weather.v1.ClearOverrideResponse;
import io.natsharness.proto.util.weather.v1.ForecastRequest;
import io.natsharness.proto.util.weather.v1.ForecastResponse;
import io.natsharness.proto.util.weather.v1.GetWeatherRequest;
import io.natsharness.proto.util.weather.v1.OverrideCleared;
import io.natsharness.proto.util.weather.v1.OverrideSet;
import io.natsharness.proto.util.weather.v1.SetOverrideRequest;
import io.natsharness.proto.util.weather.v1.Weather;
import io.natsharness.proto.util.weather.v1.WeatherOverride;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.ServiceLifecycle;
import io.natsharness.services.support.Validation;
import io.natsharness.services.util.kit.CasRecords;
import io.natsharness.services.util.kit.CasRecords.Write;
import io.natsharness.services.util.kit.EventOutbox;
import io.natsharness.services.util.kit.Records;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * weather_manager: generated weather per region and game hour ({@link WeatherModel}, seeded by
 * the world seed), with at most one override per region. A request without a game hour asks
 * time_manager for the current one (svc.util.time.v1.now of world "default"): a real hop that
 * inherits the caller's deadline and trace.
 *
 * <pre>{@code
 * // svc.util.weather.v1.forecast {region: "north-shore", hours: 6, from_game_hour: 100}
 * //   -> six Weather entries, each equal to get_weather of its hour
 * }</pre>
 */
public final class WeatherManagerService implements NatsService, ServiceLifecycle {

  static final String SERVICE = "weather_manager";
  static final String TIME_NOW = "svc.util.time.v1.now";
  private static final Pattern REGION = Pattern.compile("[a-z0-9_-]{1,64}");
  private static final long HOUR_MS = 3_600_000L;

  private final ServiceContext ctx;
  private final WeatherModel model;
  private final CasRecords records;
  private final EventOutbox events;

  public WeatherManagerService(ServiceContext ctx) {
    this.ctx = ctx;
    this.model = new WeatherModel(ctx.worldSeed());
    this.records = new CasRecords(ctx.redis());
    this.events = new EventOutbox(ctx, SERVICE);
  }

  @Override
  public String name() {
    return SERVICE;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.unary("get_weather", this::getWeather)
        .unary("forecast", this::forecast)
        .unary("set_override", this::setOverride)
        .unary("clear_override", this::clearOverride);
  }

  @Override
  public void start() {
    events.startSweeping();
  }

  @Override
  public void close() {
    events.close();
  }

  Weather getWeather(GetWeatherRequest request, CallContext call) {
    String region = region(request.getRegion());
    long hour = request.hasGameHour() ? hour(request.getGameHour(), "game_hour") : currentGameHour();
    return weather(region, hour, storedOverride(region));
  }

  ForecastResponse forecast(ForecastRequest request, CallContext call) {
    String region = region(request.getRegion());
    int hours = Validation.inRange(request.getHours(), 0, 72, "hours");
    hours = hours == 0 ? 24 : hours;
    long from = request.hasFromGameHour() ? hour(request.getFromGameHour(), "from_game_hour") : currentGameHour();
    Optional<WeatherOverride> override = storedOverride(region);
    ForecastResponse.Builder out = ForecastResponse.newBuilder().setRegion(region).setFromGameHour(from);
    for (int i = 0; i < hours; i++) {
      out.addHours(weather(region, from + i, override));
    }
    return out.build();
  }

  WeatherOverride setOverride(SetOverrideRequest request, CallContext call) {
    String region = region(request.getRegion());
    Validation.specified(request.getCondition(), "condition");
    if (request.hasTemperatureCelsius()) {
      Validation.inRange(request.getTemperatureCelsius(), -90, 60, "temperature_celsius");
    }
    int duration = Validation.inRange(request.getDurationHours(), 0, 720, "duration_hours");
    long start = request.hasStartGameHour() ? hour(request.getStartGameHour(), "start_game_hour") : currentGameHour();
    WeatherOverride.Builder body = WeatherOverride.newBuilder().setRegion(region).setCondition(request.getCondition())
        .setStartGameHour(start);
    if (request.hasTemperatureCelsius()) {
      body.setTemperatureCelsius(request.getTemperatureCelsius());
    }
    if (duration > 0) {
      body.setEndGameHour(start + duration);
    }
    CasRecords.Written w = records.put(Write.of(key(region), revisionsKey(), "override of region " + region, region)
        .body(Records.encode(body.build())).at(ctx.clock().millis()));
    WeatherOverride stored = body.setMeta(w.meta()).build();
    events.publish("override_set", OverrideSet.newBuilder().setWeatherOverride(stored).build(),
        "override:" + region + ":" + w.revision());
    return stored;
  }

  ClearOverrideResponse clearOverride(ClearOverrideRequest request, CallContext call) {
    String region = region(request.getRegion());
    CasRecords.Deleted d;
    try {
      d = records.delete(key(region), revisionsKey(), region, 0, "override of region " + region, null, null);
    } catch (RpcException e) {
      throw e.code() == Code.NOT_FOUND ? RpcException.notFound("region " + region + " has no override") : e;
    }
    WeatherOverride cleared = Records.decode(d.body(), WeatherOverride.parser()).toBuilder().setMeta(d.meta()).build();
    events.publish("override_cleared", OverrideCleared.newBuilder().setRegion(region).setVersion(d.version()).build(),
        "override:" + region + ":" + d.revision());
    return ClearOverrideResponse.newBuilder().setCleared(cleared).build();
  }

  private Weather weather(String region, long hour, Optional<WeatherOverride> override) {
    Weather generated = model.at(region, hour);
    if (override.isEmpty() || !covers(override.get(), hour)) {
      return generated;
    }
    WeatherOverride o = override.get();
    Weather.Builder w = generated.toBuilder().setCondition(o.getCondition()).setOverridden(true);
    if (o.hasTemperatureCelsius()) {
      w.setTemperatureCelsius(o.getTemperatureCelsius());
    }
    return w.build();
  }

  private static boolean covers(WeatherOverride o, long hour) {
    return hour >= o.getStartGameHour() && (!o.hasEndGameHour() || hour < o.getEndGameHour());
  }

  private Optional<WeatherOverride> storedOverride(String region) {
    Map<String, String> hash = ctx.redis().sync().hgetall(key(region));
    if (hash.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Records.decode(hash.get("body"), WeatherOverride.parser()).toBuilder()
        .setMeta(Records.meta(hash)).build());
  }

  /** The current absolute game hour of world "default", from time_manager. */
  private long currentGameHour() {
    GameTime now;
    try {
      now = ctx.rpc().call(TIME_NOW, NowRequest.getDefaultInstance());
    } catch (RpcException e) {
      if (e.code() == Code.UNAVAILABLE) {
        throw RpcException.unavailable("time_manager does not answer (" + e.statusMessage()
            + "); give the game hour explicitly");
      }
      throw e;
    }
    return now.getGameTimeMs() / HOUR_MS;
  }

  private static long hour(long hour, String field) {
    Validation.require(hour >= 0, field, "must be >= 0");
    return hour;
  }

  private static String region(String region) {
    return Validation.matches(region, REGION, "region");
  }

  private String key(String region) {
    return ctx.key(SERVICE, "override", region);
  }

  private String revisionsKey() {
    return ctx.key(SERVICE, "revisions");
  }
}
