package io.natsharness.services.util.settings;

import io.natsharness.proto.util.settings.v1.Scope;
import io.natsharness.proto.util.settings.v1.Setting;
import io.natsharness.proto.util.settings.v1.SettingChanged;
import io.natsharness.proto.util.settings.v1.SettingDefinition;
import io.natsharness.proto.util.settings.v1.SettingValue;
import io.natsharness.proto.util.settings.v1.ValueSource;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.util.kit.CasRecords;
import io.natsharness.services.util.kit.CasRecords.Write;
import io.natsharness.services.util.kit.EventOutbox;
import io.natsharness.services.util.kit.Records;
import java.util.Map;

/**
 * Stored setting values, one versioned record per (scope, player, key) through
 * {@link CasRecords}, and the resolution of effective values: at PLAYER scope the player's
 * value, else the GLOBAL one (when the key is declared for GLOBAL), else the default.
 *
 * <pre>{@code
 * Setting s = store.resolve(definition, Scope.PLAYER, "p-1");
 * }</pre>
 */
final class SettingStore {

  static final String SERVICE = "settings";

  private final ServiceContext ctx;
  private final CasRecords records;
  private final EventOutbox events;

  SettingStore(ServiceContext ctx, EventOutbox events) {
    this.ctx = ctx;
    this.records = new CasRecords(ctx.redis());
    this.events = events;
  }

  /** The address of a stored value. */
  record Address(Scope scope, String playerId, String key) {
    String what() {
      return scope == Scope.PLAYER ? "setting " + key + " of player " + playerId : "global setting " + key;
    }

    String revisionField() {
      return scope == Scope.PLAYER ? "P/" + playerId + "/" + key : "G/" + key;
    }
  }

  Setting resolve(SettingDefinition d, Scope scope, String playerId) {
    Setting.Builder out = Setting.newBuilder().setKey(d.getKey()).setScope(scope).setPlayerId(playerId)
        .setDefinition(d);
    Map<String, String> own = read(new Address(scope, playerId, d.getKey()));
    if (!own.isEmpty()) {
      return out.setValue(value(own)).setMeta(Records.meta(own))
          .setSource(scope == Scope.PLAYER ? ValueSource.VALUE_SOURCE_PLAYER : ValueSource.VALUE_SOURCE_GLOBAL)
          .build();
    }
    if (scope == Scope.PLAYER && d.getScopesList().contains(Scope.GLOBAL)) {
      Map<String, String> global = read(new Address(Scope.GLOBAL, "", d.getKey()));
      if (!global.isEmpty()) {
        return out.setValue(value(global)).setSource(ValueSource.VALUE_SOURCE_GLOBAL).build();
      }
    }
    return out.setValue(d.getDefaultValue()).setSource(ValueSource.VALUE_SOURCE_DEFAULT).build();
  }

  Setting put(SettingDefinition d, Address at, SettingValue value, long expectedVersion) {
    CasRecords.Written w = records.put(Write.of(key(at), revisionsKey(), at.what(), at.revisionField())
        .expect(expectedVersion).body(Records.encode(value)).at(ctx.clock().millis()));
    events.publish("setting_changed", changed(at).setValue(value).setVersion(w.version()).build(),
        "setting:" + at.revisionField() + ":" + w.revision());
    return Setting.newBuilder().setKey(at.key()).setScope(at.scope()).setPlayerId(at.playerId()).setValue(value)
        .setSource(at.scope() == Scope.PLAYER ? ValueSource.VALUE_SOURCE_PLAYER : ValueSource.VALUE_SOURCE_GLOBAL)
        .setMeta(w.meta()).setDefinition(d).build();
  }

  Setting delete(SettingDefinition d, Address at, long expectedVersion) {
    CasRecords.Deleted deleted = records.delete(key(at), revisionsKey(), at.revisionField(), expectedVersion,
        at.what(), null, null);
    events.publish("setting_changed", changed(at).setDeleted(true).setVersion(deleted.version()).build(),
        "setting:" + at.revisionField() + ":" + deleted.revision());
    return resolve(d, at.scope(), at.playerId());
  }

  private static SettingChanged.Builder changed(Address at) {
    return SettingChanged.newBuilder().setKey(at.key()).setScope(at.scope()).setPlayerId(at.playerId());
  }

  private Map<String, String> read(Address at) {
    return ctx.redis().sync().hgetall(key(at));
  }

  private static SettingValue value(Map<String, String> hash) {
    return Records.decode(hash.get("body"), SettingValue.parser());
  }

  private String key(Address at) {
    return at.scope() == Scope.PLAYER
        ? ctx.key(SERVICE, "value", "player", at.playerId(), at.key())
        : ctx.key(SERVICE, "value", "global", at.key());
  }

  private String revisionsKey() {
    return ctx.key(SERVICE, "revisions");
  }

}
