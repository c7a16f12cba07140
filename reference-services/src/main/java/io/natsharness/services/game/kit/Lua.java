package io.natsharness.services.game.kit;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One Lua script, run atomically with EVALSHA and falling back to EVAL (which caches it on the
 * server) when Redis does not know it, e.g. after a Redis restart. The SHA-1 is computed here, so
 * nothing has to be loaded at start.
 *
 * <pre>{@code
 * static final Lua CLAIM = Lua.of("return redis.call('SET', KEYS[1], ARGV[1], 'NX')");
 * List<Object> reply = CLAIM.multi(redis, List.of(key), List.of("v"));
 * }</pre>
 */
public final class Lua {

  private final String source;
  private final String sha1;

  private Lua(String source) {
    this.source = Objects.requireNonNull(source, "source");
    this.sha1 = sha1(source);
  }

  public static Lua of(String source) {
    return new Lua(source);
  }

  /** Runs the script; the reply is a Lua table (a list of strings, numbers and nested lists). */
  public List<Object> multi(RedisCommands<String, String> redis, List<String> keys, List<String> args) {
    return run(redis, ScriptOutputType.MULTI, keys, args);
  }

  /** Runs a script that returns one integer. */
  public long integer(RedisCommands<String, String> redis, List<String> keys, List<String> args) {
    Long value = run(redis, ScriptOutputType.INTEGER, keys, args);
    return value;
  }

  private <T> T run(RedisCommands<String, String> redis, ScriptOutputType type, List<String> keys, List<String> args) {
    String[] k = keys.toArray(String[]::new);
    String[] a = args.toArray(String[]::new);
    try {
      return redis.evalsha(sha1, type, k, a);
    } catch (RedisNoScriptException e) {
      return redis.eval(source, type, k, a);
    }
  }

  private static String sha1(String source) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }
}
