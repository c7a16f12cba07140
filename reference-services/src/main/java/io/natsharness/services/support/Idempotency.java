package io.natsharness.services.support;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.status.RpcException;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Runs a mutating handler once per {@code Idempotency-Key}, remembering its result in Redis.
 *
 * <p>The first successful result is stored (the response bytes, for 24 hours) and a repeat with
 * the same key returns it without running the work again. An error is not remembered: a repeat
 * after an error runs the work again. Concurrent repeats of one key are serialised: the first
 * claims the key ({@code SET NX} with a lease), the others wait for its result (or for the lease
 * to lapse if it died), so the work runs once.
 *
 * <p>Where the state change itself must be atomic with the record of the result (payment), do
 * both in one Lua script instead; {@link #requireKey(CallContext)} still gives the key.
 *
 * <pre>{@code
 * Idempotency idempotency = new Idempotency(ctx);
 * PlayerQuest answer = idempotency.once(call, playerId, PlayerQuest.parser(),
 *     () -> accept(request));
 * }</pre>
 */
public final class Idempotency {

  /** How long a result is remembered. */
  public static final Duration RESULT_TTL = Duration.ofHours(24);
  /** Longest accepted Idempotency-Key. */
  public static final int MAX_KEY_LENGTH = 255;

  private static final String HEADER = "Idempotency-Key";
  private static final String DONE = "D:";
  private static final String CLAIM = "C:";
  private static final Duration MIN_LEASE = Duration.ofSeconds(5);
  private static final Duration MAX_LEASE = Duration.ofMinutes(10);
  private static final Duration DEADLINE_MARGIN = Duration.ofMillis(50);
  // Deletes the claim only if it is still ours: a lapsed lease may already belong to a repeat.
  private static final String RELEASE_CLAIM =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

  private final ServiceContext ctx;

  public Idempotency(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
  }

  /**
   * The request's Idempotency-Key.
   *
   * @throws RpcException INVALID_ARGUMENT naming {@code Idempotency-Key} when it is missing,
   *     blank or longer than {@value #MAX_KEY_LENGTH} characters
   */
  public static String requireKey(CallContext call) {
    String key = call.idempotencyKey()
        .orElseThrow(() -> RpcException.invalidArgument(HEADER, "an Idempotency-Key header is required"));
    if (key.isBlank()) {
      throw RpcException.invalidArgument(HEADER, "an Idempotency-Key header is required");
    }
    if (key.length() > MAX_KEY_LENGTH) {
      throw RpcException.invalidArgument(HEADER,
          "the Idempotency-Key must be at most " + MAX_KEY_LENGTH + " characters");
    }
    return key;
  }

  /**
   * Runs {@code work} once for the request's Idempotency-Key within {@code scope}.
   *
   * @param call the handler's call context (gives the key, the method and the deadline)
   * @param scope narrows the key, e.g. the player id for keys "scoped to the player"; may be empty
   * @param parser parses a stored result
   * @param work the state change; its result is stored unless it throws
   * @return the result of the first successful run
   * @throws RpcException INVALID_ARGUMENT when the key is missing; DEADLINE_EXCEEDED when a
   *     concurrent request with the same key is still running at the deadline; whatever work throws
   */
  public <R extends Message> R once(CallContext call, String scope, Parser<R> parser, Supplier<R> work) {
    String idempotencyKey = requireKey(call);
    String redisKey = redisKey(call, scope, idempotencyKey);
    RedisCommands<String, String> redis = ctx.redis().sync();
    String token = CLAIM + UUID.randomUUID();
    long pause = 5;
    while (true) {
      String current = redis.get(redisKey);
      if (current != null && current.startsWith(DONE)) {
        return parse(parser, current);
      }
      if (current == null) {
        String claimed = redis.set(redisKey, token, SetArgs.Builder.nx().px(lease(call).toMillis()));
        if ("OK".equals(claimed)) {
          return runClaimed(redis, redisKey, token, work);
        }
        continue; // somebody claimed or finished it between GET and SET: look again
      }
      if (call.remaining().compareTo(DEADLINE_MARGIN) <= 0) {
        throw RpcException.deadlineExceeded(
            "a request with the same Idempotency-Key is still in progress");
      }
      sleep(Math.min(pause, Math.max(1, call.remaining().minus(DEADLINE_MARGIN).toMillis())));
      pause = Math.min(pause * 2, 100);
    }
  }

  private <R extends Message> R runClaimed(
      RedisCommands<String, String> redis, String redisKey, String token, Supplier<R> work) {
    R result;
    try {
      result = work.get();
    } catch (RuntimeException | Error e) {
      redis.eval(RELEASE_CLAIM, ScriptOutputType.INTEGER, new String[] {redisKey}, token);
      throw e;
    }
    String stored = DONE + Base64.getEncoder().encodeToString(result.toByteArray());
    redis.set(redisKey, stored, SetArgs.Builder.ex(RESULT_TTL.toSeconds()));
    return result;
  }

  private String redisKey(CallContext call, String scope, String idempotencyKey) {
    // Hashed so that any key (any length, any characters) makes a well-formed Redis key.
    String digest = Ids.sha256Hex(idempotencyKey);
    return scope == null || scope.isEmpty()
        ? ctx.key(call.method().service(), "idem", call.method().name(), digest)
        : ctx.key(call.method().service(), "idem", call.method().name(), scope, digest);
  }

  private static Duration lease(CallContext call) {
    Duration remaining = call.remaining().plus(MIN_LEASE);
    if (remaining.compareTo(MAX_LEASE) > 0) {
      return MAX_LEASE;
    }
    return remaining.compareTo(MIN_LEASE) < 0 ? MIN_LEASE : remaining;
  }

  private static <R extends Message> R parse(Parser<R> parser, String stored) {
    try {
      return parser.parseFrom(Base64.getDecoder().decode(stored.substring(DONE.length())));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      throw RpcException.dataLoss("the stored result of this Idempotency-Key is unreadable");
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RpcException.unavailable("interrupted while waiting for a concurrent request");
    }
  }
}
