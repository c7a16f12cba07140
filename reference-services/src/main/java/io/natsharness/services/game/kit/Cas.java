package io.natsharness.services.game.kit;

import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import java.util.Optional;

/**
 * Compare-and-set of a whole string value: the write happens only if the key still holds what the
 * caller read. Callers read, decide, and retry on a lost race; each lost race means another writer
 * succeeded, so the loop always makes progress. Used where a record changes rarely and the
 * decision needs Java (state machines, validation against the stored record).
 *
 * <pre>{@code
 * Optional<String> old = Optional.ofNullable(redis.get(key));
 * if (!Cas.replace(redis, key, old, newValue)) { ... read again ... }
 * }</pre>
 */
public final class Cas {

  /** Enough for any realistic contention; past it the caller answers ABORTED. */
  public static final int MAX_ATTEMPTS = 1000;

  private static final Lua REPLACE = Lua.of(
      "local cur = redis.call('GET', KEYS[1]) "
          + "if ARGV[1] == '0' then if cur then return 0 end "
          + "elseif cur ~= ARGV[2] then return 0 end "
          + "redis.call('SET', KEYS[1], ARGV[3]) return 1");

  private static final Lua REPLACE_FIELD = Lua.of(
      "local cur = redis.call('HGET', KEYS[1], ARGV[4]) "
          + "if ARGV[1] == '0' then if cur then return 0 end "
          + "elseif cur ~= ARGV[2] then return 0 end "
          + "redis.call('HSET', KEYS[1], ARGV[4], ARGV[3]) return 1");

  private Cas() {}

  /**
   * Writes {@code newValue} if the key holds {@code expected} (or, when {@code expected} is empty,
   * does not exist).
   */
  public static boolean replace(RedisCommands<String, String> redis, String key, Optional<String> expected,
      String newValue) {
    return REPLACE.integer(redis, List.of(key),
        List.of(expected.isPresent() ? "1" : "0", expected.orElse(""), newValue)) == 1;
  }

  /** As {@link #replace}, for one field of a hash. */
  public static boolean replaceField(RedisCommands<String, String> redis, String key, String field,
      Optional<String> expected, String newValue) {
    return REPLACE_FIELD.integer(redis, List.of(key),
        List.of(expected.isPresent() ? "1" : "0", expected.orElse(""), newValue, field)) == 1;
  }
}
