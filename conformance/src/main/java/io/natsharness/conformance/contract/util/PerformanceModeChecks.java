package io.natsharness.conformance.contract.util;

import static io.natsharness.conformance.contract.kit.Bad.bad;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.util.perfmode.v1.ClientMode;
import io.natsharness.proto.util.perfmode.v1.GetModeRequest;
import io.natsharness.proto.util.perfmode.v1.HardwareProfile;
import io.natsharness.proto.util.perfmode.v1.Mode;
import io.natsharness.proto.util.perfmode.v1.ModeChanged;
import io.natsharness.proto.util.perfmode.v1.RecommendRequest;
import io.natsharness.proto.util.perfmode.v1.Recommendation;
import io.natsharness.proto.util.perfmode.v1.SetModeRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The contract checks of performance_mode (util/perfmode/v1/performance_mode.proto): BALANCED by
 * default, set_mode with versions and mode_changed (none for an unchanged mode), and recommend
 * held to the documented rule at every tier boundary, computed here from the proto comment.
 *
 * <pre>{@code
 * List<Check> checks = PerformanceModeChecks.checks();   // contract.performance_mode.*
 * }</pre>
 */
public final class PerformanceModeChecks {

  static final String SERVICE = "performance_mode";

  private PerformanceModeChecks() {}

  public static List<Check> checks() {
    return ContractChecks.forService(SERVICE)
        .behaviour("get_mode", "balanced_by_default",
            "a client that never set a mode gets BALANCED with is_default and no meta.",
            ctx -> {
              ClientMode mode = Rpc.of(ctx, SERVICE).ok("get_mode",
                  GetModeRequest.newBuilder().setClientId(ctx.unique("client")).build());
              assertThat(mode.getMode()).isEqualTo(Mode.BALANCED);
              assertThat(mode.getIsDefault()).isTrue();
              assertThat(mode.hasMeta()).as("meta of a default mode").isFalse();
            })
        .error("get_mode", "invalid_argument", Code.INVALID_ARGUMENT,
            "get_mode with an empty or malformed client_id is INVALID_ARGUMENT.",
            ctx -> Rpc.of(ctx, SERVICE).failsOnEach("get_mode", List.of(
                bad("empty client_id", "client_id", GetModeRequest.getDefaultInstance()),
                bad("client_id with a space", "client_id", GetModeRequest.newBuilder().setClientId("a b").build()),
                bad("client_id of 129 characters", "client_id", GetModeRequest.newBuilder()
                    .setClientId("c".repeat(129)).build()))))
        .behaviour("set_mode", "stores_with_versions",
            "set_mode stores the mode with meta.version 1, 2, ..., and setting the stored mode again changes nothing.",
            PerformanceModeChecks::stores)
        .error("set_mode", "invalid_argument", Code.INVALID_ARGUMENT,
            "set_mode without a mode or with a malformed client_id is INVALID_ARGUMENT and stores nothing.",
            PerformanceModeChecks::setInvalid)
        .error("set_mode", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "set_mode past its deadline is DEADLINE_EXCEEDED and stores nothing.",
            ctx -> {
              Rpc wire = Rpc.of(ctx, SERVICE);
              String client = ctx.unique("client");
              wire.call("set_mode").expiredDeadline().fails(set(client, Mode.ULTRA), Code.DEADLINE_EXCEEDED);
              assertThat(wire.<ClientMode>ok("get_mode", get(client)).getIsDefault())
                  .as("is_default after the expired set_mode").isTrue();
            })
        .behaviour("set_mode", "mode_changed_event",
            "set_mode publishes one mode_changed event per change with the previous mode, and none for an unchanged mode.",
            PerformanceModeChecks::changedEvent)
        .behaviour("recommend", "documented_rule",
            "recommend follows the documented tiers at every boundary, takes the lowest tier, and caps at BALANCED on battery.",
            PerformanceModeChecks::rule)
        .error("recommend", "invalid_argument", Code.INVALID_ARGUMENT,
            "recommend without a profile or with cpu_cores, ram_mb or gpu_vram_mb out of range is INVALID_ARGUMENT.",
            PerformanceModeChecks::recommendInvalid)
        .build();
  }

  private static GetModeRequest get(String client) {
    return GetModeRequest.newBuilder().setClientId(client).build();
  }

  private static SetModeRequest set(String client, Mode mode) {
    return SetModeRequest.newBuilder().setClientId(client).setMode(mode).build();
  }

  private static void stores(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String client = ctx.unique("client");
    ClientMode high = wire.ok("set_mode", set(client, Mode.HIGH));
    assertThat(high.getMode()).isEqualTo(Mode.HIGH);
    assertThat(high.getIsDefault()).isFalse();
    assertThat(high.getClientId()).isEqualTo(client);
    assertThat(high.getMeta().getVersion()).isEqualTo(1);
    assertThat(wire.<ClientMode>ok("get_mode", get(client))).as("get_mode after set_mode").isEqualTo(high);
    ClientMode ultra = wire.ok("set_mode", set(client, Mode.ULTRA));
    assertThat(ultra.getMeta().getVersion()).isEqualTo(2);
    ClientMode again = wire.ok("set_mode", set(client, Mode.ULTRA));
    assertThat(again.getMeta().getVersion()).as("version after setting the stored mode again").isEqualTo(2);
    assertThat(again.getMode()).isEqualTo(Mode.ULTRA);
  }

