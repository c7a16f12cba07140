package io.natsharness.conformance.contract.util;

import static io.natsharness.conformance.contract.kit.Bad.bad;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Bad;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.proto.util.settings.v1.DeleteRequest;
import io.natsharness.proto.util.settings.v1.GetRequest;
import io.natsharness.proto.util.settings.v1.ListRequest;
import io.natsharness.proto.util.settings.v1.ListResponse;
import io.natsharness.proto.util.settings.v1.PutRequest;
import io.natsharness.proto.util.settings.v1.Scope;
import io.natsharness.proto.util.settings.v1.Setting;
import io.natsharness.proto.util.settings.v1.SettingChanged;
import io.natsharness.proto.util.settings.v1.SettingDefinition;
import io.natsharness.proto.util.settings.v1.SettingValue;
import io.natsharness.proto.util.settings.v1.ValueSource;
import io.natsharness.proto.util.settings.v1.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The contract checks of settings (util/settings/v1/settings.proto): effective values (player,
 * then GLOBAL, then the default), typed and ranged puts, compare-and-set, listing in key order,
 * deletes that fall back, and setting_changed. The keys come from the service's own list, and
 * every write is at PLAYER scope for a player unique to the run, so a shared store is never
 * disturbed.
 *
 * <pre>{@code
 * List<Check> checks = SettingsChecks.checks();   // contract.settings.*
 * }</pre>
 */
public final class SettingsChecks {

  private SettingsChecks() {}

  public static List<Check> checks() {
    ContractChecks checks = ContractChecks.forService(DeclaredSettings.SERVICE);
    checks
        .behaviour("get", "player_then_global_then_default",
            "get at PLAYER scope answers the player's value, else the GLOBAL value, else the default, with its source.",
            SettingsChecks::resolves)
        .error("get", "invalid_argument", Code.INVALID_ARGUMENT,
            "get without a scope, with a missing or unexpected player_id, or a key not declared for the scope is INVALID_ARGUMENT.",
            ctx -> scopeErrors(ctx, "get"))
        .error("get", "not_found", Code.NOT_FOUND,
            "get of a key outside the catalogue is NOT_FOUND.",
            ctx -> Rpc.of(ctx, DeclaredSettings.SERVICE).fails("get", GetRequest.newBuilder()
                .setKey(ctx.unique("nh.undeclared")).setScope(Scope.GLOBAL).build(), Code.NOT_FOUND))
        .behaviour("put", "versions_and_types",
            "put stores a value of the declared type with meta.version 1, 2, ..., and an int64 for a DOUBLE key as a double.",
            SettingsChecks::versions)
        .error("put", "compare_and_set", Code.ABORTED,
            "put with a stale expected_version, or one when nothing is stored, is ABORTED and changes nothing.",
            SettingsChecks::putCas)
        .error("put", "invalid_argument", Code.INVALID_ARGUMENT,
            "put of a missing value, a value of the wrong type or outside the declared range is INVALID_ARGUMENT naming value.",
            SettingsChecks::putInvalid)
        .error("put", "not_found", Code.NOT_FOUND,
            "put of a key outside the catalogue is NOT_FOUND.",
            ctx -> Rpc.of(ctx, DeclaredSettings.SERVICE).fails("put", PutRequest.newBuilder()
                .setKey(ctx.unique("nh.undeclared")).setScope(Scope.PLAYER).setPlayerId(ctx.unique("player"))
                .setValue(SettingValue.newBuilder().setBoolValue(true)).build(), Code.NOT_FOUND))
        .error("put", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "put past its deadline is DEADLINE_EXCEEDED and stores nothing.",
            SettingsChecks::putExpired)
        .behaviour("put", "setting_changed_event",
            "put and delete each publish one setting_changed event with the key, scope, player, value and version.",
            SettingsChecks::changedEvent)
        .behaviour("list", "declared_keys_in_order",
            "list answers every key declared for the scope in byte order with effective values, filtered by prefix and paged.",
            SettingsChecks::lists)
        .error("list", "invalid_argument", Code.INVALID_ARGUMENT,
            "list without a scope, with a bad player_id, page_size outside [0, 100] or a foreign page_token is INVALID_ARGUMENT.",
            SettingsChecks::listInvalid)
        .behaviour("delete", "falls_back",
            "delete removes the player's value, answers the effective setting after it, and reads fall back.",
            SettingsChecks::deleteFallsBack)
        .error("delete", "not_found", Code.NOT_FOUND,
            "delete where nothing is stored, or of a key outside the catalogue, is NOT_FOUND.",
            SettingsChecks::deleteNotFound)
        .error("delete", "compare_and_set", Code.ABORTED,
            "delete with a stale expected_version is ABORTED and the value stays.",
            SettingsChecks::deleteCas)
        .error("delete", "invalid_argument", Code.INVALID_ARGUMENT,
            "delete without a scope, with a missing or unexpected player_id, or a key not declared for the scope is INVALID_ARGUMENT.",
            ctx -> scopeErrors(ctx, "delete"))
        .error("delete", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "delete past its deadline is DEADLINE_EXCEEDED and the value stays.",
            SettingsChecks::deleteExpired);
    return checks.build();
  }

