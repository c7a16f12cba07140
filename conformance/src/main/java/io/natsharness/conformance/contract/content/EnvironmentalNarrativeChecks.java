package io.natsharness.conformance.contract.content;

import static io.natsharness.conformance.contract.kit.Bad.bad;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Call;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.HopSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.conformance.contract.kit.Trace;
import io.natsharness.proto.common.v1.Vector3;
import io.natsharness.proto.content.envnarr.v1.DescribeRequest;
import io.natsharness.proto.content.envnarr.v1.Description;
import io.natsharness.proto.content.envnarr.v1.Landmark;
import io.natsharness.proto.content.envnarr.v1.LandmarkRegistered;
import io.natsharness.proto.content.envnarr.v1.NearbyLandmark;
import io.natsharness.proto.content.envnarr.v1.RegisterLandmarkRequest;
import io.natsharness.proto.util.weather.v1.Condition;
import io.natsharness.proto.util.weather.v1.GetWeatherRequest;
import io.natsharness.proto.util.weather.v1.SetOverrideRequest;
import io.natsharness.proto.util.weather.v1.Weather;
import io.natsharness.sdk.status.WireHeaders;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The contract checks of environmental_narrative (content/envnarr/v1/environmental_narrative.proto):
 * landmarks with derived ids, and descriptions composed from the documented templates out of the
 * nearest landmarks, time_manager's phase and weather_manager's weather for the same game hour (two
 * real hops, in that order, carrying the trace and the deadline). Every check uses a region unique
 * to the run.
 *
 * <pre>{@code
 * List<Check> checks = EnvironmentalNarrativeChecks.checks();   // contract.environmental_narrative.*
 * }</pre>
 */
public final class EnvironmentalNarrativeChecks {

  static final String SERVICE = "environmental_narrative";
  static final String TIME_NOW = "svc.util.time.v1.now";
  static final String GET_WEATHER = "svc.util.weather.v1.get_weather";

  private EnvironmentalNarrativeChecks() {}

  public static List<Check> checks() {
    return ContractChecks.forService(SERVICE)
        .behaviour("register_landmark", "derived_id_and_defaults",
            "register_landmark answers the landmark with an id derived from region and lower-case name, radius 50 by default.",
            EnvironmentalNarrativeChecks::registers)
        .error("register_landmark", "already_exists", Code.ALREADY_EXISTS,
            "a landmark whose name equals another's in the region, ignoring case, is ALREADY_EXISTS.",
            ctx -> {
              Rpc wire = Rpc.of(ctx, SERVICE);
              String region = ctx.unique("envnarr");
              wire.ok("register_landmark", landmark(region, "Old Mill", 0, 0, 0, "").build());
              wire.fails("register_landmark", landmark(region, "OLD mill", 5, 5, 5, "").build(), Code.ALREADY_EXISTS);
            })
        .error("register_landmark", "invalid_argument", Code.INVALID_ARGUMENT,
            "a malformed region, an empty or long name, a long description, a missing or non-finite position, a bad radius or 17 tags is INVALID_ARGUMENT.",
            EnvironmentalNarrativeChecks::registerInvalid)
        .error("register_landmark", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "register_landmark past its deadline is DEADLINE_EXCEEDED and registers nothing.",
            ctx -> {
              Rpc wire = Rpc.of(ctx, SERVICE);
              RegisterLandmarkRequest request = landmark(ctx.unique("envnarr"), "Late Tower", 0, 0, 0, "").build();
              wire.call("register_landmark").expiredDeadline().fails(request, Code.DEADLINE_EXCEEDED);
              wire.ok("register_landmark", request);
            })
        .behaviour("register_landmark", "landmark_registered_event",
            "register_landmark publishes one landmark_registered event with the landmark's id, region, name and position.",
            EnvironmentalNarrativeChecks::registeredEvent)
        .behaviour("describe", "documented_templates",
            "describe composes the phase sentence, the weather sentence and one sentence per near landmark as documented.",
            EnvironmentalNarrativeChecks::templates)
        .behaviour("describe", "nearest_first",
            "describe uses the max_landmarks nearest landmarks within their radius, nearest first, ties by landmark_id.",
            EnvironmentalNarrativeChecks::nearestFirst)
        .behaviour("describe", "phase_and_weather_from_hops",
            "describe's phase and weather are time_manager's phase and weather_manager's weather for the game hour it answers.",
            EnvironmentalNarrativeChecks::fromHops)
        .behaviour("describe", "trace_reaches_both_hops",
            "describe asks time_manager then weather_manager for the same game hour, both hops carrying the caller's trace and deadline.",
            EnvironmentalNarrativeChecks::trace)
        .error("describe", "unknown_world", Code.NOT_FOUND,
            "describe of a world time_manager does not know passes its NOT_FOUND through.",
            ctx -> Rpc.of(ctx, SERVICE).fails("describe", describe(ctx.unique("envnarr"), 0, 0, 0).toBuilder()
                .setWorldId(ctx.unique("no-such-world")).build(), Code.NOT_FOUND))
        .error("describe", "invalid_argument", Code.INVALID_ARGUMENT,
            "describe with a malformed region or world_id, a missing or non-finite position, or max_landmarks outside [0, 10] is INVALID_ARGUMENT.",
            ctx -> {
              String region = ctx.unique("envnarr");
              Rpc.of(ctx, SERVICE).failsOnEach("describe", List.of(
                  bad("upper-case region", "region", describe("Old-Town", 0, 0, 0)),
                  bad("malformed world_id", "world_id", describe(region, 0, 0, 0).toBuilder().setWorldId("W!").build()),
                  bad("no position", "position", DescribeRequest.newBuilder().setRegion(region).build()),
                  bad("NaN coordinate", "position", describe(region, Double.NaN, 0, 0)),
                  bad("max_landmarks 11", "max_landmarks", describe(region, 0, 0, 0).toBuilder().setMaxLandmarks(11).build()),
                  bad("max_landmarks -1", "max_landmarks", describe(region, 0, 0, 0).toBuilder().setMaxLandmarks(-1).build())));
            })
        .build();
  }

