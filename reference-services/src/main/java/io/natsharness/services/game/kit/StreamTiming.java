package io.natsharness.services.game.kit;

import io.natsharness.sdk.service.CallContext;
import java.time.Duration;

/**
 * Timing of the long-lived server streams (watch_region, pull_commands): the heartbeat interval
 * and when to end. A stream ends on its own slightly before the request's deadline (at most
 * {@link #MAX_STREAM} after it starts), so the end marker reaches the caller before the caller's
 * deadline fires.
 *
 * <pre>{@code
 * Duration heartbeat = StreamTiming.heartbeat("heartbeat_interval_ms", request.getHeartbeatIntervalMs());
 * long endNanos = StreamTiming.endNanos(call);
 * }</pre>
 */
public final class StreamTiming {

  /** Longest stream when the request carries no deadline of its own. */
  public static final Duration MAX_STREAM = Duration.ofSeconds(300);
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
  private static final Duration MAX_MARGIN = Duration.ofMillis(200);

  private StreamTiming() {}

  /** 0 means {@link #DEFAULT_HEARTBEAT}; otherwise in [100, 60000] ms, else INVALID_ARGUMENT. */
  public static Duration heartbeat(String field, int millis) {
    if (millis == 0) {
      return DEFAULT_HEARTBEAT;
    }
    if (millis < 100 || millis > 60_000) {
      throw Checks.invalid(field, "must be 0 or in [100, 60000], got " + millis);
    }
    return Duration.ofMillis(millis);
  }

  /**
   * The {@link System#nanoTime()} at which the stream ends: the request's remaining time (capped at
   * {@link #MAX_STREAM}) less a margin of a tenth of it, at most 200 ms.
   */
  public static long endNanos(CallContext call) {
    Duration budget = call.remaining();
    if (budget.compareTo(MAX_STREAM) > 0) {
      budget = MAX_STREAM;
    }
    Duration margin = budget.dividedBy(10);
    if (margin.compareTo(MAX_MARGIN) > 0) {
      margin = MAX_MARGIN;
    }
    return System.nanoTime() + budget.minus(margin).toNanos();
  }
}
