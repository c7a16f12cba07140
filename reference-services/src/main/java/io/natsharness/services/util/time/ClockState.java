package io.natsharness.services.util.time;

import io.natsharness.proto.util.time.v1.GameTime;
import io.natsharness.proto.util.time.v1.Phase;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.util.kit.Records;
import java.util.HashMap;
import java.util.Map;

/**
 * One world's clock as stored in Redis: game time is {@code anchorGameMs} plus the real time
 * elapsed since {@code anchorRealMs} times the scale (nothing while paused). Every change
 * re-anchors at the current instant, which keeps game time continuous across scale changes and
 * pauses. {@code checkedMs} is the game time up to which phase crossings have been published;
 * {@code rev} counts writes, for compare-and-set.
 *
 * <pre>{@code
 * ClockState s = ClockState.initial(now, 60.0);
 * long game = s.gameTimeAt(now + 1000);   // 60000: one real second is a game minute
 * }</pre>
 */
record ClockState(long epochMs, double scale, boolean paused, long anchorRealMs, long anchorGameMs,
    long checkedMs, long rev) {

  static final long HOUR_MS = 3_600_000L;
  static final long DAY_MS = 24 * HOUR_MS;
  static final double INITIAL_SCALE = 60.0;

  static ClockState initial(long epochMs, long nowMs) {
    // A configured epoch in the past means the world has been running since then.
    long elapsed = Math.max(0, nowMs - epochMs);
    long game = (long) Math.floor(elapsed * INITIAL_SCALE);
    return new ClockState(epochMs, INITIAL_SCALE, false, nowMs, game, game, 0);
  }

  long gameTimeAt(long nowMs) {
    if (paused) {
      return anchorGameMs;
    }
    long elapsed = Math.max(0, nowMs - anchorRealMs);
    return anchorGameMs + (long) Math.floor(elapsed * scale);
  }

  ClockState withScale(double newScale, long nowMs) {
    return new ClockState(epochMs, newScale, paused, nowMs, gameTimeAt(nowMs), checkedMs, rev);
  }

  ClockState withPaused(boolean nowPaused, long nowMs) {
    return new ClockState(epochMs, scale, nowPaused, nowMs, gameTimeAt(nowMs), checkedMs, rev);
  }

  ClockState withChecked(long gameMs) {
    return new ClockState(epochMs, scale, paused, anchorRealMs, anchorGameMs, gameMs, rev);
  }

  GameTime toGameTime(String worldId, long nowMs) {
    long game = gameTimeAt(nowMs);
    long msOfDay = Math.floorMod(game, DAY_MS);
    int hour = (int) (msOfDay / HOUR_MS);
    return GameTime.newBuilder().setWorldId(worldId).setGameTimeMs(game).setDay(game / DAY_MS)
        .setHour(hour).setMinute((int) (msOfDay % HOUR_MS / 60_000L)).setPhase(phaseOfHour(hour))
        .setScale(scale).setPaused(paused).setRealTime(Records.timestamp(nowMs)).build();
  }

  static Phase phaseOfHour(int hour) {
    if (hour >= 5 && hour < 7) {
      return Phase.DAWN;
    }
    if (hour >= 7 && hour < 18) {
      return Phase.DAY;
    }
    return hour >= 18 && hour < 20 ? Phase.DUSK : Phase.NIGHT;
  }

  Map<String, String> toHash() {
    Map<String, String> h = new HashMap<>();
    h.put("epoch_ms", Long.toString(epochMs));
    h.put("scale", Double.toString(scale));
    h.put("paused", paused ? "1" : "0");
    h.put("anchor_real_ms", Long.toString(anchorRealMs));
    h.put("anchor_game_ms", Long.toString(anchorGameMs));
    h.put("checked_ms", Long.toString(checkedMs));
    return h;
  }

  static ClockState fromHash(Map<String, String> h) {
    double scale;
    try {
      scale = Double.parseDouble(h.getOrDefault("scale", ""));
    } catch (NumberFormatException e) {
      scale = Double.NaN;
    }
    if (!(scale > 0)) {
      throw RpcException.dataLoss("the stored clock has a malformed scale");
    }
    return new ClockState(Records.parseLong(h.get("epoch_ms")), scale, "1".equals(h.get("paused")),
        Records.parseLong(h.get("anchor_real_ms")), Records.parseLong(h.get("anchor_game_ms")),
        Records.parseLong(h.get("checked_ms")), Records.parseLong(h.get("rev")));
  }
}
