package io.natsharness.services.util.time;

import com.google.protobuf.Message;
import io.natsharness.proto.util.time.v1.ClockChange;
import io.natsharness.proto.util.time.v1.ClockChanged;
import io.natsharness.proto.util.time.v1.PhaseChanged;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.util.kit.EventOutbox;
import io.natsharness.services.util.kit.LuaScript;
import io.natsharness.services.util.kit.ScriptReply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The world clocks in Redis ({@code time_manager:clock:<world>}). Every change is optimistic:
 * read the clock, compute the new state in Java, write it with {@code clock_cas.lua} only if its
 * revision did not move (else read again), with the change's events recorded in the outbox in the
 * same step. Phase crossings are found the same way: the instance whose write advances
 * {@code checked_ms} publishes them, and their ids make any repeat a duplicate.
 *
 * <pre>{@code
 * ClockState s = clocks.update("default", state -> state.withPaused(true, now), ClockChange.PAUSED);
 * }</pre>
 */
final class WorldClocks {

  static final String SERVICE = "time_manager";
  private static final LuaScript CAS = LuaScript.resource(WorldClocks.class, "clock_cas.lua");
  private static final int MAX_ATTEMPTS = 50;
  /** At most this many crossings per write; the rest follow on the next check. */
  private static final int MAX_CROSSINGS = 500;

  private final ServiceContext ctx;
  private final TimeWorlds worlds;
  private final EventOutbox events;

  WorldClocks(ServiceContext ctx, TimeWorlds worlds, EventOutbox events) {
    this.ctx = ctx;
    this.worlds = worlds;
    this.events = events;
  }

  /** The world's clock, created on first use (epoch: configured, else now). */
  ClockState read(String world) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Map<String, String> hash = ctx.redis().sync().hgetall(key(world));
      if (!hash.isEmpty()) {
        return ClockState.fromHash(hash);
      }
      long now = ctx.clock().millis();
      long epoch = worlds.epoch(world).map(i -> i.toEpochMilli()).orElse(now);
      ClockState initial = ClockState.initial(epoch, now);
      if (write(world, 0, initial.toHash(), Map.of())) {
        return read(world);
      }
    }
    throw RpcException.aborted("the clock of world " + world + " is changing too often; try again");
  }

  /**
   * Applies a change unless it changes nothing ({@code change} returns the same state); publishes
   * clock_changed for a real change. Returns the state after.
   */
  ClockState update(String world, UnaryOperator<ClockState> change, ClockChange kind) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      ClockState before = read(world);
      long now = ctx.clock().millis();
      ClockState after = change.apply(before);
      if (after.scale() == before.scale() && after.paused() == before.paused()) {
        return before;
      }
      long game = after.gameTimeAt(now);
      ClockChanged event = ClockChanged.newBuilder().setWorldId(world).setChange(kind).setScale(after.scale())
          .setPaused(after.paused()).setGameTimeMs(game).build();
      String eventId = world + ":clock:" + (before.rev() + 1);
      Map<String, Message> pending = new LinkedHashMap<>();
      pending.put(eventId, event);
      if (write(world, before.rev(), after.toHash(), pending)) {
        events.publishRecorded("clock_changed", event, eventId);
        return read(world);
      }
    }
    throw RpcException.aborted("the clock of world " + world + " is changing too often; try again");
  }

  /** Publishes the phase boundaries crossed since the last check; returns how many. */
  int publishCrossings(String world) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      ClockState state = read(world);
      long game = state.gameTimeAt(ctx.clock().millis());
      if (game <= state.checkedMs()) {
        return 0;
      }
      List<PhaseChanged> crossed = PhaseCrossings.between(world, state.checkedMs(), game, MAX_CROSSINGS);
      long checked = crossed.size() == MAX_CROSSINGS ? crossed.get(crossed.size() - 1).getGameTimeMs() : game;
      Map<String, Message> pending = new LinkedHashMap<>();
      crossed.forEach(c -> pending.put(PhaseCrossings.eventId(c), c));
      if (write(world, state.rev(), Map.of("checked_ms", Long.toString(checked)), pending)) {
        pending.forEach((id, event) -> events.publishRecorded("phase_changed", event, id));
        return crossed.size();
      }
    }
    return 0; // others keep advancing it; they publish what they cross
  }

  private boolean write(String world, long rev, Map<String, String> fields, Map<String, Message> pending) {
    List<String> args = new ArrayList<>(List.of(Long.toString(rev), Integer.toString(fields.size())));
    fields.forEach((f, v) -> {
      args.add(f);
      args.add(v);
    });
    long now = ctx.clock().millis();
    pending.forEach((id, event) -> {
      args.add(id);
      args.add(EventOutbox.entry(eventName(event), now, event));
    });
    ScriptReply reply = CAS.run(ctx.redis().sync(), List.of(key(world), events.key()), args);
    return reply.isOk();
  }

  private static String eventName(Message event) {
    return event instanceof PhaseChanged ? "phase_changed" : "clock_changed";
  }

  private String key(String world) {
    return ctx.key(SERVICE, "clock", world);
  }
}