  static RegisterLandmarkRequest.Builder landmark(String region, String name, double x, double y, double z,
      String description) {
    return RegisterLandmarkRequest.newBuilder().setRegion(region).setName(name).setPosition(at(x, y, z))
        .setDescription(description);
  }

  static Vector3 at(double x, double y, double z) {
    return Vector3.newBuilder().setX(x).setY(y).setZ(z).build();
  }

  static DescribeRequest describe(String region, double x, double y, double z) {
    return DescribeRequest.newBuilder().setRegion(region).setPosition(at(x, y, z)).build();
  }

  private static void registers(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String region = ctx.unique("envnarr");
    Landmark l = wire.ok("register_landmark", landmark(region, "The Bell Tower", 1, 2, 3, "It tolls at noon.")
        .addTags("ruin").build());
    assertThat(l.getLandmarkId()).as("landmark_id = lm- + SHA-256(region, lower-case name)")
        .isEqualTo(Names.derived("lm-", 16, region, "the bell tower"));
    assertThat(l.getRegion()).isEqualTo(region);
    assertThat(l.getName()).isEqualTo("The Bell Tower");
    assertThat(l.getPosition()).isEqualTo(at(1, 2, 3));
    assertThat(l.getRadius()).as("radius 0 means 50").isEqualTo(50.0);
    assertThat(l.getDescription()).isEqualTo("It tolls at noon.");
    assertThat(l.getTagsList()).containsExactly("ruin");
    Landmark wide = wire.ok("register_landmark", landmark(region, "Lighthouse", 0, 0, 0, "").setRadius(900).build());
    assertThat(wide.getRadius()).isEqualTo(900.0);
  }

