package io.natsharness.services.ai.models;

import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.api.sync.RedisCommands;
import io.natsharness.proto.ai.models.v1.Model;
import io.natsharness.services.game.kit.Cas;
import io.natsharness.services.game.kit.Lua;
import io.natsharness.services.game.kit.ProtoValues;
import io.natsharness.services.support.ServiceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Models in Redis: one string per (name, version) holding the Model, and a sorted set of
 * {@code "name version"} members, all with score 0, so ZRANGEBYLEX walks them in byte-wise
 * (name, version) order (the space sorts below every character a name or version may hold).
 */
final class ModelStore {

  // Creates the model and its index entry atomically, unless it exists: 1 created, 0 existed.
  private static final Lua CREATE = Lua.of(
      "if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end "
          + "redis.call('SET', KEYS[1], ARGV[1]) "
          + "redis.call('ZADD', KEYS[2], 0, ARGV[2]) return 1");
  private static final int SCAN_BATCH = 200;

  private final ServiceContext ctx;
  private final RedisCommands<String, String> redis;

  ModelStore(ServiceContext ctx) {
    this.ctx = ctx;
    this.redis = ctx.redis().sync();
  }

  /** Stores a new model; false when (name, version) is already registered. */
  boolean create(Model model) {
    return CREATE.integer(redis, List.of(modelKey(model.getName(), model.getVersion()), indexKey()),
        List.of(ProtoValues.encode(model), member(model.getName(), model.getVersion()))) == 1;
  }

  /** The stored record as Redis holds it (for compare-and-set), if any. */
  Optional<String> raw(String name, String version) {
    return Optional.ofNullable(redis.get(modelKey(name, version)));
  }

  /** Replaces the model if it is still {@code expectedRaw}. */
  boolean replace(String expectedRaw, Model updated) {
    return Cas.replace(redis, modelKey(updated.getName(), updated.getVersion()), Optional.of(expectedRaw),
        ProtoValues.encode(updated));
  }

  /**
   * Models in (name, version) order after the position {@code after} (a member, exclusive),
   * fetched in batches; the caller filters and stops reading when its page is full.
   */
  record Batch(List<Model> models, Optional<String> lastMember) {}

  Batch batchAfter(Optional<String> after) {
    Range<String> range = Range.from(
        after.map(Range.Boundary::excluding).orElse(Range.Boundary.unbounded()),
        Range.Boundary.unbounded());
    List<String> members = redis.zrangebylex(indexKey(), range, Limit.create(0, SCAN_BATCH));
    if (members.isEmpty()) {
      return new Batch(List.of(), Optional.empty());
    }
    String[] keys = members.stream().map(m -> {
      String[] nv = m.split(" ", 2);
      return modelKey(nv[0], nv[1]);
    }).toArray(String[]::new);
    List<Model> models = new ArrayList<>(keys.length);
    for (KeyValue<String, String> kv : redis.mget(keys)) {
      // A member without its record cannot happen (both are written by one script); skip it
      // rather than fail the whole list if someone edited Redis by hand.
      kv.ifHasValue(v -> models.add(ProtoValues.decode(Model.parser(), v)));
    }
    return new Batch(models, Optional.of(members.get(members.size() - 1)));
  }

  static String member(String name, String version) {
    return name + " " + version;
  }

  private String modelKey(String name, String version) {
    return ctx.key(ModelManagementService.NAME, "model", name, version);
  }

  private String indexKey() {
    return ctx.key(ModelManagementService.NAME, "index");
  }
}
