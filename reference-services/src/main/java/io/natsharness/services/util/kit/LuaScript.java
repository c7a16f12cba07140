package io.natsharness.services.util.kit;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script kept as a classpath resource and run with EVALSHA, falling back to EVAL (which
 * also caches it) when the server does not know it yet, e.g. after a Redis restart. The SHA-1 is
 * computed locally, so nothing needs loading at start.
 *
 * <p>Scripts answer a table whose first element is {@code "OK"} or {@code "ERR"}; see
 * {@link ScriptReply}.
 *
 * <pre>{@code
 * static final LuaScript CHARGE = LuaScript.resource(PaymentService.class, "charge.lua");
 * ScriptReply reply = CHARGE.run(redis, List.of(walletKey), List.of(amount));
 * }</pre>
 */
public final class LuaScript {

  private final String name;
  private final String source;
  private final String sha1;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha1 = sha1(source);
  }

  /** The script stored next to {@code anchor}'s class file under {@code name}. */
  public static LuaScript resource(Class<?> anchor, String name) {
    try (InputStream in = anchor.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("Lua script " + name + " is missing next to " + anchor.getName());
      }
      return new LuaScript(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Lua script " + name, e);
    }
  }

  /** Runs the script atomically and checks its status. */
  public ScriptReply run(RedisCommands<String, String> redis, List<String> keys, List<String> args) {
    String[] k = keys.toArray(String[]::new);
    String[] a = args.toArray(String[]::new);
    List<Object> reply;
    try {
      reply = redis.evalsha(sha1, ScriptOutputType.MULTI, k, a);
    } catch (RedisNoScriptException e) {
      reply = redis.eval(source, ScriptOutputType.MULTI, k, a);
    }
    return ScriptReply.of(name, reply);
  }

  @Override
  public String toString() {
    return "LuaScript[" + name + "]";
  }

  private static String sha1(String source) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
          .digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }
}