  private static void registerInvalid(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String region = ctx.unique("envnarr");
    RegisterLandmarkRequest ok = landmark(region, "Gate", 0, 0, 0, "").build();
    wire.failsOnEach("register_landmark", List.of(
        bad("upper-case region", "region", ok.toBuilder().setRegion("North").build()),
        bad("empty name", "name", ok.toBuilder().setName("").build()),
        bad("name of 101 characters", "name", ok.toBuilder().setName("n".repeat(101)).build()),
        bad("description of 501 characters", "description", ok.toBuilder().setDescription("d".repeat(501)).build()),
        bad("no position", "position", ok.toBuilder().clearPosition().build()),
        bad("infinite coordinate", "position", ok.toBuilder().setPosition(at(0, Double.POSITIVE_INFINITY, 0)).build()),
        bad("radius -1", "radius", ok.toBuilder().setRadius(-1).build()),
        bad("radius 10001", "radius", ok.toBuilder().setRadius(10_001).build()),
        bad("17 tags", "tags", ok.toBuilder().addAllTags(IntStream.range(0, 17).mapToObj(i -> "t" + i).toList()).build())));
    wire.ok("register_landmark", ok);
  }

  private static void registeredEvent(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String region = ctx.unique("envnarr");
    try (EventSpy<LandmarkRegistered> spy = EventSpy.on(ctx, SERVICE, "landmark_registered")) {
      Landmark l = wire.ok("register_landmark", landmark(region, "Well", 4, 5, 6, "").build());
      LandmarkRegistered event = spy.awaitOneWithEventId(e -> e.getRegion().equals(region), l.getLandmarkId());
      assertThat(event.getLandmarkId()).isEqualTo(l.getLandmarkId());
      assertThat(event.getName()).isEqualTo("Well");
      assertThat(event.getPosition()).isEqualTo(at(4, 5, 6));
    }
  }

  /** The text the proto comment documents for a description's phase, weather and landmarks. */
  static String expectedText(String region, Description d, Map<String, String> descriptions) {
    StringBuilder text = new StringBuilder(switch (d.getPhase()) {
      case "DAWN" -> "Dawn breaks over " + region + ".";
      case "DAY" -> "Day lies bright over " + region + ".";
      case "DUSK" -> "Dusk settles over " + region + ".";
      case "NIGHT" -> "Night has fallen over " + region + ".";
      default -> throw new AssertionError("phase '" + d.getPhase() + "' is not a time_manager phase");
    });
    text.append(' ').append(switch (d.getWeather()) {
      case "CLEAR" -> "The sky is clear.";
      case "CLOUDY" -> "Clouds hang low.";
      case "RAIN" -> "Rain is falling.";
      case "STORM" -> "A storm rages.";
      case "SNOW" -> "Snow is falling.";
      case "FOG" -> "Fog shrouds everything.";
      default -> "The weather is " + d.getWeather().toLowerCase(Locale.ROOT) + ".";
    });
    for (NearbyLandmark l : d.getLandmarksList()) {
      String where = l.getDistance() <= 10 ? "Right here" : l.getDistance() <= 50 ? "Nearby" : "In the distance";
      text.append(' ').append(where).append(" stands ").append(l.getName()).append('.');
      String description = descriptions.getOrDefault(l.getLandmarkId(), "");
      if (!description.isEmpty()) {
        text.append(' ').append(description);
      }
    }
    return text.toString();
  }

  private static void templates(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String region = ctx.unique("envnarr");
    Landmark here = wire.ok("register_landmark", landmark(region, "Fountain", 3, 0, 4, "Water sings in it.").build());
    Landmark near = wire.ok("register_landmark", landmark(region, "Chapel", 30, 0, 0, "").build());
    Landmark far = wire.ok("register_landmark", landmark(region, "Watchtower", 0, 80, 0, "It looks north.")
        .setRadius(100).build());
    wire.ok("register_landmark", landmark(region, "Hidden Cave", 0, 0, 60, "Never mentioned.").build());
    Description d = wire.ok("describe", describe(region, 0, 0, 0));
    assertThat(d.getLandmarksList()).extracting(NearbyLandmark::getLandmarkId).as("landmarks used, nearest first")
        .containsExactly(here.getLandmarkId(), near.getLandmarkId(), far.getLandmarkId());
    assertThat(d.getLandmarksList()).extracting(NearbyLandmark::getDistance).containsExactly(5.0, 30.0, 80.0);
    assertThat(d.getText()).as("the composed description").isEqualTo(expectedText(region, d, Map.of(
        here.getLandmarkId(), here.getDescription(), far.getLandmarkId(), far.getDescription())));
    assertThat(d.getWorldId()).as("world_id with the default applied").isEqualTo("default");
    Description empty = wire.ok("describe", describe(ctx.unique("envnarr"), 0, 0, 0));
    assertThat(empty.getLandmarksList()).isEmpty();
    assertThat(empty.getText().split("\\. ")).as("sentences of a description without landmarks").hasSize(2);
  }

