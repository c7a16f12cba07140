package io.natsharness.services.content.story;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.ServiceContext;
import java.time.Duration;
import java.util.UUID;

/**
 * The per-arc lock that serializes next_beat calls on one arc across every instance: a Redis key
 * set with NX and a lease (the call's remaining time plus a margin, so it outlives the call but
 * not a crashed holder), released only by its holder. Waiters poll with backoff until their own
 * deadline.
 *
 * <pre>{@code
 * try (ArcLock.Held held = lock.acquire(arcId, call)) {
 *   ... read, generate, append ...
 * }
 * }</pre>
 */
final class ArcLock {

  private static final Duration MARGIN = Duration.ofSeconds(5);
  private static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

  private final ServiceContext ctx;

  ArcLock(ServiceContext ctx) {
    this.ctx = ctx;
  }

  /** A held lock; closing releases it if it is still ours. */
  final class Held implements AutoCloseable {
    private final String key;
    private final String token;

    private Held(String key, String token) {
      this.key = key;
      this.token = token;
    }

    @Override
    public void close() {
      ctx.redis().sync().eval(RELEASE, ScriptOutputType.INTEGER, new String[] {key}, token);
    }
  }

  Held acquire(String arcId, CallContext call) {
    String key = ctx.key(StoryTellerService.SERVICE, "lock", arcId);
    String token = UUID.randomUUID().toString();
    long pause = 2;
    while (true) {
      long lease = call.remaining().plus(MARGIN).toMillis();
      if ("OK".equals(ctx.redis().sync().set(key, token, SetArgs.Builder.nx().px(lease)))) {
        return new Held(key, token);
      }
      if (call.remaining().toMillis() <= pause) {
        throw RpcException.deadlineExceeded("arc " + arcId + " is busy with another next_beat until the deadline");
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw RpcException.unavailable("interrupted while waiting for arc " + arcId);
      }
      pause = Math.min(pause * 2, 50);
    }
  }
}
