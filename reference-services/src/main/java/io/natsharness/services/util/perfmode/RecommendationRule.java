package io.natsharness.services.util.perfmode;

import io.natsharness.proto.util.perfmode.v1.HardwareProfile;
import io.natsharness.proto.util.perfmode.v1.Mode;
import io.natsharness.proto.util.perfmode.v1.Recommendation;
import io.natsharness.sdk.status.RpcException;

/**
 * The documented rule of {@code recommend} (see performance_mode.proto): three tiers from CPU
 * cores, memory and video memory; the lowest picks the mode; battery caps it at BALANCED.
 *
 * <pre>{@code
 * Recommendation r = RecommendationRule.recommend(profile); // e.g. HIGH, with one reason per step
 * }</pre>
 */
final class RecommendationRule {

  private static final Mode[] BY_TIER = {Mode.LOW, Mode.BALANCED, Mode.HIGH, Mode.ULTRA};

  private RecommendationRule() {}

  static Recommendation recommend(HardwareProfile p) {
    check(p);
    Recommendation.Builder r = Recommendation.newBuilder();
    int cpu = tier(p.getCpuCores(), 4, 6, 8);
    int memory = tier(p.getRamMb(), 4096, 8192, 16384);
    int gpu = tier(p.getGpuVramMb(), 2048, 4096, 8192);
    r.setCpuTier(cpu).setMemoryTier(memory).setGpuTier(gpu);
    r.addReasons(reason("cpu_cores", p.getCpuCores(), cpu, 4, 6, 8, "cpu"));
    r.addReasons(reason("ram_mb", p.getRamMb(), memory, 4096, 8192, 16384, "memory"));
    r.addReasons(reason("gpu_vram_mb", p.getGpuVramMb(), gpu, 2048, 4096, 8192, "gpu"));
    int lowest = Math.min(cpu, Math.min(memory, gpu));
    Mode mode = BY_TIER[lowest];
    r.addReasons("lowest tier " + lowest + ": " + mode);
    if (p.getOnBattery() && lowest > 1) {
      mode = Mode.BALANCED;
      r.setCappedByBattery(true);
      r.addReasons("on_battery: capped at BALANCED");
    }
    return r.setMode(mode).build();
  }

  private static void check(HardwareProfile p) {
    range("profile.cpu_cores", p.getCpuCores(), 1, 1024);
    range("profile.ram_mb", p.getRamMb(), 256, 16777216);
    range("profile.gpu_vram_mb", p.getGpuVramMb(), 0, 1048576);
  }

  private static void range(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw RpcException.invalidArgument(field, "must be in [" + min + ", " + max + "], got " + value);
    }
  }

  private static int tier(int value, int t1, int t2, int t3) {
    if (value < t1) {
      return 0;
    }
    if (value < t2) {
      return 1;
    }
    return value < t3 ? 2 : 3;
  }

  private static String reason(String field, int value, int tier, int t1, int t2, int t3, String name) {
    String comparison = switch (tier) {
      case 0 -> " < " + t1;
      case 1 -> " < " + t2;
      case 2 -> " < " + t3;
      default -> " >= " + t3;
    };
    return field + " " + value + comparison + ": " + name + " tier " + tier;
  }
}
