package io.natsharness.services.content.story;

import io.natsharness.proto.content.story.v1.Arc;
import io.natsharness.proto.content.story.v1.ArcCompleted;
import io.natsharness.proto.content.story.v1.ArcStarted;
import io.natsharness.proto.content.story.v1.ArcStatus;
import io.natsharness.proto.content.story.v1.Beat;
import io.natsharness.proto.content.story.v1.BeatAppended;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.util.kit.EventOutbox;
import io.natsharness.services.util.kit.LuaScript;
import io.natsharness.services.util.kit.Records;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Arcs in Redis: {@code story_teller:arc:<id>} (hash: the arc without beats as {@code body},
 * status, version, times) and {@code story_teller:beats:<id>} (list of beats in order). Creation
 * and every append are one Lua script each, with their events recorded in the outbox in the same
 * step and published right after.
 *
 * <pre>{@code
 * store.create(arc);                       // ALREADY_EXISTS for the same player and title
 * store.append(arc, beat, beatsBefore);    // completes the arc at max_beats
 * }</pre>
 */
final class ArcStore {

  private static final LuaScript CREATE = LuaScript.resource(ArcStore.class, "create_arc.lua");
  private static final LuaScript APPEND = LuaScript.resource(ArcStore.class, "append_beat.lua");

  private final ServiceContext ctx;
  private final EventOutbox events;

  ArcStore(ServiceContext ctx, EventOutbox events) {
    this.ctx = ctx;
    this.events = events;
  }

  /** Stores a new OPEN arc (no beats) and publishes arc_started; returns it with its meta. */
  Arc create(Arc arc) {
    long now = ctx.clock().millis();
    ArcStarted started = ArcStarted.newBuilder().setArcId(arc.getArcId()).setPlayerId(arc.getPlayerId())
        .setTitle(arc.getTitle()).build();
    CREATE.run(ctx.redis().sync(), List.of(arcKey(arc.getArcId()), events.key()), List.of(arc.getArcId() + ":started",
        Records.encode(arc), Long.toString(now), EventOutbox.entry("arc_started", now, started), arc.getTitle(),
        arc.getPlayerId())).ok();
    events.publishRecorded("arc_started", started, arc.getArcId() + ":started");
    return arc.toBuilder().setStatus(ArcStatus.OPEN).setMeta(Records.meta(1, now, now)).build();
  }

  /** The arc with its beats. */
  Optional<Arc> find(String arcId) {
    Map<String, String> hash = ctx.redis().sync().hgetall(arcKey(arcId));
    if (hash.isEmpty()) {
      return Optional.empty();
    }
    Arc.Builder arc = Records.decode(hash.get("body"), Arc.parser()).toBuilder()
        .setStatus("COMPLETED".equals(hash.get("status")) ? ArcStatus.COMPLETED : ArcStatus.OPEN)
        .setMeta(Records.meta(hash));
    for (String beat : ctx.redis().sync().lrange(beatsKey(arcId), 0, -1)) {
      arc.addBeats(Records.decode(beat, Beat.parser()));
    }
    return Optional.of(arc.build());
  }

  /** Appends the beat if the arc still has {@code beatsBefore} beats; publishes the events. */
  void append(Arc arc, Beat beat) {
    long now = ctx.clock().millis();
    boolean completes = beat.getNumber() >= arc.getMaxBeats();
    BeatAppended appended = BeatAppended.newBuilder().setArcId(arc.getArcId()).setPlayerId(arc.getPlayerId())
        .setNumber(beat.getNumber()).setGenerationId(beat.getGenerationId()).build();
    String appendedId = arc.getArcId() + ":beat:" + beat.getNumber();
    ArcCompleted completed = ArcCompleted.newBuilder().setArcId(arc.getArcId()).setPlayerId(arc.getPlayerId())
        .setBeatCount(beat.getNumber()).build();
    List<String> args = new ArrayList<>(List.of(arc.getArcId(), Integer.toString(beat.getNumber() - 1),
        Records.encode(beat), Long.toString(now), completes ? "1" : "0",
        appendedId, EventOutbox.entry("beat_appended", now, appended)));
    if (completes) {
      args.addAll(List.of(arc.getArcId() + ":completed", EventOutbox.entry("arc_completed", now, completed)));
    }
    APPEND.run(ctx.redis().sync(), List.of(arcKey(arc.getArcId()), beatsKey(arc.getArcId()), events.key()), args)
        .ok();
    events.publishRecorded("beat_appended", appended, appendedId);
    if (completes) {
      events.publishRecorded("arc_completed", completed, arc.getArcId() + ":completed");
    }
  }

  private String arcKey(String arcId) {
    return ctx.key(StoryTellerService.SERVICE, "arc", arcId);
  }

  private String beatsKey(String arcId) {
    return ctx.key(StoryTellerService.SERVICE, "beats", arcId);
  }
}