  private static void nearestFirst(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String region = ctx.unique("envnarr");
    Landmark a = wire.ok("register_landmark", landmark(region, "Alpha", 0, 20, 0, "").build());
    Landmark b = wire.ok("register_landmark", landmark(region, "Beta", 0, -20, 0, "").build());
    Landmark c = wire.ok("register_landmark", landmark(region, "Gamma", 8, 0, 0, "").build());
    wire.ok("register_landmark", landmark(region, "Delta", 40, 0, 0, "").build());
    Description two = wire.ok("describe", describe(region, 0, 0, 0).toBuilder().setMaxLandmarks(2).build());
    String tieFirst = a.getLandmarkId().compareTo(b.getLandmarkId()) < 0 ? a.getLandmarkId() : b.getLandmarkId();
    assertThat(two.getLandmarksList()).extracting(NearbyLandmark::getLandmarkId).as("the 2 nearest, a tie by id")
        .containsExactly(c.getLandmarkId(), tieFirst);
    Description all = wire.ok("describe", describe(region, 0, 0, 0).toBuilder().setMaxLandmarks(10).build());
    assertThat(all.getLandmarksCount()).as("landmarks within their radius of 50").isEqualTo(4);
  }

  private static void fromHops(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    Rpc weather = Rpc.of(ctx, "weather_manager");
    String region = ctx.unique("envnarr");
    Description plain = wire.ok("describe", describe(region, 0, 0, 0));
    int hour = (int) (plain.getGameHour() % 24);
    String phase = hour >= 5 && hour < 7 ? "DAWN" : hour >= 7 && hour < 18 ? "DAY" : hour >= 18 && hour < 20 ? "DUSK"
        : "NIGHT";
    assertThat(plain.getPhase()).as("phase of game hour %d", plain.getGameHour()).isEqualTo(phase);
    Weather w = weather.ok("get_weather", GetWeatherRequest.newBuilder().setRegion(region)
        .setGameHour(plain.getGameHour()).build());
    assertThat(plain.getWeather()).as("weather_manager's condition at game hour %d", plain.getGameHour())
        .isEqualTo(w.getCondition().name());
    weather.ok("set_override", SetOverrideRequest.newBuilder().setRegion(region).setCondition(Condition.STORM)
        .setStartGameHour(0).build());
    Description stormy = wire.ok("describe", describe(region, 0, 0, 0));
    assertThat(stormy.getWeather()).as("weather after an override of every hour of the region").isEqualTo("STORM");
    assertThat(stormy.getText()).contains("A storm rages.");
  }

  private static void trace(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String region = ctx.unique("envnarr");
    Trace trace = Trace.random();
    try (HopSpy spy = HopSpy.on(ctx, TIME_NOW, GET_WEATHER)) {
      Call call = wire.call("describe").header(WireHeaders.TRACEPARENT, trace.traceparent());
      Description d = call.ok(describe(region, 0, 0, 0));
      List<HopSpy.Hop> hops = spy.assertContinued(trace, 2, call.deadline());
      assertThat(hops).extracting(HopSpy.Hop::subject).as("hops in order").containsExactly(TIME_NOW, GET_WEATHER);
      GetWeatherRequest asked = GetWeatherRequest.parseFrom(hops.get(1).body());
      assertThat(asked.getRegion()).isEqualTo(region);
      assertThat(asked.hasGameHour()).as("the weather hop names the game hour time_manager gave").isTrue();
      assertThat(asked.getGameHour()).isEqualTo(d.getGameHour());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("the get_weather hop's body is not a GetWeatherRequest", e);
    }
  }
}
