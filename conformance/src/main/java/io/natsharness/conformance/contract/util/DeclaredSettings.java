package io.natsharness.conformance.contract.util;

import io.natsharness.conformance.check.CheckSkipped;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.proto.util.settings.v1.ListRequest;
import io.natsharness.proto.util.settings.v1.ListResponse;
import io.natsharness.proto.util.settings.v1.Scope;
import io.natsharness.proto.util.settings.v1.Setting;
import io.natsharness.proto.util.settings.v1.SettingDefinition;
import io.natsharness.proto.util.settings.v1.SettingValue;
import io.natsharness.proto.util.settings.v1.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The settings catalogue as the service itself lists it (list returns every declared key with its
 * definition), so the checks need no knowledge of an implementation's catalogue: they pick keys by
 * what the definitions say, and skip when the catalogue declares nothing of the kind they need.
 */
final class DeclaredSettings {

  static final String SERVICE = "settings";

  private final Rpc wire;

  DeclaredSettings(Rpc wire) {
    this.wire = wire;
  }

  /** Every setting listed at the scope (for a player at PLAYER scope), read page by page. */
  List<Setting> list(Scope scope, String playerId) {
    List<Setting> all = new ArrayList<>();
    String token = "";
    for (int page = 0; page < 50; page++) {
      ListResponse r = wire.ok("list", ListRequest.newBuilder().setScope(scope).setPlayerId(playerId)
          .setPage(PageRequest.newBuilder().setPageSize(100).setPageToken(token)).build());
      all.addAll(r.getSettingsList());
      token = r.getPage().getNextPageToken();
      if (token.isEmpty()) {
        return all;
      }
    }
    throw new AssertionError("settings list at " + scope + " has more than 50 pages of 100");
  }

  /** A key declared for PLAYER scope whose definition satisfies {@code what}, or a skip. */
  SettingDefinition playerKey(String playerId, String need, Predicate<SettingDefinition> what) {
    return find(Scope.PLAYER, playerId, what)
        .orElseThrow(() -> new CheckSkipped("the settings catalogue declares no PLAYER key " + need));
  }

  Optional<SettingDefinition> find(Scope scope, String playerId, Predicate<SettingDefinition> what) {
    return list(scope, playerId).stream().map(Setting::getDefinition).filter(what).findFirst();
  }

  static boolean ranged(SettingDefinition d) {
    return (d.getType() == ValueType.INT64 || d.getType() == ValueType.DOUBLE) && (d.hasMin() || d.hasMax());
  }

  /** A valid value of the key that differs from its default, or empty when none can be told. */
  static Optional<SettingValue> otherValue(SettingDefinition d) {
    SettingValue def = d.getDefaultValue();
    switch (d.getType()) {
      case BOOL:
        return Optional.of(SettingValue.newBuilder().setBoolValue(!def.getBoolValue()).build());
      case INT64: {
        long v = def.getInt64Value();
        long candidate = d.hasMin() && d.getMin().getInt64Value() != v ? d.getMin().getInt64Value()
            : d.hasMax() && d.getMax().getInt64Value() != v ? d.getMax().getInt64Value()
            : !d.hasMax() ? v + 1 : v - 1;
        return Optional.of(SettingValue.newBuilder().setInt64Value(candidate).build());
      }
      case DOUBLE: {
        double v = def.getDoubleValue();
        double candidate = d.hasMin() && d.getMin().getDoubleValue() != v ? d.getMin().getDoubleValue()
            : d.hasMax() && d.getMax().getDoubleValue() != v ? d.getMax().getDoubleValue()
            : !d.hasMax() ? v + 1 : v - 1;
        return Optional.of(SettingValue.newBuilder().setDoubleValue(candidate).build());
      }
      case STRING: {
        if (d.getAllowedValuesCount() > 0) {
          return d.getAllowedValuesList().stream().filter(a -> !a.equals(def.getStringValue())).findFirst()
              .map(a -> SettingValue.newBuilder().setStringValue(a).build());
        }
        String candidate = def.getStringValue().equals("nh") ? "hn" : "nh";
        return d.getMaxLength() == 1 ? Optional.empty()
            : Optional.of(SettingValue.newBuilder().setStringValue(candidate).build());
      }
      default:
        return Optional.empty();
    }
  }

  /** A value of the wrong type for the key. */
  static SettingValue wrongType(SettingDefinition d) {
    return d.getType() == ValueType.STRING ? SettingValue.newBuilder().setBoolValue(true).build()
        : SettingValue.newBuilder().setStringValue("not-a-" + d.getType().name().toLowerCase()).build();
  }
}
