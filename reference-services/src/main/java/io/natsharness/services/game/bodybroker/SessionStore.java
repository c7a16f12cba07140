package io.natsharness.services.game.bodybroker;

import io.lettuce.core.api.sync.RedisCommands;
import io.natsharness.proto.common.v1.RecordMeta;
import io.natsharness.proto.game.bodybroker.v1.CloseReason;
import io.natsharness.proto.game.bodybroker.v1.Command;
import io.natsharness.proto.game.bodybroker.v1.Session;
import io.natsharness.proto.game.bodybroker.v1.SessionState;
import io.natsharness.proto.game.bodybroker.v1.StateSnapshot;
import io.natsharness.services.game.kit.Lua;
import io.natsharness.services.game.kit.ProtoValues;
import io.natsharness.services.support.ServiceContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Sessions, snapshots and command queues in Redis, through {@link SessionScripts}. */
final class SessionStore {

  /** A session idle this long is closed as EXPIRED. */
  static final Duration IDLE_LIMIT = Duration.ofMinutes(30);
  static final int MAX_PENDING = 1000;
  private static final long SEEN_TTL_SECONDS = Duration.ofDays(1).toSeconds();

  private final ServiceContext ctx;
  private final RedisCommands<String, String> redis;
  private final String prefix;

  SessionStore(ServiceContext ctx) {
    this.ctx = ctx;
    this.redis = ctx.redis().sync();
    this.prefix = ctx.key(BodyBrokerIntegrationService.NAME) + ":";
  }

  /** The outcome of open: the count of sessions opened before for the pair, and what it closed. */
  record Opened(long count, boolean won, Optional<String> closedSession, Optional<CloseReason> closeReason) {}

  long openedCount(String pairId) {
    String raw = redis.hget(prefix + "pair:" + pairId, "count");
    return raw == null ? 0 : Long.parseLong(raw);
  }

  Opened open(String sessionId, String pairId, long expectedCount, Session body, String playerId) {
    List<Object> r = run(SessionScripts.OPEN, sessionId,
        pairId, Long.toString(expectedCount), ProtoValues.encode(body), playerId);
    long n = asLong(r.get(0));
    if (n < 0) {
      return new Opened(asLong(r.get(1)), false, Optional.empty(), Optional.empty());
    }
    String closed = (String) r.get(1);
    return closed.isEmpty()
        ? new Opened(n, true, Optional.empty(), Optional.empty())
        : new Opened(n, true, Optional.of(closed), Optional.of(CloseReason.valueOf((String) r.get(2))));
  }

  /** Status and values of a guarded script: [status or value, extra...]. */
  List<Object> push(String sessionId, long sequence, StateSnapshot snapshot) {
    return run(SessionScripts.PUSH, sessionId, Long.toString(sequence), ProtoValues.encode(snapshot),
        snapshot.getRegion());
  }

  List<Object> ack(String sessionId, long afterSequence) {
    return run(SessionScripts.ACK, sessionId, Long.toString(afterSequence));
  }

  List<Object> close(String sessionId) {
    return run(SessionScripts.CLOSE, sessionId);
  }

  /** One read of a pull stream: whether the session is still open, and commands after a sequence. */
  record Read(boolean open, List<Command> commands) {}

  Read read(String sessionId, long afterSequence, int limit) {
    List<Object> r = run(SessionScripts.READ, sessionId, Long.toString(afterSequence), Integer.toString(limit));
    if (!"OPEN".equals(r.get(0))) {
      return new Read(false, List.of());
    }
    List<Command> commands = new ArrayList<>(r.size() - 1);
    for (Object row : r.subList(1, r.size())) {
      String member = (String) row;
      int bar = member.indexOf('|');
      long seq = Long.parseLong(member.substring(0, bar));
      commands.add(ProtoValues.decode(Command.parser(), member.substring(bar + 1)).toBuilder()
          .setCommandId(sessionId + ":" + seq)
          .setSessionId(sessionId)
          .setSequence(seq)
          .build());
    }
    return new Read(true, commands);
  }

  /** Queues a command (kind, args, queued_at) once per (session, event id); its sequence or 0. */
  long enqueue(String sessionId, String eventId, Command command) {
    List<Object> r = run(SessionScripts.ENQUEUE, sessionId, eventId, ProtoValues.encode(command),
        Integer.toString(MAX_PENDING), Long.toString(SEEN_TTL_SECONDS));
    return asLong(r.get(0));
  }

  /** Closes (EXPIRED) up to {@code limit} sessions idle past the limit; their ids. */
  List<String> sweep(int limit) {
    List<Object> r = run(SessionScripts.SWEEP, "", Integer.toString(limit));
    return r.stream().map(Object::toString).toList();
  }

  Set<String> openSessionsOfPlayer(String playerId) {
    return redis.smembers(prefix + "player:" + playerId);
  }

  Set<String> openSessionsInRegions(List<String> regions) {
    return redis.sunion(regions.stream().map(r -> prefix + "region:" + r).toArray(String[]::new));
  }

  String signalKey() {
    return prefix + "signal";
  }

  /** The session as stored (open or recently closed). */
  Optional<Session> get(String sessionId) {
    Map<String, String> h = redis.hgetall(prefix + "session:" + sessionId);
    if (h.isEmpty() || !h.containsKey("body")) {
      return Optional.empty();
    }
    Session body = ProtoValues.decode(Session.parser(), h.get("body"));
    Session.Builder s = body.toBuilder()
        .setState(SessionState.valueOf(h.get("state")))
        .setLastStateSequence(Long.parseLong(h.get("lss")))
        .setLastCommandSequence(Long.parseLong(h.get("lcs")))
        .setMeta(RecordMeta.newBuilder()
            .setCreatedAt(body.getMeta().getCreatedAt())
            .setUpdatedAt(ProtoValues.timestampOfMillis(Long.parseLong(h.get("updated"))))
            .setVersion(Long.parseLong(h.get("version"))));
    if (!h.get("reason").isEmpty()) {
      s.setCloseReason(CloseReason.valueOf(h.get("reason")));
      s.setClosedAt(ProtoValues.timestampOfMillis(Long.parseLong(h.get("closed"))));
    }
    return Optional.of(s.build());
  }

  private List<Object> run(Lua script, String sessionId, String... extra) {
    List<String> args = new ArrayList<>(4 + extra.length);
    args.add(prefix);
    args.add(Long.toString(ctx.clock().millis()));
    args.add(Long.toString(IDLE_LIMIT.toMillis()));
    args.add(sessionId);
    args.addAll(List.of(extra));
    return script.multi(redis, List.of(), args);
  }

  static long asLong(Object o) {
    return o instanceof Long l ? l : Long.parseLong(o.toString());
  }
}
