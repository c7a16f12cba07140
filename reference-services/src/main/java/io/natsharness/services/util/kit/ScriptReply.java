package io.natsharness.services.util.kit;

import com.google.rpc.Code;
import io.natsharness.sdk.status.RpcException;
import java.util.List;

/**
 * The answer of a {@link LuaScript}: {@code {"OK", value...}} or
 * {@code {"ERR", CODE_NAME, message, reason-or-field}}. An error becomes the matching
 * {@link RpcException} on {@link #ok()}: FAILED_PRECONDITION carries the reason, INVALID_ARGUMENT
 * names the field.
 *
 * <pre>{@code
 * ScriptReply reply = script.run(redis, keys, args);
 * long version = reply.ok().longAt(1);
 * }</pre>
 */
public final class ScriptReply {

  private final String script;
  private final List<Object> values;

  private ScriptReply(String script, List<Object> values) {
    this.script = script;
    this.values = values;
  }

  static ScriptReply of(String script, List<Object> values) {
    if (values == null || values.isEmpty()) {
      throw new IllegalStateException("Lua script " + script + " answered nothing");
    }
    return new ScriptReply(script, values);
  }

  /** Whether the script succeeded. */
  public boolean isOk() {
    return "OK".equals(values.get(0));
  }

  /** This reply when it is a success; else throws the error it carries. */
  public ScriptReply ok() {
    if (isOk()) {
      return this;
    }
    throw error();
  }

  /** The error the reply carries, as an exception to throw. */
  public RpcException error() {
    if (isOk() || values.size() < 3) {
      return RpcException.internal("Lua script " + script + " answered " + values);
    }
    String codeName = stringAt(1);
    String message = stringAt(2);
    String extra = values.size() > 3 ? stringAt(3) : "";
    Code code;
    try {
      code = Code.valueOf(codeName);
    } catch (IllegalArgumentException e) {
      return RpcException.internal("Lua script " + script + " answered unknown code " + codeName);
    }
    return switch (code) {
      case FAILED_PRECONDITION -> RpcException.failedPrecondition(extra, message);
      case INVALID_ARGUMENT -> RpcException.invalidArgument(extra, message);
      default -> new RpcException(code, message);
    };
  }

  /** The canonical code name of an error reply, or "OK". */
  public String status() {
    return isOk() ? "OK" : stringAt(1);
  }

  /** Number of values, the status included. */
  public int size() {
    return values.size();
  }

  /** Value {@code i} (0 is the status) as text; an integer reply is printed. */
  public String stringAt(int i) {
    Object v = values.get(i);
    return v == null ? "" : v.toString();
  }

  /** Value {@code i} as a long (an integer reply, or text holding one). */
  public long longAt(int i) {
    Object v = values.get(i);
    if (v instanceof Long l) {
      return l;
    }
    return Long.parseLong(stringAt(i));
  }

  /** Value {@code i} as a list (a nested table). */
  @SuppressWarnings("unchecked")
  public List<Object> listAt(int i) {
    Object v = values.get(i);
    return v instanceof List<?> l ? (List<Object>) l : List.of();
  }

  @Override
  public String toString() {
    return script + " -> " + values;
  }
}
