package io.natsharness.services.content.envnarr;

import static io.natsharness.services.util.kit.Calls.assertError;
import static io.natsharness.services.util.kit.Calls.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.nats.client.JetStreamManagement;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.common.v1.Vector3;
import io.natsharness.proto.content.envnarr.v1.DescribeRequest;
import io.natsharness.proto.content.envnarr.v1.Description;
import io.natsharness.proto.content.envnarr.v1.Landmark;
import io.natsharness.proto.content.envnarr.v1.LandmarkRegistered;
import io.natsharness.proto.content.envnarr.v1.NearbyLandmark;
import io.natsharness.proto.content.envnarr.v1.RegisterLandmarkRequest;
import io.natsharness.proto.util.weather.v1.Condition;
import io.natsharness.proto.util.weather.v1.SetOverrideRequest;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.support.Ids;
import io.natsharness.services.testing.MutableClock;
import io.natsharness.services.util.kit.Calls;
import io.natsharness.services.util.kit.Hosted;
import io.natsharness.services.util.kit.StoredEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("environmental_narrative")
class EnvironmentalNarrativeServiceTest {

  static final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T00:00:00Z"));
  static Hosted hosted;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    hosted = Hosted.start(info, clock, "environmental_narrative", "time_manager", "weather_manager");
  }

  @AfterAll
  static void stop() {
    if (hosted != null) {
      hosted.close();
    }
  }

  static Calls calls(RpcClient client) {
    return new Calls(client, "svc.content.envnarr.v1");
  }

  static String region() {
    return "r-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static Vector3 at(double x, double y, double z) {
    return Vector3.newBuilder().setX(x).setY(y).setZ(z).build();
  }

  static Landmark register(Calls calls, String region, String name, Vector3 position, double radius, String text) {
    return calls.call("register_landmark", RegisterLandmarkRequest.newBuilder().setRegion(region).setName(name)
        .setPosition(position).setRadius(radius).setDescription(text).build());
  }

  static Description describe(Calls calls, String region, Vector3 position, int max) {
    return calls.call("describe", DescribeRequest.newBuilder().setRegion(region).setPosition(position)
        .setMaxLandmarks(max).build());
  }

  /** Rain over the region for every hour, so the weather sentence is known. */
  static void rain(RpcClient client, String region) {
    client.call("svc.util.weather.v1.set_override", SetOverrideRequest.newBuilder().setRegion(region)
        .setCondition(Condition.RAIN).setStartGameHour(0).build());
  }

  @Nested
  @DisplayName("describe")
  class Describe {

    @Test
    @DisplayName("combines time_manager's phase, weather_manager's weather and the nearest landmarks")
    void composes(RpcClient client) {
      Calls calls = calls(client);
      String region = region();
      rain(client, region);
      register(calls, region, "Bell Tower", at(0, 0, 0), 20, "It tolls at noon.");
      register(calls, region, "Old Well", at(3, 0, 4), 0, "");
      register(calls, region, "North Gate", at(30, 0, 40), 60, "Its doors are shut.");
      register(calls, region, "Far Spire", at(100, 0, 0), 500, "It pierces the clouds.");
      register(calls, region, "Hidden Cave", at(0, 0, 30), 5, "Nobody finds it.");
      register(calls, "elsewhere-" + region, "Bell Tower", at(0, 0, 0), 100, "");
      long minutes = Duration.between(Instant.parse("2026-03-01T00:00:00Z"), clock.instant()).toMinutes();
      clock.advance(Duration.ofMinutes(24 * 60 - minutes % (24 * 60) + 6)); // 06:00 of a game day: DAWN
      Description d = describe(calls, region, at(0, 0, 0), 3);
      assertThat(d.getPhase()).isEqualTo("DAWN");
      assertThat(d.getWeather()).isEqualTo("RAIN");
      assertThat(d.getWorldId()).isEqualTo("default");
      assertThat(d.getText()).isEqualTo("Dawn breaks over " + region + ". Rain is falling. Right here stands Bell Tower."
          + " It tolls at noon. Right here stands Old Well. Nearby stands North Gate. Its doors are shut.");
      assertThat(d.getLandmarksList()).extracting(NearbyLandmark::getName, NearbyLandmark::getDistance)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("Bell Tower", 0.0),
              org.assertj.core.groups.Tuple.tuple("Old Well", 5.0),
              org.assertj.core.groups.Tuple.tuple("North Gate", 50.0));
      assertThat(describe(calls, region, at(0, 0, 0), 0).getLandmarksCount()).isEqualTo(3);
      Description all = describe(calls, region, at(0, 0, 0), 10);
      assertThat(all.getLandmarksCount()).isEqualTo(4);
      assertThat(all.getText()).endsWith("Its doors are shut. In the distance stands Far Spire. It pierces the clouds.");
      assertThat(describe(calls, region, at(0, 0, 0), 3)).isEqualTo(d);
    }

    @Test
    @DisplayName("a place with no landmark near still gets the phase and weather sentences")
    void empty(RpcClient client) {
      Calls calls = calls(client);
      String region = region();
      rain(client, region);
      Description d = describe(calls, region, at(5, 5, 5), 0);
      assertThat(d.getText()).matches("(Dawn breaks|Day lies bright|Dusk settles|Night has fallen) over "
          + region + "\\. Rain is falling\\.");
      assertThat(d.getLandmarksList()).isEmpty();
      assertThat(d.getGameHour()).isNotNegative();
    }

    @Test
    @DisplayName("time_manager's NOT_FOUND for an unknown world passes through unchanged")
    void unknownWorld(RpcClient client) {
      Calls calls = calls(client);
      assertError(() -> calls.call("describe", DescribeRequest.newBuilder().setRegion("north").setPosition(at(0, 0, 0))
          .setWorldId("mars").build()), Code.NOT_FOUND, "world mars is not configured");
    }

    @Test
    @DisplayName("refuses a malformed region or world, a missing or non-finite position and too many landmarks")
    void validates(RpcClient client) {
      Calls calls = calls(client);
      assertInvalid(() -> describe(calls, "Old Town", at(0, 0, 0), 0), "region", "region: must match [a-z0-9_-]{1,64}");
      assertInvalid(() -> calls.call("describe", DescribeRequest.newBuilder().setRegion("north").build()), "position",
          "position: is required");
      assertInvalid(() -> describe(calls, "north", at(0, Double.NaN, 0), 0), "position.y",
          "position.y: must be a finite number");
      assertInvalid(() -> describe(calls, "north", at(0, 0, 0), 11), "max_landmarks",
          "max_landmarks: must be in [0, 10]");
      assertInvalid(() -> calls.call("describe", DescribeRequest.newBuilder().setRegion("north").setPosition(at(0, 0, 0))
          .setWorldId("Mars").build()), "world_id", "world_id: must match [a-z0-9_-]{1,64}");
    }
  }

  @Nested
  @DisplayName("register_landmark")
  class Register {

    @Test
    @DisplayName("derives the id from region and lower-case name; the same name again is ALREADY_EXISTS")
    void registers(RpcClient client, JetStreamManagement jsm) {
      Calls calls = calls(client);
      String region = region();
      Landmark l = register(calls, region, "The Sunken Bell", at(1, 2, 3), 0, "Green with age.");
      assertThat(l.getLandmarkId()).isEqualTo(Ids.derived("lm-", 16, region, "the sunken bell"));
      assertThat(l.getRadius()).isEqualTo(50);
      assertThat(l.getMeta().getVersion()).isEqualTo(1);
      assertError(() -> register(calls, region, "THE SUNKEN BELL", at(0, 0, 0), 1, ""), Code.ALREADY_EXISTS,
          "region " + region + " already has a landmark named THE SUNKEN BELL (names are compared ignoring case)");
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(StoredEvents.payloads(jsm,
          "EVT_CONTENT", "evt.content.envnarr.v1.landmark_registered", LandmarkRegistered.parser()))
          .containsOnlyOnce(LandmarkRegistered.newBuilder().setLandmarkId(l.getLandmarkId()).setRegion(region)
              .setName("The Sunken Bell").setPosition(at(1, 2, 3)).build()));
    }

    @Test
    @DisplayName("refuses bad regions, names, descriptions, positions, radii and tag counts")
    void validates(RpcClient client) {
      Calls calls = calls(client);
      assertInvalid(() -> register(calls, "", "n", at(0, 0, 0), 1, ""), "region", "region: must match [a-z0-9_-]{1,64}");
      assertInvalid(() -> register(calls, "north", "", at(0, 0, 0), 1, ""), "name", "name: must not be empty");
      assertInvalid(() -> register(calls, "north", "n".repeat(101), at(0, 0, 0), 1, ""), "name",
          "name: must be at most 100 characters");
      assertInvalid(() -> register(calls, "north", "n", at(0, 0, 0), 1, "d".repeat(501)), "description",
          "description: must be at most 500 characters");
      assertInvalid(() -> register(calls, "north", "n", at(Double.POSITIVE_INFINITY, 0, 0), 1, ""), "position.x",
          "position.x: must be a finite number");
      assertInvalid(() -> register(calls, "north", "n", at(0, 0, 0), 10_001, ""), "radius",
          "radius: must be in [0, 10000] (0 means 50)");
      RegisterLandmarkRequest.Builder tags = RegisterLandmarkRequest.newBuilder().setRegion("north").setName("n")
          .setPosition(at(0, 0, 0));
      for (int i = 0; i < 17; i++) {
        tags.addTags("t" + i);
      }
      assertInvalid(() -> calls.call("register_landmark", tags.build()), "tags", "tags: must have at most 16 entries");
    }

    @Test
    @DisplayName("a new host on the same Redis still describes with the landmark")
    void survivesRestart(RpcClient client) {
      Calls calls = calls(client);
      String region = region();
      register(calls, region, "Lighthouse", at(0, 0, 0), 10, "");
      hosted.restart();
      assertThat(describe(calls, region, at(1, 0, 0), 0).getLandmarksList()).extracting(NearbyLandmark::getName)
          .containsExactly("Lighthouse");
    }
  }
}
