package io.natsharness.services.util.settings;

import static io.natsharness.services.util.kit.Calls.assertError;
import static io.natsharness.services.util.kit.Calls.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.nats.client.JetStreamManagement;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.proto.util.settings.v1.DeleteRequest;
import io.natsharness.proto.util.settings.v1.GetRequest;
import io.natsharness.proto.util.settings.v1.ListRequest;
import io.natsharness.proto.util.settings.v1.ListResponse;
import io.natsharness.proto.util.settings.v1.PutRequest;
import io.natsharness.proto.util.settings.v1.Scope;
import io.natsharness.proto.util.settings.v1.Setting;
import io.natsharness.proto.util.settings.v1.SettingChanged;
import io.natsharness.proto.util.settings.v1.SettingValue;
import io.natsharness.proto.util.settings.v1.ValueSource;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.util.kit.Calls;
import io.natsharness.services.util.kit.Hosted;
import io.natsharness.services.util.kit.StoredEvents;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("settings")
class SettingsServiceTest {

  static Hosted hosted;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    hosted = Hosted.start(info, "settings");
  }

  @AfterAll
  static void stop() {
    if (hosted != null) {
      hosted.close();
    }
  }

  static Calls calls(RpcClient client) {
    return new Calls(client, "svc.util.settings.v1");
  }

  static String player() {
    return "p-" + UUID.randomUUID();
  }

  static SettingValue doubleValue(double v) {
    return SettingValue.newBuilder().setDoubleValue(v).build();
  }

  static SettingValue intValue(long v) {
    return SettingValue.newBuilder().setInt64Value(v).build();
  }

  static SettingValue stringValue(String v) {
    return SettingValue.newBuilder().setStringValue(v).build();
  }

  static PutRequest put(String key, Scope scope, String player, SettingValue value) {
    return PutRequest.newBuilder().setKey(key).setScope(scope).setPlayerId(player).setValue(value).build();
  }

  static Setting get(Calls calls, String key, Scope scope, String player) {
    return calls.call("get", GetRequest.newBuilder().setKey(key).setScope(scope).setPlayerId(player).build());
  }

  @Nested
  @DisplayName("get and put")
  class GetAndPut {

    @Test
    @DisplayName("resolves the player's value, then the GLOBAL one, then the default")
    void resolution(RpcClient client) {
      Calls calls = calls(client);
      String player = player();
      // The GLOBAL value is shared by the whole class: restore the default at the end.
      Setting def = get(calls, "gameplay.difficulty", Scope.PLAYER, player);
      assertThat(def.getSource()).isEqualTo(ValueSource.VALUE_SOURCE_DEFAULT);
      assertThat(def.getValue()).isEqualTo(stringValue("normal"));
      assertThat(def.hasMeta()).isFalse();
      calls.call("put", put("gameplay.difficulty", Scope.GLOBAL, "", stringValue("hard")));
      Setting global = get(calls, "gameplay.difficulty", Scope.PLAYER, player);
      assertThat(global.getSource()).isEqualTo(ValueSource.VALUE_SOURCE_GLOBAL);
      assertThat(global.getValue()).isEqualTo(stringValue("hard"));
      assertThat(global.hasMeta()).isFalse();
      Setting own = calls.call("put", put("gameplay.difficulty", Scope.PLAYER, player, stringValue("easy")));
      assertThat(own.getSource()).isEqualTo(ValueSource.VALUE_SOURCE_PLAYER);
      assertThat(get(calls, "gameplay.difficulty", Scope.PLAYER, player)).isEqualTo(own);
      assertThat(own.getDefinition().getAllowedValuesList()).contains("nightmare");
      calls.call("delete", DeleteRequest.newBuilder().setKey("gameplay.difficulty").setScope(Scope.GLOBAL).build());
    }

    @Test
    @DisplayName("accepts an int64 for a DOUBLE key and stores a double")
    void intForDouble(RpcClient client) {
      Setting s = calls(client).call("put", put("audio.master_volume", Scope.PLAYER, player(), intValue(1)));
      assertThat(s.getValue()).isEqualTo(doubleValue(1.0));
    }

    @Test
    @DisplayName("checks type, range, length and allowed values")
    void checksValues(RpcClient client) {
      Calls calls = calls(client);
      String p = player();
      assertInvalid(() -> calls.call("put", put("audio.master_volume", Scope.PLAYER, p, doubleValue(1.5))), "value",
          "value: must be in [0.0, 1.0]");
      assertInvalid(() -> calls.call("put", put("graphics.fov", Scope.PLAYER, p, intValue(121))), "value",
          "value: must be in [60, 120]");
      assertInvalid(() -> calls.call("put", put("graphics.fov", Scope.PLAYER, p, doubleValue(90))), "value",
          "value: must be an INT64 value");
      assertInvalid(() -> calls.call("put", put("audio.muted", Scope.PLAYER, p, stringValue("yes"))), "value",
          "value: must be a BOOL value");
      assertInvalid(() -> calls.call("put", put("player.nickname", Scope.PLAYER, p, stringValue("n".repeat(33)))),
          "value", "value: must be at most 32 characters");
      assertInvalid(() -> calls.call("put", put("ui.theme", Scope.PLAYER, p, stringValue("pink"))), "value",
          "value: must be one of [dark, light, high-contrast]");
      assertInvalid(() -> calls.call("put", put("controls.mouse_sensitivity", Scope.PLAYER, p,
          doubleValue(Double.NaN))), "value", "value: must be a finite number");
      assertInvalid(() -> calls.call("put", PutRequest.newBuilder().setKey("ui.theme").setScope(Scope.PLAYER)
          .setPlayerId(p).build()), "value", "value: is required");
    }

    @Test
    @DisplayName("refuses a missing scope, a wrong player_id, an undeclared scope; an unknown key is NOT_FOUND")
    void checksAddress(RpcClient client) {
      Calls calls = calls(client);
      assertInvalid(() -> get(calls, "ui.theme", Scope.SCOPE_UNSPECIFIED, "p"), "scope", "scope: must be specified");
      assertInvalid(() -> get(calls, "ui.theme", Scope.PLAYER, ""), "player_id", "player_id: must not be empty");
      assertInvalid(() -> get(calls, "server.motd", Scope.GLOBAL, "p"), "player_id",
          "player_id: must be empty for GLOBAL scope");
      assertInvalid(() -> get(calls, "ui.theme", Scope.GLOBAL, ""), "key",
          "key: ui.theme is not declared for GLOBAL scope");
      assertError(() -> get(calls, "no.such.key", Scope.GLOBAL, ""), Code.NOT_FOUND,
          "setting key no.such.key is not in the catalogue");
    }
  }

  @Nested
  @DisplayName("versions and events")
  class Versions {

    @Test
    @DisplayName("put with expected_version is compare-and-set; a mismatch or no record is ABORTED")
    void compareAndSet(RpcClient client) {
      Calls calls = calls(client);
      String p = player();
      assertError(() -> calls.call("put", put("graphics.fov", Scope.PLAYER, p, intValue(100)).toBuilder()
          .setExpectedVersion(1).build()), Code.ABORTED,
          "setting graphics.fov of player " + p + " does not exist, expected version 1");
      calls.call("put", put("graphics.fov", Scope.PLAYER, p, intValue(100)));
      Setting second = calls.call("put", put("graphics.fov", Scope.PLAYER, p, intValue(110)).toBuilder()
          .setExpectedVersion(1).build());
      assertThat(second.getMeta().getVersion()).isEqualTo(2);
      assertError(() -> calls.call("put", put("graphics.fov", Scope.PLAYER, p, intValue(70)).toBuilder()
          .setExpectedVersion(1).build()), Code.ABORTED,
          "setting graphics.fov of player " + p + " is at version 2, expected 1");
    }

    @Test
    @DisplayName("delete falls back, is compare-and-set, NOT_FOUND when nothing is stored, and publishes")
    void delete(RpcClient client, JetStreamManagement jsm) {
      Calls calls = calls(client);
      String p = player();
      calls.call("put", put("ui.theme", Scope.PLAYER, p, stringValue("light")));
      DeleteRequest delete = DeleteRequest.newBuilder().setKey("ui.theme").setScope(Scope.PLAYER).setPlayerId(p)
          .build();
      assertError(() -> calls.call("delete", delete.toBuilder().setExpectedVersion(5).build()), Code.ABORTED,
          "setting ui.theme of player " + p + " is at version 1, expected 5");
      Setting after = calls.call("delete", delete);
      assertThat(after.getSource()).isEqualTo(ValueSource.VALUE_SOURCE_DEFAULT);
      assertThat(after.getValue()).isEqualTo(stringValue("dark"));
      assertError(() -> calls.call("delete", delete), Code.NOT_FOUND,
          "setting ui.theme of player " + p + " does not exist");
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(StoredEvents.payloads(jsm,
          "EVT_UTIL", "evt.util.settings.v1.setting_changed", SettingChanged.parser()))
          .filteredOn(e -> e.getPlayerId().equals(p)).containsExactly(
              SettingChanged.newBuilder().setKey("ui.theme").setScope(Scope.PLAYER).setPlayerId(p)
                  .setValue(stringValue("light")).setVersion(1).build(),
              SettingChanged.newBuilder().setKey("ui.theme").setScope(Scope.PLAYER).setPlayerId(p)
                  .setDeleted(true).setVersion(1).build()));
    }

    @Test
    @DisplayName("a new host on the same Redis reads the stored value")
    void survivesRestart(RpcClient client) {
      Calls calls = calls(client);
      String p = player();
      calls.call("put", put("graphics.vsync", Scope.PLAYER, p, SettingValue.newBuilder().setBoolValue(false).build()));
      hosted.restart();
      assertThat(get(calls, "graphics.vsync", Scope.PLAYER, p).getValue().getBoolValue()).isFalse();
    }
  }

  @Nested
  @DisplayName("list")
  class ListSettings {

    @Test
    @DisplayName("lists every key of the scope with the prefix, in key order, paged")
    void pages(RpcClient client) {
      Calls calls = calls(client);
      String p = player();
      ListRequest request = ListRequest.newBuilder().setScope(Scope.PLAYER).setPlayerId(p).setKeyPrefix("audio.")
          .setPage(PageRequest.newBuilder().setPageSize(2)).build();
      ListResponse first = calls.call("list", request);
      assertThat(first.getSettingsList()).extracting(Setting::getKey)
          .containsExactly("audio.master_volume", "audio.music_volume");
      ListResponse second = calls.call("list", request.toBuilder().setPage(PageRequest.newBuilder().setPageSize(2)
          .setPageToken(first.getPage().getNextPageToken())).build());
      assertThat(second.getSettingsList()).extracting(Setting::getKey).containsExactly("audio.muted");
      assertThat(second.getPage().getNextPageToken()).isEmpty();
      ListResponse global = calls.call("list", ListRequest.newBuilder().setScope(Scope.GLOBAL).build());
      assertThat(global.getSettingsList()).extracting(Setting::getKey).containsExactly("audio.master_volume",
          "audio.music_volume", "chat.profanity_filter", "economy.daily_reward", "events.double_xp",
          "gameplay.difficulty", "gameplay.max_party_size", "server.motd", "ui.language");
    }

    @Test
    @DisplayName("refuses a token of another prefix and a page size over 100")
    void errors(RpcClient client) {
      Calls calls = calls(client);
      ListResponse first = calls.call("list", ListRequest.newBuilder().setScope(Scope.GLOBAL)
          .setPage(PageRequest.newBuilder().setPageSize(1)).build());
      assertInvalid(() -> calls.call("list", ListRequest.newBuilder().setScope(Scope.GLOBAL).setKeyPrefix("a")
          .setPage(PageRequest.newBuilder().setPageToken(first.getPage().getNextPageToken())).build()),
          "page.page_token", "page.page_token: was not issued by this method for the same scope, player and prefix");
      assertInvalid(() -> calls.call("list", ListRequest.newBuilder().setScope(Scope.GLOBAL)
          .setPage(PageRequest.newBuilder().setPageSize(101)).build()), "page.page_size",
          "page.page_size: must be in [0, 100]");
      assertInvalid(() -> calls.call("list", ListRequest.getDefaultInstance()), "scope", "scope: must be specified");
    }
  }
}