  /** The state every check starts from: a fresh player and a PLAYER key with a value other than its default. */
  private record Fixture(Rpc wire, DeclaredSettings declared, String player, SettingDefinition key,
      SettingValue value) {
    static Fixture of(CheckContext ctx) {
      Rpc wire = Rpc.of(ctx, DeclaredSettings.SERVICE);
      DeclaredSettings declared = new DeclaredSettings(wire);
      String player = ctx.unique("player");
      SettingDefinition key = declared.playerKey(player, "with a value other than its default",
          d -> DeclaredSettings.otherValue(d).isPresent());
      return new Fixture(wire, declared, player, key, DeclaredSettings.otherValue(key).orElseThrow());
    }

    Setting get() {
      return wire.ok("get", GetRequest.newBuilder().setKey(key.getKey()).setScope(Scope.PLAYER).setPlayerId(player)
          .build());
    }

    Setting put(SettingValue v, long expected) {
      return wire.ok("put", putRequest(v, expected));
    }

    PutRequest putRequest(SettingValue v, long expected) {
      return PutRequest.newBuilder().setKey(key.getKey()).setScope(Scope.PLAYER).setPlayerId(player).setValue(v)
          .setExpectedVersion(expected).build();
    }

    DeleteRequest deleteRequest(long expected) {
      return DeleteRequest.newBuilder().setKey(key.getKey()).setScope(Scope.PLAYER).setPlayerId(player)
          .setExpectedVersion(expected).build();
    }

    /** What a read at PLAYER scope gives when the player stored nothing: GLOBAL's value, else the default. */
    Setting fallback() {
      if (!key.getScopesList().contains(Scope.GLOBAL)) {
        return Setting.newBuilder().setValue(key.getDefaultValue()).setSource(ValueSource.VALUE_SOURCE_DEFAULT).build();
      }
      return wire.ok("get", GetRequest.newBuilder().setKey(key.getKey()).setScope(Scope.GLOBAL).build());
    }
  }

  private static void assertFallsBack(Fixture f, Setting read, String when) {
    Setting expected = f.fallback();
    assertThat(read.getSource()).as("source %s", when).isEqualTo(expected.getSource())
        .isNotEqualTo(ValueSource.VALUE_SOURCE_PLAYER);
    assertThat(read.getValue()).as("value %s", when).isEqualTo(expected.getValue());
    assertThat(read.hasMeta()).as("meta %s (nothing stored at PLAYER scope)", when).isFalse();
  }

  private static void resolves(CheckContext ctx) {
    Fixture f = Fixture.of(ctx);
    Setting before = f.get();
    assertThat(before.getKey()).isEqualTo(f.key().getKey());
    assertThat(before.getScope()).isEqualTo(Scope.PLAYER);
    assertThat(before.getPlayerId()).isEqualTo(f.player());
    assertThat(before.getDefinition()).isEqualTo(f.key());
    assertFallsBack(f, before, "before the player set a value");
    f.put(f.value(), 0);
    Setting after = f.get();
    assertThat(after.getSource()).isEqualTo(ValueSource.VALUE_SOURCE_PLAYER);
    assertThat(after.getValue()).isEqualTo(f.value());
    assertThat(after.getMeta().getVersion()).isEqualTo(1);
  }

