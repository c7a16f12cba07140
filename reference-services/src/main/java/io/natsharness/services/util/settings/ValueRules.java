package io.natsharness.services.util.settings;

import io.natsharness.proto.util.settings.v1.SettingDefinition;
import io.natsharness.proto.util.settings.v1.SettingValue;
import io.natsharness.proto.util.settings.v1.SettingValue.KindCase;
import io.natsharness.proto.util.settings.v1.ValueType;
import java.util.Optional;

/**
 * Whether a value fits a key's definition: its declared type (an int64 is accepted for a DOUBLE
 * key and becomes a double), [min, max] for numbers, max_length (0 = 1024) and allowed_values for
 * strings. Answers the problem as text, or nothing.
 *
 * <pre>{@code
 * ValueRules.check(volume, SettingValue.newBuilder().setDoubleValue(2).build());
 * // Optional["must be in [0.0, 1.0]"]
 * }</pre>
 */
final class ValueRules {

  private static final int DEFAULT_MAX_LENGTH = 1024;

  private ValueRules() {}

  /** The value as stored: an int64 given for a DOUBLE key becomes a double. */
  static SettingValue normalize(SettingDefinition d, SettingValue v) {
    if (d.getType() == ValueType.DOUBLE
        && v.getKindCase() == KindCase.INT64_VALUE) {
      return SettingValue.newBuilder().setDoubleValue(v.getInt64Value()).build();
    }
    return v;
  }

  static Optional<String> check(SettingDefinition d, SettingValue raw) {
    if (raw.getKindCase() == KindCase.KIND_NOT_SET) {
      return Optional.of("is required");
    }
    SettingValue v = normalize(d, raw);
    switch (d.getType()) {
      case BOOL:
        return v.getKindCase() == KindCase.BOOL_VALUE ? Optional.empty() : Optional.of("must be a BOOL value");
      case INT64:
        if (v.getKindCase() != KindCase.INT64_VALUE) {
          return Optional.of("must be an INT64 value");
        }
        if ((d.hasMin() && v.getInt64Value() < d.getMin().getInt64Value())
            || (d.hasMax() && v.getInt64Value() > d.getMax().getInt64Value())) {
          return Optional.of("must be in " + range(d));
        }
        return Optional.empty();
      case DOUBLE:
        if (v.getKindCase() != KindCase.DOUBLE_VALUE) {
          return Optional.of("must be a DOUBLE (or INT64) value");
        }
        if (!Double.isFinite(v.getDoubleValue())) {
          return Optional.of("must be a finite number");
        }
        if ((d.hasMin() && v.getDoubleValue() < d.getMin().getDoubleValue())
            || (d.hasMax() && v.getDoubleValue() > d.getMax().getDoubleValue())) {
          return Optional.of("must be in " + range(d));
        }
        return Optional.empty();
      case STRING:
        if (v.getKindCase() != KindCase.STRING_VALUE) {
          return Optional.of("must be a STRING value");
        }
        int max = d.getMaxLength() == 0 ? DEFAULT_MAX_LENGTH : d.getMaxLength();
        if (v.getStringValue().length() > max) {
          return Optional.of("must be at most " + max + " characters");
        }
        if (d.getAllowedValuesCount() > 0 && !d.getAllowedValuesList().contains(v.getStringValue())) {
          return Optional.of("must be one of " + d.getAllowedValuesList());
        }
        return Optional.empty();
      default:
        return Optional.of("has a key of unknown type");
    }
  }

  private static String range(SettingDefinition d) {
    boolean isInt = d.getType() == ValueType.INT64;
    String min = !d.hasMin() ? "-inf" : isInt ? Long.toString(d.getMin().getInt64Value())
        : Double.toString(d.getMin().getDoubleValue());
    String max = !d.hasMax() ? "+inf" : isInt ? Long.toString(d.getMax().getInt64Value())
        : Double.toString(d.getMax().getDoubleValue());
    return "[" + min + ", " + max + "]";
  }
}
