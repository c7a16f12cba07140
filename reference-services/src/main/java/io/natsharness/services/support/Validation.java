package io.natsharness.services.support;

import com.google.protobuf.ProtocolMessageEnum;
import io.natsharness.sdk.status.RpcException;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Checks of request fields that fail with INVALID_ARGUMENT naming the field (an
 * {@code ErrorDetail} with the field path, through {@link RpcException#invalidArgument}).
 * Each returns the checked value, so a check reads inline.
 *
 * <pre>{@code
 * String walletId = Validation.nonEmpty(request.getWalletId(), "wallet_id");
 * Validation.maxLength(request.getReason(), 200, "reason");
 * long amount = Validation.inRange(request.getAmount().getMinorUnits(), 1, 1_000_000_000_000_000L,
 *     "amount.minor_units");
 * }</pre>
 *
 * <p>Descriptions are short and lower-case ("must not be empty"); the SDK puts the field in front.
 */
public final class Validation {

  private Validation() {}

  /** Fails with {@code description} for {@code field} unless {@code condition} holds. */
  public static void require(boolean condition, String field, String description) {
    if (!condition) {
      throw RpcException.invalidArgument(field, description);
    }
  }

  /** A string that is not empty (whitespace counts as empty). */
  public static String nonEmpty(String value, String field) {
    require(value != null && !value.isBlank(), field, "must not be empty");
    return value;
  }

  /** A string of at most {@code max} characters (may be empty). */
  public static String maxLength(String value, int max, String field) {
    require(value == null || value.length() <= max, field, "must be at most " + max + " characters");
    return value;
  }

  /** A non-empty string of at most {@code max} characters. */
  public static String nonEmpty(String value, int max, String field) {
    return maxLength(nonEmpty(value, field), max, field);
  }

  /**
   * A string matching {@code pattern} entirely; the description names the pattern, e.g.
   * {@code must match [a-z0-9_]+}.
   */
  public static String matches(String value, Pattern pattern, String field) {
    require(value != null && pattern.matcher(value).matches(), field,
        "must match " + pattern.pattern());
    return value;
  }

  /** A number in {@code [min, max]}. */
  public static long inRange(long value, long min, long max, String field) {
    require(value >= min && value <= max, field, "must be in [" + min + ", " + max + "]");
    return value;
  }

  /** An int in {@code [min, max]}. */
  public static int inRange(int value, int min, int max, String field) {
    require(value >= min && value <= max, field, "must be in [" + min + ", " + max + "]");
    return value;
  }

  /** A double in {@code [min, max]} (NaN fails). */
  public static double inRange(double value, double min, double max, String field) {
    require(value >= min && value <= max, field, "must be in [" + min + ", " + max + "]");
    return value;
  }

  /** An enum value other than the {@code *_UNSPECIFIED} zero and not an unknown number. */
  public static <E extends Enum<E> & ProtocolMessageEnum> E specified(E value, String field) {
    require(value != null && !"UNRECOGNIZED".equals(value.name()) && value.getNumber() != 0,
        field, "must be specified");
    return value;
  }

  /** At most {@code max} elements. */
  public static <C extends Collection<?>> C maxSize(C values, int max, String field) {
    require(values.size() <= max, field, "must have at most " + max + " entries");
    return values;
  }

  /**
   * A page size: 0 gives {@code defaultSize}; negative or above {@code max} fails.
   *
   * @return the effective page size
   */
  public static int pageSize(int requested, int defaultSize, int max, String field) {
    require(requested >= 0 && requested <= max, field, "must be in [0, " + max + "]");
    return requested == 0 ? defaultSize : requested;
  }
}
