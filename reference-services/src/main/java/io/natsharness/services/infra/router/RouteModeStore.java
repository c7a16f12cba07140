package io.natsharness.services.infra.router;

import com.google.protobuf.util.Timestamps;
import io.lettuce.core.ScriptOutputType;
import io.natsharness.proto.common.v1.RecordMeta;
import io.natsharness.proto.infra.router.v1.RouteMode;
import io.natsharness.proto.infra.router.v1.RouteModeSetting;
import io.natsharness.services.support.ServiceContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cutover modes in Redis: one hash, field = subject, value = {@code MODE|percent|version|
 * createdMillis|updatedMillis}. A change is one Lua script (compare-and-set on the version, no-op
 * when nothing changes), so concurrent writers never lose an update or skip a version.
 */
final class RouteModeStore {

  /** The outcome of {@link #set}. */
  enum Outcome { CHANGED, UNCHANGED, ABORTED }

  /** What a set did, the setting after it and the mode before it. */
  record SetResult(Outcome outcome, RouteModeSetting setting, RouteMode previousMode, int previousPercent) {}

  private static final String SET_SCRIPT = """
      local cur = redis.call('HGET', KEYS[1], ARGV[1])
      local mode, pct, ver, created, updated = 'HTTP', 0, 0, 0, 0
      if cur then
        local p = {}
        for part in string.gmatch(cur, '[^|]+') do p[#p + 1] = part end
        mode = p[1]; pct = tonumber(p[2]); ver = tonumber(p[3]); created = tonumber(p[4]); updated = tonumber(p[5])
      end
      local expected = tonumber(ARGV[4])
      if expected ~= 0 and expected ~= ver then
        return {'ABORTED', mode, tostring(pct), tostring(ver), tostring(created), tostring(updated), mode, tostring(pct)}
      end
      if mode == ARGV[2] and pct == tonumber(ARGV[3]) then
        return {'UNCHANGED', mode, tostring(pct), tostring(ver), tostring(created), tostring(updated), mode, tostring(pct)}
      end
      local now = tonumber(ARGV[5])
      if created == 0 then created = now end
      ver = ver + 1
      redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '|' .. ARGV[3] .. '|' .. ver .. '|' .. created .. '|' .. now)
      return {'CHANGED', ARGV[2], ARGV[3], tostring(ver), tostring(created), tostring(now), mode, tostring(pct)}
      """;

  private final ServiceContext ctx;
  private final String key;

  RouteModeStore(ServiceContext ctx) {
    this.ctx = ctx;
    this.key = ctx.key("router", "modes");
  }

  /** The mode of one route; HTTP at version 0 without timestamps when never set. */
  RouteModeSetting get(String subject) {
    return parse(subject, ctx.redis().sync().hget(key, subject));
  }

  /** The modes of every route that was ever set, by subject. */
  Map<String, RouteModeSetting> all() {
    Map<String, RouteModeSetting> settings = new HashMap<>();
    ctx.redis().sync().hgetall(key).forEach((subject, value) -> settings.put(subject, parse(subject, value)));
    return settings;
  }

  SetResult set(String subject, RouteMode mode, int percent, long expectedVersion) {
    List<String> r = ctx.redis().sync().eval(SET_SCRIPT, ScriptOutputType.MULTI, new String[] {key},
        subject, mode.name(), Integer.toString(percent), Long.toString(expectedVersion),
        Long.toString(ctx.clock().millis()));
    RouteModeSetting setting = setting(subject, r.get(1), Integer.parseInt(r.get(2)), Long.parseLong(r.get(3)),
        Long.parseLong(r.get(4)), Long.parseLong(r.get(5)));
    return new SetResult(Outcome.valueOf(r.get(0)), setting, RouteMode.valueOf(r.get(6)), Integer.parseInt(r.get(7)));
  }

  private static RouteModeSetting parse(String subject, String value) {
    if (value == null) {
      return setting(subject, RouteMode.HTTP.name(), 0, 0, 0, 0);
    }
    String[] p = value.split("\\|");
    return setting(subject, p[0], Integer.parseInt(p[1]), Long.parseLong(p[2]), Long.parseLong(p[3]),
        Long.parseLong(p[4]));
  }

  private static RouteModeSetting setting(String subject, String mode, int percent, long version, long created,
      long updated) {
    RouteModeSetting.Builder setting = RouteModeSetting.newBuilder()
        .setSubject(subject)
        .setMode(RouteMode.valueOf(mode))
        .setCanaryPercent(percent);
    if (version > 0) {
      setting.setMeta(RecordMeta.newBuilder().setVersion(version)
          .setCreatedAt(Timestamps.fromMillis(created)).setUpdatedAt(Timestamps.fromMillis(updated)));
    }
    return setting.build();
  }
}
