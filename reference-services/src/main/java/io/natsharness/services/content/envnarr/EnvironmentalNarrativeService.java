package io.natsharness.services.content.envnarr;

import io.natsharness.proto.common.v1.Vector3;
import io.natsharness.proto.content.envnarr.v1.DescribeRequest;
import io.natsharness.proto.content.envnarr.v1.Description;
import io.natsharness.proto.content.envnarr.v1.Landmark;
import io.natsharness.proto.content.envnarr.v1.LandmarkRegistered;
import io.natsharness.proto.content.envnarr.v1.NearbyLandmark;
import io.natsharness.proto.content.envnarr.v1.RegisterLandmarkRequest;
import io.natsharness.proto.util.time.v1.GameTime;
import io.natsharness.proto.util.time.v1.NowRequest;
import io.natsharness.proto.util.weather.v1.GetWeatherRequest;
import io.natsharness.proto.util.weather.v1.Weather;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.Ids;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.ServiceLifecycle;
import io.natsharness.services.support.Validation;
import io.natsharness.services.util.kit.EventOutbox;
import io.natsharness.services.util.kit.Records;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * environmental_narrative: landmarks per region, and descriptions of a location composed from
 * the landmarks near it, time_manager's phase and weather_manager's weather at the same game hour
 * (two real hops, in that order, inheriting the caller's deadline and trace; their errors pass
 * through unchanged).
 *
 * <pre>{@code
 * // svc.content.envnarr.v1.describe {region: "old-town", position: {x: 3, y: 0, z: 4}}
 * //   -> {text: "Night has fallen over old-town. Rain is falling. Right here stands ...", ...}
 * }</pre>
 */
public final class EnvironmentalNarrativeService implements NatsService, ServiceLifecycle {

  static final String SERVICE = "environmental_narrative";
  private static final Pattern REGION = Pattern.compile("[a-z0-9_-]{1,64}");
  private static final Pattern WORLD = Pattern.compile("[a-z0-9_-]{1,64}");
  private static final long HOUR_MS = 3_600_000L;

  private final ServiceContext ctx;
  private final EventOutbox events;

  public EnvironmentalNarrativeService(ServiceContext ctx) {
    this.ctx = ctx;
    this.events = new EventOutbox(ctx, SERVICE);
  }

  @Override
  public String name() {
    return SERVICE;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.unary("register_landmark", this::registerLandmark).unary("describe", this::describe);
  }

  @Override
  public void start() {
    events.startSweeping();
  }

  @Override
  public void close() {
    events.close();
  }

  Landmark registerLandmark(RegisterLandmarkRequest request, CallContext call) {
    String region = Validation.matches(request.getRegion(), REGION, "region");
    String name = Validation.nonEmpty(request.getName(), 100, "name");
    Validation.maxLength(request.getDescription(), 500, "description");
    Vector3 position = position(request.hasPosition(), request.getPosition());
    double radius = request.getRadius();
    Validation.require(radius >= 0 && radius <= 10_000, "radius", "must be in [0, 10000] (0 means 50)");
    Validation.maxSize(request.getTagsList(), 16, "tags");
    String id = Ids.derived("lm-", 16, region, name.toLowerCase(Locale.ROOT));
    long now = ctx.clock().millis();
    Landmark landmark = Landmark.newBuilder().setLandmarkId(id).setRegion(region).setName(name).setPosition(position)
        .setRadius(radius == 0 ? 50 : radius).setDescription(request.getDescription())
        .addAllTags(request.getTagsList()).setMeta(Records.meta(1, now, now)).build();
    if (!ctx.redis().sync().hsetnx(key(region), id, Records.encode(landmark))) {
      throw RpcException.alreadyExists("region " + region + " already has a landmark named " + name
          + " (names are compared ignoring case)");
    }
    events.publish("landmark_registered", LandmarkRegistered.newBuilder().setLandmarkId(id).setRegion(region)
        .setName(name).setPosition(position).build(), id);
    return landmark;
  }

  Description describe(DescribeRequest request, CallContext call) {
    String region = Validation.matches(request.getRegion(), REGION, "region");
    String world = request.getWorldId().isEmpty() ? "default" : request.getWorldId();
    Validation.matches(world, WORLD, "world_id");
    Vector3 at = position(request.hasPosition(), request.getPosition());
    int max = Validation.inRange(request.getMaxLandmarks(), 0, 10, "max_landmarks");
    max = max == 0 ? 3 : max;

    GameTime time = ctx.rpc().call("svc.util.time.v1.now", NowRequest.newBuilder().setWorldId(world).build());
    long hour = time.getGameTimeMs() / HOUR_MS;
    Weather weather = ctx.rpc().call("svc.util.weather.v1.get_weather",
        GetWeatherRequest.newBuilder().setRegion(region).setGameHour(hour).build());

    List<NearbyLandmark> near = new ArrayList<>();
    Map<String, String> descriptions = new HashMap<>();
    for (String stored : ctx.redis().sync().hvals(key(region))) {
      Landmark l = Records.decode(stored, Landmark.parser());
      double distance = distance(at, l.getPosition());
      if (distance <= l.getRadius()) {
        near.add(NearbyLandmark.newBuilder().setLandmarkId(l.getLandmarkId()).setName(l.getName())
            .setDistance(distance).build());
        descriptions.put(l.getLandmarkId(), l.getDescription());
      }
    }
    near.sort(Comparator.comparingDouble(NearbyLandmark::getDistance).thenComparing(NearbyLandmark::getLandmarkId));
    List<NearbyLandmark> used = near.subList(0, Math.min(max, near.size()));
    return Description.newBuilder()
        .setText(DescriptionText.compose(region, time.getPhase(), weather.getCondition(), used, descriptions))
        .setPhase(time.getPhase().name()).setWeather(weather.getCondition().name()).addAllLandmarks(used)
        .setWorldId(world).setGameHour(hour).build();
  }

  private static Vector3 position(boolean present, Vector3 p) {
    Validation.require(present, "position", "is required");
    Validation.require(Double.isFinite(p.getX()), "position.x", "must be a finite number");
    Validation.require(Double.isFinite(p.getY()), "position.y", "must be a finite number");
    Validation.require(Double.isFinite(p.getZ()), "position.z", "must be a finite number");
    return p;
  }

  private static double distance(Vector3 a, Vector3 b) {
    double dx = a.getX() - b.getX();
    double dy = a.getY() - b.getY();
    double dz = a.getZ() - b.getZ();
    return Math.sqrt(dx * dx + dy * dy + dz * dz);
  }

  private String key(String region) {
    return ctx.key(SERVICE, "landmarks", region);
  }
}
