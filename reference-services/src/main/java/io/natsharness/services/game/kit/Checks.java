package io.natsharness.services.game.kit;

import io.natsharness.proto.common.v1.Money;
import io.natsharness.sdk.status.RpcException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Field checks that throw INVALID_ARGUMENT naming the field, with one wording throughout:
 * {@code "<field>: is required"}, {@code "<field>: must be <format>, got '<value>'"},
 * {@code "<field>: must be in [a, b], got x"}.
 *
 * <pre>{@code
 * Checks.format("quest_id", request.getQuestId(), Checks.SLUG_64);
 * Checks.range("amount", request.getAmount(), 1, 1_000_000);
 * }</pre>
 */
public final class Checks {

  /** An identifier format: the pattern and how the error message describes it. */
  public record Format(Pattern pattern, String description) {
    public static Format of(String regex, String description) {
      return new Format(Pattern.compile(regex), description);
    }
  }

  /** 1-64 chars of [a-z0-9_.-], starting with a letter or digit (quest ids, model names). */
  public static final Format SLUG_64 =
      Format.of("[a-z0-9][a-z0-9_.-]{0,63}", "1-64 chars of [a-z0-9_.-], starting with a letter or digit");
  /** 1-64 chars of [a-z0-9._-] (task names, objective ids). */
  public static final Format LOWER_64 = Format.of("[a-z0-9_.-]{1,64}", "1-64 chars of [a-z0-9_.-]");
  /** 1-128 chars of [A-Za-z0-9_.:-] (player, npc, entity, client ids; regions). */
  public static final Format ID_128 = Format.of("[A-Za-z0-9_.:-]{1,128}", "1-128 chars of [A-Za-z0-9_.:-]");

  private static final int SHOWN_VALUE_CHARS = 80;

  private Checks() {}

  public static RpcException invalid(String field, String description) {
    return RpcException.invalidArgument(field, description);
  }

  public static String required(String field, String value) {
    if (value.isEmpty()) {
      throw invalid(field, "is required");
    }
    return value;
  }

  /** Required and matching the format. */
  public static String format(String field, String value, Format format) {
    required(field, value);
    if (!format.pattern().matcher(value).matches()) {
      throw invalid(field, "must be " + format.description() + ", got '" + shown(value) + "'");
    }
    return value;
  }

  public static void maxLength(String field, String value, int max) {
    if (value.length() > max) {
      throw invalid(field, "must be at most " + max + " chars, got " + value.length());
    }
  }

  public static void range(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw invalid(field, "must be in [" + min + ", " + max + "], got " + value);
    }
  }

  public static void atLeast(String field, long value, long min) {
    if (value < min) {
      throw invalid(field, "must be >= " + min + ", got " + value);
    }
  }

  /** In [min, max]; NaN is refused too. */
  public static void range(String field, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw invalid(field, "must be in [" + fmt(min) + ", " + fmt(max) + "], got " + value);
    }
  }

  public static void finite(String field, double value) {
    if (!Double.isFinite(value)) {
      throw invalid(field, "must be a finite number, got " + value);
    }
  }

  /** A map of string attributes: at most 64 entries, keys 1-64 chars, values at most 1024 chars. */
  public static void attributes(String field, Map<String, String> attributes) {
    if (attributes.size() > 64) {
      throw invalid(field, "must have at most 64 entries, got " + attributes.size());
    }
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      if (e.getKey().isEmpty() || e.getKey().length() > 64) {
        throw invalid(field, "keys must be 1-64 chars, got '" + shown(e.getKey()) + "'");
      }
      if (e.getValue().length() > 1024) {
        throw invalid(field + "[" + e.getKey() + "]", "must be at most 1024 chars, got " + e.getValue().length());
      }
    }
  }

  /** An amount that must be present with a currency and minor_units >= 0. */
  public static void money(String field, Money money, boolean present) {
    if (!present) {
      throw invalid(field, "is required");
    }
    required(field + ".currency", money.getCurrency());
    atLeast(field + ".minor_units", money.getMinorUnits(), 0);
  }

  private static String shown(String value) {
    return value.length() <= SHOWN_VALUE_CHARS ? value : value.substring(0, SHOWN_VALUE_CHARS) + "…";
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