  private static void scopeErrors(CheckContext ctx, String method) {
    Rpc wire = Rpc.of(ctx, DeclaredSettings.SERVICE);
    DeclaredSettings declared = new DeclaredSettings(wire);
    String player = ctx.unique("player");
    String key = declared.playerKey(player, "at all", d -> true).getKey();
    List<Bad> cases = new ArrayList<>(List.of(
        bad("no scope", "scope", request(method, key, Scope.SCOPE_UNSPECIFIED, player)),
        bad("PLAYER scope without player_id", "player_id", request(method, key, Scope.PLAYER, "")),
        bad("player_id of 129 characters", "player_id", request(method, key, Scope.PLAYER, "p".repeat(129))),
        bad("GLOBAL scope with a player_id", "player_id", request(method, key, Scope.GLOBAL, player))));
    declared.find(Scope.PLAYER, player, d -> !d.getScopesList().contains(Scope.GLOBAL)).ifPresent(d ->
        cases.add(bad("a PLAYER-only key at GLOBAL scope", "key", request(method, d.getKey(), Scope.GLOBAL, ""))));
    declared.find(Scope.GLOBAL, "", d -> !d.getScopesList().contains(Scope.PLAYER)).ifPresent(d ->
        cases.add(bad("a GLOBAL-only key at PLAYER scope", "key", request(method, d.getKey(), Scope.PLAYER, player))));
    wire.failsOnEach(method, cases);
  }

  private static com.google.protobuf.Message request(String method, String key, Scope scope, String player) {
    return method.equals("get")
        ? GetRequest.newBuilder().setKey(key).setScope(scope).setPlayerId(player).build()
        : DeleteRequest.newBuilder().setKey(key).setScope(scope).setPlayerId(player).build();
  }

  private static void versions(CheckContext ctx) {
    Fixture f = Fixture.of(ctx);
    Setting first = f.put(f.value(), 0);
    assertThat(first.getMeta().getVersion()).as("meta.version of the first put").isEqualTo(1);
    assertThat(first.getSource()).isEqualTo(ValueSource.VALUE_SOURCE_PLAYER);
    Setting second = f.put(f.key().getDefaultValue(), 1);
    assertThat(second.getMeta().getVersion()).as("meta.version of the second put").isEqualTo(2);
    assertThat(second.getValue()).isEqualTo(f.key().getDefaultValue());
    Optional<SettingDefinition> dbl = f.declared().find(Scope.PLAYER, f.player(),
        d -> d.getType() == ValueType.DOUBLE && (!d.hasMin() || d.getMin().getDoubleValue() <= 1)
            && (!d.hasMax() || d.getMax().getDoubleValue() >= 1));
    if (dbl.isPresent()) {
      Setting asDouble = f.wire().ok("put", PutRequest.newBuilder().setKey(dbl.get().getKey()).setScope(Scope.PLAYER)
          .setPlayerId(f.player()).setValue(SettingValue.newBuilder().setInt64Value(1)).build());
      assertThat(asDouble.getValue()).as("an int64 1 put for DOUBLE key %s", dbl.get().getKey())
          .isEqualTo(SettingValue.newBuilder().setDoubleValue(1.0).build());
    }
  }

  private static void putCas(CheckContext ctx) {
    Fixture f = Fixture.of(ctx);
    f.wire().fails("put", f.putRequest(f.value(), 1), Code.ABORTED);
    assertFallsBack(f, f.get(), "after a compare-and-set put on nothing");
    f.put(f.value(), 0);
    f.put(f.key().getDefaultValue(), 1);
    f.wire().fails("put", f.putRequest(f.value(), 1), Code.ABORTED);
    Setting now = f.get();
    assertThat(now.getValue()).as("value after the stale put").isEqualTo(f.key().getDefaultValue());
    assertThat(now.getMeta().getVersion()).isEqualTo(2);
    assertThat(f.put(f.value(), 2).getMeta().getVersion()).as("a put with the current version").isEqualTo(3);
  }

