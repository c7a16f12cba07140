package io.natsharness.services.util.perfmode;

import static io.natsharness.services.util.kit.Calls.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.JetStreamManagement;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.util.perfmode.v1.ClientMode;
import io.natsharness.proto.util.perfmode.v1.GetModeRequest;
import io.natsharness.proto.util.perfmode.v1.HardwareProfile;
import io.natsharness.proto.util.perfmode.v1.Mode;
import io.natsharness.proto.util.perfmode.v1.ModeChanged;
import io.natsharness.proto.util.perfmode.v1.RecommendRequest;
import io.natsharness.proto.util.perfmode.v1.Recommendation;
import io.natsharness.proto.util.perfmode.v1.SetModeRequest;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.util.kit.Calls;
import io.natsharness.services.util.kit.Hosted;
import io.natsharness.services.util.kit.StoredEvents;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@NatsHarnessTest
@DisplayName("performance_mode")
class PerformanceModeServiceTest {

  static Hosted hosted;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    hosted = Hosted.start(info, "performance_mode");
  }

  @AfterAll
  static void stop() {
    if (hosted != null) {
      hosted.close();
    }
  }

  static Calls calls(RpcClient client) {
    return new Calls(client, "svc.util.perfmode.v1");
  }

  static String client() {
    return "client-" + UUID.randomUUID();
  }

  static ClientMode set(Calls calls, String clientId, Mode mode) {
    return calls.call("set_mode", SetModeRequest.newBuilder().setClientId(clientId).setMode(mode).build());
  }

  @Nested
  @DisplayName("get_mode and set_mode")
  class Modes {

    @Test
    @DisplayName("a client that never set a mode is BALANCED by default, without meta")
    void defaultMode(RpcClient client) {
      String id = client();
      ClientMode mode = calls(client).call("get_mode", GetModeRequest.newBuilder().setClientId(id).build());
      assertThat(mode).isEqualTo(ClientMode.newBuilder().setClientId(id).setMode(Mode.BALANCED).setIsDefault(true)
          .build());
    }

    @Test
    @DisplayName("stores the mode; setting the same mode again changes nothing and publishes nothing")
    void setsOnce(RpcClient client, JetStreamManagement jsm) {
      Calls calls = calls(client);
      String id = client();
      ClientMode first = set(calls, id, Mode.HIGH);
      ClientMode same = set(calls, id, Mode.HIGH);
      ClientMode low = set(calls, id, Mode.LOW);
      assertThat(first.getMeta().getVersion()).isEqualTo(1);
      assertThat(same.getMeta()).isEqualTo(first.getMeta());
      assertThat(low.getMeta().getVersion()).isEqualTo(2);
      ClientMode read = calls.call("get_mode", GetModeRequest.newBuilder().setClientId(id).build());
      assertThat(read).isEqualTo(low);
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
          StoredEvents.payloads(jsm, "EVT_UTIL", "evt.util.perfmode.v1.mode_changed", ModeChanged.parser()))
          .filteredOn(e -> e.getClientId().equals(id)).containsExactly(
              ModeChanged.newBuilder().setClientId(id).setPreviousMode(Mode.BALANCED).setMode(Mode.HIGH)
                  .setVersion(1).build(),
              ModeChanged.newBuilder().setClientId(id).setPreviousMode(Mode.HIGH).setMode(Mode.LOW)
                  .setVersion(2).build()));
    }

    @Test
    @DisplayName("refuses an empty or malformed client id and a missing mode")
    void validates(RpcClient client) {
      Calls calls = calls(client);
      assertInvalid(() -> calls.call("get_mode", GetModeRequest.getDefaultInstance()), "client_id",
          "client_id: must not be empty");
      assertInvalid(() -> calls.call("get_mode", GetModeRequest.newBuilder().setClientId("a b").build()), "client_id",
          "client_id: must match [A-Za-z0-9._:-]{1,128}");
      assertInvalid(() -> calls.call("set_mode", SetModeRequest.newBuilder().setClientId("c").build()), "mode",
          "mode: must be specified");
    }

    @Test
    @DisplayName("a new host on the same Redis answers the stored mode")
    void survivesRestart(RpcClient client) {
      Calls calls = calls(client);
      String id = client();
      set(calls, id, Mode.ULTRA);
      hosted.restart();
      ClientMode read = calls.call("get_mode", GetModeRequest.newBuilder().setClientId(id).build());
      assertThat(read.getMode()).isEqualTo(Mode.ULTRA);
    }
  }

  @Nested
  @DisplayName("recommend")
  class Recommend {

    @ParameterizedTest(name = "{0} cores, {1} MiB, {2} MiB VRAM, battery {3} -> {4}")
    @CsvSource({
        "2, 16384, 8192, false, LOW",
        "4, 8192, 4096, false, BALANCED",
        "6, 16384, 8192, false, HIGH",
        "8, 16384, 8192, false, ULTRA",
        "16, 32768, 3072, false, BALANCED",
        "16, 32768, 0, false, LOW",
        "16, 32768, 24576, true, BALANCED",
        "2, 2048, 512, true, LOW"})
    @DisplayName("follows the documented rule")
    void rule(int cores, int ram, int vram, boolean battery, Mode expected, RpcClient client) {
      Recommendation r = calls(client).call("recommend", RecommendRequest.newBuilder().setProfile(
          HardwareProfile.newBuilder().setCpuCores(cores).setRamMb(ram).setGpuVramMb(vram).setOnBattery(battery))
          .build());
      assertThat(r.getMode()).isEqualTo(expected);
    }

    @Test
    @DisplayName("explains each step and says when the battery capped the mode")
    void explains(RpcClient client) {
      Recommendation r = calls(client).call("recommend", RecommendRequest.newBuilder().setProfile(
          HardwareProfile.newBuilder().setCpuCores(12).setRamMb(32768).setGpuVramMb(3072).setOnBattery(true)).build());
      assertThat(r).isEqualTo(Recommendation.newBuilder().setMode(Mode.BALANCED).setCpuTier(3).setMemoryTier(3)
          .setGpuTier(1).addReasons("cpu_cores 12 >= 8: cpu tier 3").addReasons("ram_mb 32768 >= 16384: memory tier 3")
          .addReasons("gpu_vram_mb 3072 < 4096: gpu tier 1").addReasons("lowest tier 1: BALANCED").build());
      Recommendation capped = calls(client).call("recommend", RecommendRequest.newBuilder().setProfile(
          HardwareProfile.newBuilder().setCpuCores(12).setRamMb(32768).setGpuVramMb(12288).setOnBattery(true)).build());
      assertThat(capped.getCappedByBattery()).isTrue();
      assertThat(capped.getReasonsList()).endsWith("lowest tier 3: ULTRA", "on_battery: capped at BALANCED");
    }

    @Test
    @DisplayName("refuses a missing profile and values out of range")
    void validates(RpcClient client) {
      Calls calls = calls(client);
      assertInvalid(() -> calls.call("recommend", RecommendRequest.getDefaultInstance()), "profile",
          "profile: is required");
      HardwareProfile ok = HardwareProfile.newBuilder().setCpuCores(4).setRamMb(4096).build();
      assertInvalid(() -> calls.call("recommend", RecommendRequest.newBuilder().setProfile(ok.toBuilder()
          .setCpuCores(0)).build()), "profile.cpu_cores", "profile.cpu_cores: must be in [1, 1024], got 0");
      assertInvalid(() -> calls.call("recommend", RecommendRequest.newBuilder().setProfile(ok.toBuilder()
          .setRamMb(255)).build()), "profile.ram_mb", "profile.ram_mb: must be in [256, 16777216], got 255");
      assertInvalid(() -> calls.call("recommend", RecommendRequest.newBuilder().setProfile(ok.toBuilder()
          .setGpuVramMb(-1)).build()), "profile.gpu_vram_mb", "profile.gpu_vram_mb: must be in [0, 1048576], got -1");
    }
  }
}
