package io.natsharness.services.util.time;

import io.natsharness.proto.util.time.v1.ClockChange;
import io.natsharness.proto.util.time.v1.GameTime;
import io.natsharness.proto.util.time.v1.NowRequest;
import io.natsharness.proto.util.time.v1.PauseRequest;
import io.natsharness.proto.util.time.v1.ResumeRequest;
import io.natsharness.proto.util.time.v1.SetScaleRequest;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.ServiceLifecycle;
import io.natsharness.services.support.Validation;
import io.natsharness.services.util.kit.Background;
import io.natsharness.services.util.kit.EventOutbox;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * time_manager: the game clock of each configured world ({@link TimeWorlds}): scale, pause and
 * resume, days and phases. Phase crossings are published as phase_changed by whichever call or
 * background check first sees them (every second while hosted, and on every call).
 *
 * <pre>{@code
 * // svc.util.time.v1.set_scale {world_id: "default", scale: 120}
 * // svc.util.time.v1.now {}  -> {game_time_ms, day, hour, minute, phase: DAY, scale: 120}
 * }</pre>
 */
public final class TimeManagerService implements NatsService, ServiceLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(TimeManagerService.class);
  private static final long WATCH_PERIOD_MS = 1_000;

  private final ServiceContext ctx;
  private final TimeWorlds worlds;
  private final EventOutbox events;
  private final WorldClocks clocks;
  private ScheduledFuture<?> watch;

  /** With the worlds of {@link TimeWorlds#fromEnvironment()}. */
  public TimeManagerService(ServiceContext ctx) {
    this(ctx, TimeWorlds.fromEnvironment());
  }

  public TimeManagerService(ServiceContext ctx, TimeWorlds worlds) {
    this.ctx = ctx;
    this.worlds = worlds;
    this.events = new EventOutbox(ctx, WorldClocks.SERVICE);
    this.clocks = new WorldClocks(ctx, worlds, events);
  }

  @Override
  public String name() {
    return WorldClocks.SERVICE;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.unary("now", this::now)
        .unary("set_scale", this::setScale)
        .unary("pause", this::pause)
        .unary("resume", this::resume);
  }

  /** Creates the configured worlds' clocks (their epoch: now, unless configured) and watches phases. */
  @Override
  public synchronized void start() {
    events.startSweeping();
    if (watch == null) {
      watch = Background.scheduler().scheduleWithFixedDelay(this::watchPhases, 0, WATCH_PERIOD_MS,
          TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized void close() {
    if (watch != null) {
      watch.cancel(false);
      watch = null;
    }
    events.close();
  }

  GameTime now(NowRequest request, CallContext call) {
    String world = world(request.getWorldId());
    clocks.publishCrossings(world);
    return clocks.read(world).toGameTime(world, ctx.clock().millis());
  }

  GameTime setScale(SetScaleRequest request, CallContext call) {
    String world = world(request.getWorldId());
    double scale = request.getScale();
    Validation.require(Double.isFinite(scale) && scale > 0 && scale <= 10_000, "scale",
        "must be in (0, 10000], got " + scale);
    return change(world, s -> s.withScale(scale, ctx.clock().millis()), ClockChange.SCALE_SET);
  }

  GameTime pause(PauseRequest request, CallContext call) {
    String world = world(request.getWorldId());
    return change(world, s -> s.paused() ? s : s.withPaused(true, ctx.clock().millis()), ClockChange.PAUSED);
  }

  GameTime resume(ResumeRequest request, CallContext call) {
    String world = world(request.getWorldId());
    return change(world, s -> s.paused() ? s.withPaused(false, ctx.clock().millis()) : s, ClockChange.RESUMED);
  }

  private GameTime change(String world, UnaryOperator<ClockState> how, ClockChange kind) {
    // Crossings up to this instant belong to the old scale: publish them before changing it.
    clocks.publishCrossings(world);
    ClockState after = clocks.update(world, how, kind);
    return after.toGameTime(world, ctx.clock().millis());
  }

  private void watchPhases() {
    for (String world : worlds.epochs().keySet()) {
      try {
        clocks.publishCrossings(world);
      } catch (RuntimeException e) {
        LOG.warn("phase watch of world {} failed: {}", world, e.toString());
      }
    }
  }

  private String world(String worldId) {
    String world = worldId.isEmpty() ? TimeWorlds.DEFAULT_WORLD : worldId;
    Validation.matches(world, TimeWorlds.WORLD_ID, "world_id");
    if (!worlds.knows(world)) {
      throw RpcException.notFound("world " + world + " is not configured");
    }
    return world;
  }
}
