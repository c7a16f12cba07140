package io.natsharness.services.game.world;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import io.natsharness.proto.common.v1.RecordMeta;
import io.natsharness.proto.game.world.v1.ChangeType;
import io.natsharness.proto.game.world.v1.Entity;
import io.natsharness.proto.game.world.v1.EntityChange;
import io.natsharness.services.game.kit.Lua;
import io.natsharness.services.game.kit.ProtoValues;
import io.natsharness.services.support.ServiceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * World entities in Redis, every write one Lua script, so the compare-and-set check, the next
 * number of the world-wide change sequence, the entity, the region indexes and the change log move
 * together and no reader ever sees one without the others.
 *
 * <p>Keys under {@code <prefix>world_state:}: {@code entity:<id>} (hash: body = the Entity without
 * meta, region, version, created, updated, seq = its latest change), {@code region:<region>}
 * (sorted set of entity ids, score 0, so ZRANGEBYLEX pages by id), {@code seq} (the change
 * counter) and {@code changes} (a Redis stream whose entry ids are {@code <seq>-0}, read by
 * watch_region; trimmed to about {@value #CHANGE_LOG_LENGTH} entries).
 */
final class WorldStore {

  static final int CHANGE_LOG_LENGTH = 10_000;
  static final long CONFLICT = -1;
  static final long MISSING = -2;

  private static final String FIELDS = "'body', 'region', 'version', 'created', 'updated', 'seq'";

  // KEYS: entity, seq, changes, new region index. ARGV: expected version ('' = no check), body,
  // entity id, region, now (ms), region index prefix, log length.
  private static final Lua PUT = Lua.of(String.join("\n",
      "local curv = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')",
      "if ARGV[1] ~= '' and tonumber(ARGV[1]) ~= curv then return {-1, curv} end",
      "local prev = redis.call('HGET', KEYS[1], 'region') or ''",
      "local created = redis.call('HGET', KEYS[1], 'created') or ARGV[5]",
      "local seq = redis.call('INCR', KEYS[2])",
      "local ver = curv + 1",
      "redis.call('HSET', KEYS[1], 'body', ARGV[2], 'region', ARGV[4], 'version', ver,",
      "  'created', created, 'updated', ARGV[5], 'seq', seq)",
      "local moved = ''",
      "if prev ~= '' and prev ~= ARGV[4] then",
      "  redis.call('ZREM', ARGV[6] .. prev, ARGV[3])",
      "  moved = prev",
      "end",
      "redis.call('ZADD', KEYS[4], 0, ARGV[3])",
      "local ctype = 'CREATED'",
      "if curv > 0 then ctype = 'UPDATED' end",
      "redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], seq .. '-0', 'type', ctype, 'region', ARGV[4],",
      "  'prev', moved, 'body', ARGV[2], 'version', ver, 'created', created, 'updated', ARGV[5], 'at', ARGV[5])",
      "return {seq, ver, created, moved}"));

  // KEYS: entity, seq, changes. ARGV: expected version ('' = no check), entity id, region index
  // prefix, now (ms), log length.
  private static final Lua DELETE = Lua.of(String.join("\n",
      "if redis.call('EXISTS', KEYS[1]) == 0 then return {-2} end",
      "local h = redis.call('HMGET', KEYS[1], 'body', 'region', 'version', 'created', 'updated')",
      "local curv = tonumber(h[3])",
      "if ARGV[1] ~= '' and tonumber(ARGV[1]) ~= curv then return {-1, curv} end",
      "local seq = redis.call('INCR', KEYS[2])",
      "redis.call('DEL', KEYS[1])",
      "redis.call('ZREM', ARGV[3] .. h[2], ARGV[2])",
      "redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[5], seq .. '-0', 'type', 'DELETED', 'region', h[2],",
      "  'prev', '', 'body', h[1], 'version', h[3], 'created', h[4], 'updated', h[5], 'at', ARGV[4])",
      "return {seq, h[1], h[2], h[3], h[4], h[5]}"));

  // ARGV: entity key prefix, ids...: for each id its fields, or an empty table when it vanished.
  // With KEYS[1] = a region index and KEYS[2] = seq it reads the whole region instead, and the
  // first element is the change counter at that instant (the snapshot of watch_region).
  private static final Lua FETCH = Lua.of(String.join("\n",
      "local ids = {}",
      "local out = {}",
      "if #KEYS > 0 then",
      "  ids = redis.call('ZRANGE', KEYS[1], 0, -1)",
      "  out[1] = redis.call('GET', KEYS[2]) or '0'",
      "else",
      "  for i = 2, #ARGV do ids[#ids + 1] = ARGV[i] end",
      "  out[1] = ''",
      "end",
      "for _, id in ipairs(ids) do",
      "  local h = redis.call('HMGET', ARGV[1] .. id, " + FIELDS + ")",
      "  if h[1] then out[#out + 1] = h else out[#out + 1] = {} end",
      "end",
      "return out"));

  private final ServiceContext ctx;
  private final RedisCommands<String, String> redis;

  WorldStore(ServiceContext ctx) {
    this.ctx = ctx;
    this.redis = ctx.redis().sync();
  }

  /** The outcome of a write: the change it made, or CONFLICT / MISSING with the current version. */
  record Write(long status, long currentVersion, Optional<EntityChange> change) {}

  /** Creates or replaces; the body is the entity without meta. */
  Write put(Entity body, Optional<Long> expectedVersion, long nowMillis) {
    List<Object> r = PUT.multi(redis,
        List.of(entityKey(body.getEntityId()), seqKey(), changesKey(), regionKey(body.getRegion())),
        List.of(expectedVersion.map(String::valueOf).orElse(""), ProtoValues.encode(body), body.getEntityId(),
            body.getRegion(), Long.toString(nowMillis), regionKey(""), Integer.toString(CHANGE_LOG_LENGTH)));
    long seq = asLong(r.get(0));
    if (seq == CONFLICT) {
      return new Write(CONFLICT, asLong(r.get(1)), Optional.empty());
    }
    long version = asLong(r.get(1));
    String moved = (String) r.get(3);
    Entity entity = withMeta(body, version, Long.parseLong((String) r.get(2)), nowMillis);
    EntityChange.Builder change = EntityChange.newBuilder()
        .setSequence(seq)
        .setChangeType(version == 1 ? ChangeType.CREATED : ChangeType.UPDATED)
        .setRegion(body.getRegion())
        .setPreviousRegion(moved)
        .setEntity(entity)
        .setChangedAt(ProtoValues.timestampOfMillis(nowMillis));
    return new Write(seq, version, Optional.of(change.build()));
  }

  Write delete(String entityId, Optional<Long> expectedVersion, long nowMillis) {
    List<Object> r = DELETE.multi(redis, List.of(entityKey(entityId), seqKey(), changesKey()),
        List.of(expectedVersion.map(String::valueOf).orElse(""), entityId, regionKey(""),
            Long.toString(nowMillis), Integer.toString(CHANGE_LOG_LENGTH)));
    long seq = asLong(r.get(0));
    if (seq == MISSING) {
      return new Write(MISSING, 0, Optional.empty());
    }
    if (seq == CONFLICT) {
      return new Write(CONFLICT, asLong(r.get(1)), Optional.empty());
    }
    Entity body = ProtoValues.decode(Entity.parser(), (String) r.get(1));
    Entity last = withMeta(body, Long.parseLong((String) r.get(3)), Long.parseLong((String) r.get(4)),
        Long.parseLong((String) r.get(5)));
    return new Write(seq, last.getMeta().getVersion(), Optional.of(EntityChange.newBuilder()
        .setSequence(seq)
        .setChangeType(ChangeType.DELETED)
        .setRegion((String) r.get(2))
        .setEntity(last)
        .setChangedAt(ProtoValues.timestampOfMillis(nowMillis))
        .build()));
  }

  Optional<Entity> get(String entityId) {
    return fetch(List.of(entityId)).stream().findFirst().map(Stored::entity);
  }

  /** An entity as stored, with the sequence of its latest change. */
  record Stored(Entity entity, long sequence) {}

  /** The entities of these ids that exist, in the order given. */
  List<Stored> fetch(List<String> ids) {
    List<String> args = new ArrayList<>(ids.size() + 1);
    args.add(entityKey(""));
    args.addAll(ids);
    List<Object> r = FETCH.multi(redis, List.of(), args);
    return stored(r.subList(1, r.size()));
  }

  /** The whole region at one instant, and the change counter at that instant. */
  record Snapshot(long sequence, List<Stored> entities) {}

  Snapshot snapshot(String region) {
    List<Object> r = FETCH.multi(redis, List.of(regionKey(region), seqKey()), List.of(entityKey("")));
    return new Snapshot(Long.parseLong((String) r.get(0)), stored(r.subList(1, r.size())));
  }

  /** Entity ids of a region after {@code after} (exclusive), in byte order, at most {@code count}. */
  List<String> regionIds(String region, Optional<String> after, int count) {
    Range<String> range = Range.from(after.map(Range.Boundary::excluding).orElse(Range.Boundary.unbounded()),
        Range.Boundary.unbounded());
    return redis.zrangebylex(regionKey(region), range, Limit.create(0, count));
  }

  /** The logged changes after sequence {@code after}, oldest first, at most {@code count}. */
  List<EntityChange> changesAfter(long after, int count) {
    List<StreamMessage<String, String>> entries = redis.xrange(changesKey(),
        Range.from(Range.Boundary.including(after + "-1"), Range.Boundary.unbounded()), Limit.create(0, count));
    List<EntityChange> changes = new ArrayList<>(entries.size());
    for (StreamMessage<String, String> e : entries) {
      Map<String, String> f = e.getBody();
      long seq = Long.parseLong(e.getId().substring(0, e.getId().indexOf('-')));
      Entity body = ProtoValues.decode(Entity.parser(), f.get("body"));
      changes.add(EntityChange.newBuilder()
          .setSequence(seq)
          .setChangeType(ChangeType.valueOf(f.get("type")))
          .setRegion(f.get("region"))
          .setPreviousRegion(f.get("prev"))
          .setEntity(withMeta(body, Long.parseLong(f.get("version")), Long.parseLong(f.get("created")),
              Long.parseLong(f.get("updated"))))
          .setChangedAt(ProtoValues.timestampOfMillis(Long.parseLong(f.get("at"))))
          .build());
    }
    return changes;
  }

  long currentSequence() {
    String raw = redis.get(seqKey());
    return raw == null ? 0 : Long.parseLong(raw);
  }

  String seqKey() {
    return ctx.key(WorldStateService.NAME, "seq");
  }

  @SuppressWarnings("unchecked")
  private static List<Stored> stored(List<Object> rows) {
    List<Stored> out = new ArrayList<>(rows.size());
    for (Object row : rows) {
      List<Object> h = (List<Object>) row;
      if (h.isEmpty()) {
        continue; // deleted between the index read and the fetch
      }
      Entity body = ProtoValues.decode(Entity.parser(), (String) h.get(0));
      out.add(new Stored(withMeta(body, Long.parseLong((String) h.get(2)), Long.parseLong((String) h.get(3)),
          Long.parseLong((String) h.get(4))), Long.parseLong((String) h.get(5))));
    }
    return out;
  }

  private static Entity withMeta(Entity body, long version, long createdMillis, long updatedMillis) {
    return body.toBuilder().setMeta(RecordMeta.newBuilder()
        .setVersion(version)
        .setCreatedAt(ProtoValues.timestampOfMillis(createdMillis))
        .setUpdatedAt(ProtoValues.timestampOfMillis(updatedMillis))).build();
  }

  private static long asLong(Object o) {
    return o instanceof Long l ? l : Long.parseLong(o.toString());
  }

  private String entityKey(String id) {
    return ctx.key(WorldStateService.NAME, "entity", id);
  }

  private String regionKey(String region) {
    return ctx.key(WorldStateService.NAME, "region", region);
  }

  private String changesKey() {
    return ctx.key(WorldStateService.NAME, "changes");
  }
}