  private static void putInvalid(CheckContext ctx) {
    Fixture f = Fixture.of(ctx);
    List<Bad> cases = new ArrayList<>(List.of(
        bad("no value", "value", f.putRequest(SettingValue.getDefaultInstance(), 0)),
        bad("a value of the wrong type", "value", f.putRequest(DeclaredSettings.wrongType(f.key()), 0))));
    SettingDefinition ranged = f.declared().playerKey(f.player(), "with a numeric range", DeclaredSettings::ranged);
    Fixture r = new Fixture(f.wire(), f.declared(), f.player(), ranged, ranged.getDefaultValue());
    if (ranged.hasMin()) {
      cases.add(bad("below min of " + ranged.getKey(), "value", r.putRequest(beyond(ranged, ranged.getMin(), -1), 0)));
    }
    if (ranged.hasMax()) {
      cases.add(bad("above max of " + ranged.getKey(), "value", r.putRequest(beyond(ranged, ranged.getMax(), 1), 0)));
    }
    f.declared().find(Scope.PLAYER, f.player(), d -> d.getType() == ValueType.STRING && d.getAllowedValuesCount() > 0)
        .ifPresent(d -> cases.add(bad("a string outside allowed_values of " + d.getKey(), "value",
            new Fixture(f.wire(), f.declared(), f.player(), d, d.getDefaultValue())
                .putRequest(SettingValue.newBuilder().setStringValue("nh-not-allowed").build(), 0))));
    f.declared().find(Scope.PLAYER, f.player(), d -> d.getType() == ValueType.STRING && d.getAllowedValuesCount() == 0)
        .ifPresent(d -> cases.add(bad("a string over max_length of " + d.getKey(), "value",
            new Fixture(f.wire(), f.declared(), f.player(), d, d.getDefaultValue()).putRequest(SettingValue.newBuilder()
                .setStringValue("x".repeat(d.getMaxLength() == 0 ? 1025 : d.getMaxLength() + 1)).build(), 0))));
    f.wire().failsOnEach("put", cases);
    assertFallsBack(f, f.get(), "after the refused puts");
  }

  private static SettingValue beyond(SettingDefinition d, SettingValue bound, int direction) {
    return d.getType() == ValueType.INT64
        ? SettingValue.newBuilder().setInt64Value(bound.getInt64Value() + direction).build()
        : SettingValue.newBuilder().setDoubleValue(bound.getDoubleValue() + direction * 0.5).build();
  }

  private static void putExpired(CheckContext ctx) {
    Fixture f = Fixture.of(ctx);
    f.wire().call("put").expiredDeadline().fails(f.putRequest(f.value(), 0), Code.DEADLINE_EXCEEDED);
    assertFallsBack(f, f.get(), "after the expired put");
  }

  private static void changedEvent(CheckContext ctx) {
    Fixture f = Fixture.of(ctx);
    try (EventSpy<SettingChanged> spy = EventSpy.on(ctx, DeclaredSettings.SERVICE, "setting_changed")) {
      f.put(f.value(), 0);
      SettingChanged put = spy.awaitOne(e -> e.getPlayerId().equals(f.player()) && !e.getDeleted());
      assertThat(put.getKey()).isEqualTo(f.key().getKey());
      assertThat(put.getScope()).isEqualTo(Scope.PLAYER);
      assertThat(put.getValue()).isEqualTo(f.value());
      assertThat(put.getVersion()).isEqualTo(1);
      f.wire().ok("delete", f.deleteRequest(0));
      SettingChanged deleted = spy.awaitOne(e -> e.getPlayerId().equals(f.player()) && e.getDeleted());
      assertThat(deleted.getKey()).isEqualTo(f.key().getKey());
      assertThat(deleted.hasValue()).as("value of a deleted setting's event").isFalse();
      assertThat(deleted.getVersion()).as("version of the deleted record").isEqualTo(1);
    }
  }

  private static void lists(CheckContext ctx) {
    Fixture f = Fixture.of(ctx);
    f.put(f.value(), 0);
    List<Setting> all = f.declared().list(Scope.PLAYER, f.player());
    List<String> keys = all.stream().map(Setting::getKey).toList();
    assertThat(keys).as("keys listed at PLAYER scope").isNotEmpty().doesNotHaveDuplicates()
        .isSortedAccordingTo(SettingsChecks::byteOrder);
    assertThat(all).allSatisfy(s -> assertThat(s.getDefinition().getScopesList()).contains(Scope.PLAYER));
    Setting mine = all.stream().filter(s -> s.getKey().equals(f.key().getKey())).findFirst().orElseThrow();
    assertThat(mine.getSource()).as("source of the key the player set").isEqualTo(ValueSource.VALUE_SOURCE_PLAYER);
    assertThat(mine.getValue()).isEqualTo(f.value());
    String prefix = f.key().getKey().substring(0, Math.max(1, f.key().getKey().indexOf('.') + 1));
    ListResponse filtered = f.wire().ok("list", ListRequest.newBuilder().setScope(Scope.PLAYER)
        .setPlayerId(f.player()).setKeyPrefix(prefix).build());
    assertThat(filtered.getSettingsList()).extracting(Setting::getKey).as("keys with prefix %s", prefix)
        .isEqualTo(keys.stream().filter(k -> k.startsWith(prefix)).toList());
    List<String> paged = new ArrayList<>();
    String token = "";
    for (int page = 0; page <= keys.size(); page++) {
      ListResponse r = f.wire().ok("list", ListRequest.newBuilder().setScope(Scope.PLAYER).setPlayerId(f.player())
          .setPage(PageRequest.newBuilder().setPageSize(2).setPageToken(token)).build());
      assertThat(r.getSettingsCount()).as("settings on a page of size 2").isLessThanOrEqualTo(2);
      r.getSettingsList().forEach(s -> paged.add(s.getKey()));
      token = r.getPage().getNextPageToken();
      if (token.isEmpty()) {
        break;
      }
    }
    assertThat(token).as("next_page_token of the last page").isEmpty();
    assertThat(paged).as("keys over pages of 2").isEqualTo(keys);
  }

