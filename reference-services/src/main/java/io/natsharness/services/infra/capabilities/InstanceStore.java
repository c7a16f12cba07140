package io.natsharness.services.infra.capabilities;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.Timestamps;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.natsharness.proto.infra.capabilities.v1.Instance;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.ServiceContext;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The registry's Redis state. Per instance a hash ({@code svc}, {@code exp}, {@code reg},
 * {@code ren}, {@code caps}, {@code data} = the Instance without timestamps); a sorted set of
 * instance ids by expiry for the sweep; a set of instance ids per capability. Every change is one
 * Lua script, and liveness ({@code exp > now}) is judged inside it, so concurrent registers,
 * heartbeats, deregisters and sweeps of several hosts never interleave.
 */
final class InstanceStore {

  /** Outcome of a register: the instance's first registration time and any stale record it replaced. */
  record Registered(long registeredAtMillis, Optional<Instance> replacedStale) {}

  private static final String SERVICE = "capability_registry";
  private static final String FIELDS = "svc exp reg ren data";

  private static final String REGISTER = """
      local now = tonumber(ARGV[3])
      local cur = redis.call('HMGET', KEYS[1], 'svc', 'exp', 'reg', 'ren', 'data', 'caps')
      local reg = now
      local stale = {}
      if cur[1] then
        if tonumber(cur[2]) > now then
          if cur[1] ~= ARGV[2] then return {'EXISTS', cur[1]} end
          reg = tonumber(cur[3])
        else
          stale = {cur[1], cur[2], cur[3], cur[4], cur[5]}
        end
        for c in string.gmatch(cur[6] or '', '[^\\n]+') do redis.call('SREM', ARGV[6] .. c, ARGV[1]) end
      end
      for c in string.gmatch(ARGV[7], '[^\\n]+') do redis.call('SADD', ARGV[6] .. c, ARGV[1]) end
      redis.call('HSET', KEYS[1], 'svc', ARGV[2], 'exp', ARGV[4], 'reg', reg, 'ren', now, 'caps', ARGV[7], 'data', ARGV[5])
      redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
      local out = {'OK', tostring(reg)}
      for i = 1, #stale do out[#out + 1] = stale[i] end
      return out
      """;

  private static final String HEARTBEAT = """
      local now = tonumber(ARGV[2])
      local cur = redis.call('HMGET', KEYS[1], 'svc', 'exp', 'reg', 'ren', 'data')
      if not cur[1] or tonumber(cur[2]) <= now then return {} end
      local exp = now + tonumber(ARGV[3]) * 1000
      redis.call('HSET', KEYS[1], 'exp', exp, 'ren', now)
      redis.call('ZADD', KEYS[2], exp, ARGV[1])
      return {cur[1], tostring(exp), cur[3], tostring(now), cur[5]}
      """;

  // Removes a record when live (deregister, ARGV[3] = "live") or when expired (sweep, "expired").
  private static final String REMOVE = """
      local now = tonumber(ARGV[2])
      local cur = redis.call('HMGET', KEYS[1], 'svc', 'exp', 'reg', 'ren', 'data', 'caps')
      if not cur[1] then redis.call('ZREM', KEYS[2], ARGV[1]) return {} end
      local live = tonumber(cur[2]) > now
      if (ARGV[3] == 'live') ~= live then return {} end
      for c in string.gmatch(cur[6] or '', '[^\\n]+') do redis.call('SREM', ARGV[4] .. c, ARGV[1]) end
      redis.call('DEL', KEYS[1])
      redis.call('ZREM', KEYS[2], ARGV[1])
      return {cur[1], cur[2], cur[3], cur[4], cur[5]}
      """;

  private final ServiceContext ctx;
  private final String expiryKey;
  private final String capabilityPrefix;

  InstanceStore(ServiceContext ctx) {
    this.ctx = ctx;
    this.expiryKey = ctx.key(SERVICE, "expiry");
    this.capabilityPrefix = ctx.key(SERVICE, "cap") + ":";
  }

