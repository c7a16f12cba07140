package io.natsharness.services.game.bodybroker;

import io.natsharness.proto.game.bodybroker.v1.PullCommandsResponse;
import io.natsharness.sdk.service.StreamSink;
import io.natsharness.services.game.kit.ChangeSignal;
import java.time.Duration;

/**
 * One pull_commands stream after its acknowledgement: the queued commands after the cursor, then
 * new ones as they are queued, heartbeats when quiet, and a normal end at the deadline or when the
 * session closes (closed, replaced or expired).
 *
 * <p>The change counter is read before each look at the queue, so a command queued between the
 * look and the wait wakes the wait at once.
 */
final class CommandStream {

  static final int MAX_COMMANDS_PER_MESSAGE = 100;

  private final SessionStore store;
  private final ChangeSignal signal;
  private final String sessionId;
  private final long heartbeatNanos;
  private final long endNanos;
  private long cursor;

  CommandStream(SessionStore store, ChangeSignal signal, String sessionId, long afterSequence, long heartbeatNanos,
      long endNanos) {
    this.store = store;
    this.signal = signal;
    this.sessionId = sessionId;
    this.cursor = afterSequence;
    this.heartbeatNanos = heartbeatNanos;
    this.endNanos = endNanos;
  }

  void run(StreamSink<PullCommandsResponse> sink) throws InterruptedException {
    long seen = signal.read();
    long lastSent = System.nanoTime();
    while (!sink.isCancelled()) {
      SessionStore.Read read = store.read(sessionId, cursor, MAX_COMMANDS_PER_MESSAGE);
      if (!read.open()) {
        return;
      }
      if (!read.commands().isEmpty()) {
        sink.send(PullCommandsResponse.newBuilder().addAllCommands(read.commands()).build());
        cursor = read.commands().get(read.commands().size() - 1).getSequence();
        lastSent = System.nanoTime();
        continue;
      }
      long now = System.nanoTime();
      if (now >= endNanos) {
        return;
      }
      long heartbeatDue = lastSent + heartbeatNanos;
      if (now >= heartbeatDue) {
        sink.send(PullCommandsResponse.getDefaultInstance());
        lastSent = now;
        continue;
      }
      seen = signal.awaitAbove(seen, Duration.ofNanos(Math.min(heartbeatDue, endNanos) - now));
    }
  }
}
