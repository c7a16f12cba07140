package io.natsharness.services.game.world;

import io.natsharness.proto.game.world.v1.ChangeType;
import io.natsharness.proto.game.world.v1.EntityChange;
import io.natsharness.proto.game.world.v1.WatchRegionResponse;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.StreamSink;
import io.natsharness.services.game.kit.ChangeSignal;
import io.natsharness.services.game.kit.StreamTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch_region stream: the optional snapshot, then the region's view of the change log in
 * sequence order, heartbeats when quiet, and a normal end just before the deadline.
 *
 * <p>The snapshot and the counter it was taken at come from one script, and the log is read from
 * that counter on, so no change is lost or shown twice between the two.
 */
final class RegionWatch {

  private static final Logger LOG = LoggerFactory.getLogger(RegionWatch.class);
  static final int MAX_CHANGES_PER_MESSAGE = 100;
  private static final int LOG_BATCH = 500;

  private final WorldStore store;
  private final ChangeSignal signal;
  private final RegionView view;
  private final boolean snapshot;
  private final long heartbeatNanos;

  RegionWatch(WorldStore store, ChangeSignal signal, RegionView view, boolean snapshot, Duration heartbeat) {
    this.store = store;
    this.signal = signal;
    this.view = view;
    this.snapshot = snapshot;
    this.heartbeatNanos = heartbeat.toNanos();
  }

  void run(CallContext call, StreamSink<WatchRegionResponse> sink) throws InterruptedException {
    long endNanos = StreamTiming.endNanos(call);
    long last = snapshot ? sendSnapshot(sink) : store.currentSequence();
    long lastSent = System.nanoTime();
    while (!sink.isCancelled()) {
      List<EntityChange> logged = store.changesAfter(last, LOG_BATCH);
      if (!logged.isEmpty()) {
        if (logged.get(0).getSequence() > last + 1) {
          LOG.warn("watch of {} missed changes {}..{}: the change log was trimmed past them",
              view, last + 1, logged.get(0).getSequence() - 1);
        }
        last = logged.get(logged.size() - 1).getSequence();
        List<EntityChange> seen = new ArrayList<>();
        for (EntityChange c : logged) {
          view.see(c).ifPresent(seen::add);
        }
        if (!seen.isEmpty()) {
          send(sink, seen);
          lastSent = System.nanoTime();
        }
        continue;
      }
      long now = System.nanoTime();
      if (now >= endNanos) {
        return;
      }
      long heartbeatDue = lastSent + heartbeatNanos;
      if (now >= heartbeatDue) {
        sink.send(WatchRegionResponse.getDefaultInstance());
        lastSent = now;
        continue;
      }
      signal.awaitAbove(last, Duration.ofNanos(Math.min(heartbeatDue, endNanos) - now));
    }
  }

  private long sendSnapshot(StreamSink<WatchRegionResponse> sink) {
    WorldStore.Snapshot snap = store.snapshot(view.region());
    List<EntityChange> present = new ArrayList<>();
    for (WorldStore.Stored s : snap.entities()) {
      if (view.admitsKind(s.entity().getKind())) {
        present.add(EntityChange.newBuilder()
            .setSequence(s.sequence())
            .setChangeType(ChangeType.SNAPSHOT)
            .setRegion(view.region())
            .setEntity(s.entity())
            .setChangedAt(s.entity().getMeta().getUpdatedAt())
            .build());
      }
    }
    send(sink, present);
    return snap.sequence();
  }

  private static void send(StreamSink<WatchRegionResponse> sink, List<EntityChange> changes) {
    for (int from = 0; from < changes.size(); from += MAX_CHANGES_PER_MESSAGE) {
      List<EntityChange> part = changes.subList(from, Math.min(changes.size(), from + MAX_CHANGES_PER_MESSAGE));
      sink.send(WatchRegionResponse.newBuilder().addAllChanges(part).build());
    }
  }
}
