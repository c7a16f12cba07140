package io.natsharness.services.ai.router;

import io.lettuce.core.api.sync.RedisCommands;
import io.natsharness.proto.ai.router.v1.RoutingPolicy;
import io.natsharness.services.game.kit.Cas;
import io.natsharness.services.game.kit.ProtoValues;
import io.natsharness.services.support.ServiceContext;
import java.util.Optional;

/** Routing policies in Redis, one string per task: {@code <prefix>ai_router:policy:<task>}. */
final class PolicyStore {

  private final ServiceContext ctx;
  private final RedisCommands<String, String> redis;

  PolicyStore(ServiceContext ctx) {
    this.ctx = ctx;
    this.redis = ctx.redis().sync();
  }

  Optional<String> raw(String task) {
    return Optional.ofNullable(redis.get(key(task)));
  }

  Optional<RoutingPolicy> find(String task) {
    return raw(task).map(PolicyStore::decode);
  }

  static RoutingPolicy decode(String raw) {
    return ProtoValues.decode(RoutingPolicy.parser(), raw);
  }

  /** Writes the policy if the stored value is still {@code expectedRaw} (empty = none stored). */
  boolean replace(Optional<String> expectedRaw, RoutingPolicy policy) {
    return Cas.replace(redis, key(policy.getTask()), expectedRaw, ProtoValues.encode(policy));
  }

  private String key(String task) {
    return ctx.key(AiRouterService.NAME, "policy", task);
  }
}