  private static void setInvalid(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String client = ctx.unique("client");
    wire.failsOnEach("set_mode", List.of(
        bad("no mode", "mode", SetModeRequest.newBuilder().setClientId(client).build()),
        bad("empty client_id", "client_id", set("", Mode.LOW)),
        bad("client_id with a slash", "client_id", set("a/b", Mode.LOW))));
    assertThat(wire.<ClientMode>ok("get_mode", get(client)).getIsDefault()).isTrue();
  }

  private static void changedEvent(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    String client = ctx.unique("client");
    try (EventSpy<ModeChanged> spy = EventSpy.on(ctx, SERVICE, "mode_changed")) {
      wire.ok("set_mode", set(client, Mode.LOW));
      ModeChanged first = spy.awaitOne(e -> e.getClientId().equals(client) && e.getVersion() == 1);
      assertThat(first.getPreviousMode()).as("previous mode of a client that never set one").isEqualTo(Mode.BALANCED);
      assertThat(first.getMode()).isEqualTo(Mode.LOW);
      wire.ok("set_mode", set(client, Mode.HIGH));
      ModeChanged second = spy.awaitOne(e -> e.getClientId().equals(client) && e.getVersion() == 2);
      assertThat(second.getPreviousMode()).isEqualTo(Mode.LOW);
      assertThat(second.getMode()).isEqualTo(Mode.HIGH);
      wire.ok("set_mode", set(client, Mode.HIGH));
      spy.assertDistinct(e -> e.getClientId().equals(client), 2, Duration.ofMillis(500));
    }
  }

  /** The rule of the proto comment, computed here, never read back from the service. */
  static int cpuTier(int cores) {
    return cores < 4 ? 0 : cores < 6 ? 1 : cores < 8 ? 2 : 3;
  }

  static int memoryTier(int ramMb) {
    return ramMb < 4096 ? 0 : ramMb < 8192 ? 1 : ramMb < 16384 ? 2 : 3;
  }

  static int gpuTier(int vramMb) {
    return vramMb < 2048 ? 0 : vramMb < 4096 ? 1 : vramMb < 8192 ? 2 : 3;
  }

  private static void rule(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, SERVICE);
    List<HardwareProfile> profiles = new ArrayList<>();
    int[] cores = {1, 3, 4, 5, 6, 7, 8, 64, 1024};
    int[] ram = {256, 4095, 4096, 8191, 8192, 16383, 16384, 16_777_216};
    int[] vram = {0, 2047, 2048, 4095, 4096, 8191, 8192, 1_048_576};
    for (int c : cores) {
      profiles.add(profile(c, 32768, 16384, false));
    }
    for (int r : ram) {
      profiles.add(profile(16, r, 16384, false));
    }
    for (int v : vram) {
      profiles.add(profile(16, 32768, v, false));
    }
    profiles.add(profile(16, 32768, 16384, true));
    profiles.add(profile(6, 32768, 16384, true));
    profiles.add(profile(4, 32768, 16384, true));
    profiles.add(profile(2, 32768, 16384, true));
    profiles.add(profile(7, 5000, 3000, false));
    for (HardwareProfile p : profiles) {
      Recommendation r = wire.ok("recommend", RecommendRequest.newBuilder().setProfile(p).build());
      int cpu = cpuTier(p.getCpuCores());
      int memory = memoryTier(p.getRamMb());
      int gpu = gpuTier(p.getGpuVramMb());
      int tier = Math.min(cpu, Math.min(memory, gpu));
      boolean capped = p.getOnBattery() && tier > 1;
      Mode expected = Mode.forNumber(1 + (capped ? 1 : tier));
      String profile = p.toString().replace('\n', ' ').strip();
      assertThat(r.getCpuTier()).as("cpu tier of %s", profile).isEqualTo(cpu);
      assertThat(r.getMemoryTier()).as("memory tier of %s", profile).isEqualTo(memory);
      assertThat(r.getGpuTier()).as("gpu tier of %s", profile).isEqualTo(gpu);
      assertThat(r.getMode()).as("mode of %s", profile).isEqualTo(expected);
      assertThat(r.getCappedByBattery()).as("capped_by_battery of %s", profile).isEqualTo(capped);
      assertThat(r.getReasonsList()).as("reasons of %s", profile).isNotEmpty();
    }
  }

  private static HardwareProfile profile(int cores, int ramMb, int vramMb, boolean battery) {
    return HardwareProfile.newBuilder().setCpuCores(cores).setRamMb(ramMb).setGpuVramMb(vramMb)
        .setOnBattery(battery).build();
  }

  private static void recommendInvalid(CheckContext ctx) {
    Rpc.of(ctx, SERVICE).failsOnEach("recommend", List.of(
        bad("no profile", "profile", RecommendRequest.getDefaultInstance()),
        bad("cpu_cores 0", "profile", recommend(profile(0, 8192, 4096, false))),
        bad("cpu_cores 1025", "profile", recommend(profile(1025, 8192, 4096, false))),
        bad("ram_mb 255", "profile", recommend(profile(4, 255, 4096, false))),
        bad("ram_mb 16777217", "profile", recommend(profile(4, 16_777_217, 4096, false))),
        bad("gpu_vram_mb -1", "profile", recommend(profile(4, 8192, -1, false))),
        bad("gpu_vram_mb 1048577", "profile", recommend(profile(4, 8192, 1_048_577, false)))));
  }

  private static RecommendRequest recommend(HardwareProfile p) {
    return RecommendRequest.newBuilder().setProfile(p).build();
  }
}