  private RedisCommands<String, String> redis() {
    return ctx.redis().sync();
  }

  private String instanceKey(String id) {
    return ctx.key(SERVICE, "inst", id);
  }

  /**
   * Registers or re-registers {@code data} (an Instance without timestamps), live until
   * {@code expiresAtMillis}.
   *
   * @throws RpcException ALREADY_EXISTS when the id is live under another service
   */
  Registered register(Instance data, long nowMillis, long expiresAtMillis) {
    List<String> r = redis().eval(REGISTER, ScriptOutputType.MULTI, new String[] {instanceKey(data.getInstanceId()), expiryKey},
        data.getInstanceId(), data.getServiceName(), Long.toString(nowMillis), Long.toString(expiresAtMillis),
        encode(data), capabilityPrefix, String.join("\n", data.getCapabilitiesList()));
    if (r.get(0).equals("EXISTS")) {
      throw RpcException.alreadyExists("instance " + data.getInstanceId() + " is live under service " + r.get(1));
    }
    Optional<Instance> stale = r.size() > 2 ? Optional.of(instance(r.subList(2, 7))) : Optional.empty();
    return new Registered(Long.parseLong(r.get(1)), stale);
  }

  /** Renews a live instance's lease by its ttl; empty when it is not live. */
  Optional<Instance> heartbeat(String id, long nowMillis, int ttlSeconds) {
    List<String> r = redis().eval(HEARTBEAT, ScriptOutputType.MULTI, new String[] {instanceKey(id), expiryKey},
        id, Long.toString(nowMillis), Integer.toString(ttlSeconds));
    return r.isEmpty() ? Optional.empty() : Optional.of(instance(r));
  }

  /** Removes a live instance; empty when it is not live. */
  Optional<Instance> deregister(String id, long nowMillis) {
    return remove(id, nowMillis, "live");
  }

  /** Removes an expired instance (once, whichever host sweeps first); empty otherwise. */
  Optional<Instance> expire(String id, long nowMillis) {
    return remove(id, nowMillis, "expired");
  }

  /** The ids whose lease ran out by {@code nowMillis}, at most {@code limit}. */
  List<String> expiredIds(long nowMillis, int limit) {
    return redis().zrangebyscore(expiryKey, Range.create(Double.NEGATIVE_INFINITY, (double) nowMillis),
        Limit.create(0, limit));
  }

  /** The instance as stored (live or not yet swept); empty when unknown. */
  Optional<Instance> get(String id) {
    List<KeyValue<String, String>> values = redis().hmget(instanceKey(id), FIELDS.split(" "));
    if (values.get(0).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(instance(values.stream().map(v -> v.getValueOrElse(null)).toList()));
  }

  /** Ids of the instances that announced {@code capability} (live or not). */
  List<String> offering(String capability) {
    return List.copyOf(redis().smembers(capabilityPrefix + capability));
  }

  private Optional<Instance> remove(String id, long nowMillis, String which) {
    List<String> r = redis().eval(REMOVE, ScriptOutputType.MULTI, new String[] {instanceKey(id), expiryKey},
        id, Long.toString(nowMillis), which, capabilityPrefix);
    return r.isEmpty() ? Optional.empty() : Optional.of(instance(r));
  }

  /** An Instance from {svc, exp, reg, ren, data}. */
  private static Instance instance(List<String> fields) {
    try {
      return Instance.parseFrom(Base64.getDecoder().decode(fields.get(4))).toBuilder()
          .setExpiresAt(Timestamps.fromMillis(Long.parseLong(fields.get(1))))
          .setRegisteredAt(Timestamps.fromMillis(Long.parseLong(fields.get(2))))
          .setRenewedAt(Timestamps.fromMillis(Long.parseLong(fields.get(3))))
          .build();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw RpcException.dataLoss("an instance record is unreadable");
    }
  }

  private static String encode(Instance data) {
    return Base64.getEncoder().encodeToString(data.toByteArray());
  }
}