  private static int byteOrder(String a, String b) {
    return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static void listInvalid(CheckContext ctx) {
    Rpc wire = Rpc.of(ctx, DeclaredSettings.SERVICE);
    String player = ctx.unique("player");
    String foreign = wire.<ListResponse>ok("list", ListRequest.newBuilder().setScope(Scope.PLAYER)
        .setPlayerId(ctx.unique("player")).setPage(PageRequest.newBuilder().setPageSize(1)).build())
        .getPage().getNextPageToken();
    List<Bad> cases = new ArrayList<>(List.of(
        bad("no scope", "scope", ListRequest.getDefaultInstance()),
        bad("PLAYER scope without player_id", "player_id", ListRequest.newBuilder().setScope(Scope.PLAYER).build()),
        bad("GLOBAL scope with a player_id", "player_id", ListRequest.newBuilder().setScope(Scope.GLOBAL)
            .setPlayerId(player).build()),
        bad("page_size 101", "page", listPage(player, 101, "")),
        bad("page_size -1", "page", listPage(player, -1, "")),
        bad("page_token never issued", "page", listPage(player, 1, "nh-not-a-token"))));
    if (!foreign.isEmpty()) {
      cases.add(bad("page_token of another player's listing", "page", listPage(player, 1, foreign)));
    }
    wire.failsOnEach("list", cases);
  }

  private static ListRequest listPage(String player, int size, String token) {
    return ListRequest.newBuilder().setScope(Scope.PLAYER).setPlayerId(player)
        .setPage(PageRequest.newBuilder().setPageSize(size).setPageToken(token)).build();
  }

  private static void deleteFallsBack(CheckContext ctx) {
    Fixture f = Fixture.of(ctx);
    f.put(f.value(), 0);
    Setting answer = f.wire().ok("delete", f.deleteRequest(1));
    assertFallsBack(f, answer, "in delete's answer");
    assertFallsBack(f, f.get(), "after the delete");
    assertThat(f.put(f.value(), 0).getMeta().getVersion()).as("version of a put after the delete").isEqualTo(1);
  }

  private static void deleteNotFound(CheckContext ctx) {
    Fixture f = Fixture.of(ctx);
    f.wire().fails("delete", f.deleteRequest(0), Code.NOT_FOUND);
    f.wire().fails("delete", DeleteRequest.newBuilder().setKey(ctx.unique("nh.undeclared")).setScope(Scope.PLAYER)
        .setPlayerId(f.player()).build(), Code.NOT_FOUND);
  }

  private static void deleteCas(CheckContext ctx) {
    Fixture f = Fixture.of(ctx);
    f.put(f.value(), 0);
    f.put(f.value(), 1);
    f.wire().fails("delete", f.deleteRequest(1), Code.ABORTED);
    Setting still = f.get();
    assertThat(still.getSource()).as("source after the stale delete").isEqualTo(ValueSource.VALUE_SOURCE_PLAYER);
    assertThat(still.getMeta().getVersion()).isEqualTo(2);
  }

  private static void deleteExpired(CheckContext ctx) {
    Fixture f = Fixture.of(ctx);
    f.put(f.value(), 0);
    f.wire().call("delete").expiredDeadline().fails(f.deleteRequest(0), Code.DEADLINE_EXCEEDED);
    assertThat(f.get().getSource()).as("source after the expired delete").isEqualTo(ValueSource.VALUE_SOURCE_PLAYER);
  }
}
