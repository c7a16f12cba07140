package io.natsharness.services.util.time;

import io.natsharness.proto.util.time.v1.Phase;
import io.natsharness.proto.util.time.v1.PhaseChanged;
import java.util.ArrayList;
import java.util.List;

/**
 * The phase boundaries (05:00 DAWN, 07:00 DAY, 18:00 DUSK, 20:00 NIGHT) that game time crosses
 * between two instants, in order, as phase_changed payloads.
 *
 * <pre>{@code
 * List<PhaseChanged> crossed = PhaseCrossings.between("default", fromMs, toMs, 500);
 * }</pre>
 */
final class PhaseCrossings {

  private static final int[] BOUNDARY_HOURS = {5, 7, 18, 20};
  private static final Phase[] PHASE_FROM = {Phase.DAWN, Phase.DAY, Phase.DUSK, Phase.NIGHT};

  private PhaseCrossings() {}

  /** Boundaries t with {@code fromExclusive < t <= toInclusive}, at most {@code limit} of them. */
  static List<PhaseChanged> between(String worldId, long fromExclusive, long toInclusive, int limit) {
    List<PhaseChanged> out = new ArrayList<>();
    if (toInclusive <= fromExclusive) {
      return out;
    }
    long day = Math.floorDiv(fromExclusive, ClockState.DAY_MS);
    while (out.size() < limit) {
      for (int i = 0; i < BOUNDARY_HOURS.length && out.size() < limit; i++) {
        long t = day * ClockState.DAY_MS + BOUNDARY_HOURS[i] * ClockState.HOUR_MS;
        if (t > toInclusive) {
          return out;
        }
        if (t > fromExclusive) {
          Phase previous = PHASE_FROM[(i + PHASE_FROM.length - 1) % PHASE_FROM.length];
          out.add(PhaseChanged.newBuilder().setWorldId(worldId).setDay(day).setPreviousPhase(previous)
              .setPhase(PHASE_FROM[i]).setGameTimeMs(t).build());
        }
      }
      day++;
    }
    return out;
  }

  /** The event id the proto fixes: {@code <world_id>:<day>:<phase>}. */
  static String eventId(PhaseChanged change) {
    return change.getWorldId() + ":" + change.getDay() + ":" + change.getPhase().name();
  }
}
