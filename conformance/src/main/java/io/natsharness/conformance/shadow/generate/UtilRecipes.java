package io.natsharness.conformance.shadow.generate;

import com.google.rpc.Code;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.proto.common.v1.ResourceRef;
import io.natsharness.proto.util.payment.v1.ChargeRequest;
import io.natsharness.proto.util.payment.v1.CreateWalletRequest;
import io.natsharness.proto.util.payment.v1.GetBalanceRequest;
import io.natsharness.proto.util.payment.v1.ListTransactionsRequest;
import io.natsharness.proto.util.payment.v1.RefundRequest;
import io.natsharness.proto.util.payment.v1.Transaction;
import io.natsharness.proto.util.payment.v1.Wallet;
import io.natsharness.proto.util.perfmode.v1.GetModeRequest;
import io.natsharness.proto.util.perfmode.v1.HardwareProfile;
import io.natsharness.proto.util.perfmode.v1.Mode;
import io.natsharness.proto.util.perfmode.v1.RecommendRequest;
import io.natsharness.proto.util.perfmode.v1.SetModeRequest;
import io.natsharness.proto.util.settings.v1.DeleteRequest;
import io.natsharness.proto.util.settings.v1.GetRequest;
import io.natsharness.proto.util.settings.v1.ListRequest;
import io.natsharness.proto.util.settings.v1.ListResponse;
import io.natsharness.proto.util.settings.v1.PutRequest;
import io.natsharness.proto.util.settings.v1.Scope;
import io.natsharness.proto.util.settings.v1.Setting;
import io.natsharness.proto.util.settings.v1.SettingDefinition;
import io.natsharness.proto.util.settings.v1.SettingValue;
import io.natsharness.proto.util.state.v1.DeleteSlotRequest;
import io.natsharness.proto.util.state.v1.ListSlotsRequest;
import io.natsharness.proto.util.state.v1.LoadRequest;
import io.natsharness.proto.util.state.v1.SaveRequest;
import io.natsharness.proto.util.time.v1.NowRequest;
import io.natsharness.proto.util.time.v1.PauseRequest;
import io.natsharness.proto.util.time.v1.ResumeRequest;
import io.natsharness.proto.util.time.v1.SetScaleRequest;
import io.natsharness.proto.util.weather.v1.ClearOverrideRequest;
import io.natsharness.proto.util.weather.v1.Condition;
import io.natsharness.proto.util.weather.v1.ForecastRequest;
import io.natsharness.proto.util.weather.v1.GetWeatherRequest;
import io.natsharness.proto.util.weather.v1.SetOverrideRequest;

/** Recipes of the util domain: payment, performance_mode, settings, state_manager, time_manager, weather_manager. */
final class UtilRecipes {

  private UtilRecipes() {}

  static Money money(String currency, long units) {
    return Money.newBuilder().setCurrency(currency).setMinorUnits(units).build();
  }

  static void payment(RecipeContext r) {
    Values v = r.values();
    String owner = v.id("owner");
    long opening = 1000 + v.between(0, 500);
    r.call("create_wallet").as("wallet").request(CreateWalletRequest.newBuilder().setOwnerId(owner)
        .addInitialBalances(money("EUR", 5000)).addInitialBalances(money("GEM", opening)).build());
    r.call("get_balance").request(b -> GetBalanceRequest.newBuilder()
        .setWalletId(b.get("wallet", Wallet.class).getWalletId()).build());
    long price = v.between(100, 300);
    String reason = "buy " + v.words(2);
    r.call("charge").as("charge").request(b -> ChargeRequest.newBuilder()
        .setWalletId(b.get("wallet", Wallet.class).getWalletId()).setAmount(money("GEM", price))
        .setReason(reason).setReference(ResourceRef.newBuilder().setKind("item").setId("iron-sword")).build());
    r.call("refund").request(b -> RefundRequest.newBuilder()
        .setChargeId(b.get("charge", Transaction.class).getTransactionId()).setAmount(money("GEM", price / 2))
        .setReason("half back").build());
    r.call("charge").as("overdraft").expect(Code.FAILED_PRECONDITION).request(b -> ChargeRequest.newBuilder()
        .setWalletId(b.get("wallet", Wallet.class).getWalletId()).setAmount(money("GEM", 1_000_000)).build());
    r.call("list_transactions").request(b -> ListTransactionsRequest.newBuilder()
        .setWalletId(b.get("wallet", Wallet.class).getWalletId())
        .setPage(PageRequest.newBuilder().setPageSize(10)).build());
    r.call("get_balance").as("unknown_wallet").expect(Code.NOT_FOUND)
        .request(GetBalanceRequest.newBuilder().setWalletId("wal-" + v.id("none")).build());
  }

  static void performanceMode(RecipeContext r) {
    Values v = r.values();
    String client = v.id("client");
    r.call("get_mode").as("default_mode").request(GetModeRequest.newBuilder().setClientId(client).build());
    r.call("set_mode").request(SetModeRequest.newBuilder().setClientId(client)
        .setMode(v.pick(java.util.List.of(Mode.LOW, Mode.HIGH, Mode.ULTRA))).build());
    r.call("get_mode").request(GetModeRequest.newBuilder().setClientId(client).build());
    r.call("recommend").request(RecommendRequest.newBuilder().setProfile(HardwareProfile.newBuilder()
        .setCpuCores(v.between(2, 16)).setRamMb(v.between(2048, 32768)).setGpuVramMb(v.between(0, 12288))
        .setOnBattery(v.between(0, 1) == 1)).build());
  }

  static void settings(RecipeContext r) {
    Values v = r.values();
    String player = v.id("player");
    String word = v.words(1);
    r.call("list").as("catalogue").request(ListRequest.newBuilder().setScope(Scope.PLAYER).setPlayerId(player)
        .setPage(PageRequest.newBuilder().setPageSize(100)).build());
    r.call("get").request(b -> GetRequest.newBuilder().setKey(playerKey(b).getKey()).setScope(Scope.GLOBAL).build());
    r.call("put").request(b -> PutRequest.newBuilder().setKey(playerKey(b).getKey()).setScope(Scope.PLAYER)
        .setPlayerId(player).setValue(validValue(playerKey(b), word)).build());
    r.call("get").as("player_value").request(b -> GetRequest.newBuilder().setKey(playerKey(b).getKey())
        .setScope(Scope.PLAYER).setPlayerId(player).build());
    r.call("delete").request(b -> DeleteRequest.newBuilder().setKey(playerKey(b).getKey()).setScope(Scope.PLAYER)
        .setPlayerId(player).build());
    r.call("get").as("undeclared").expect(Code.NOT_FOUND).request(GetRequest.newBuilder()
        .setKey(v.id("no.such.key").replace('-', '.')).setScope(Scope.GLOBAL).build());
  }

  /** A key the catalogue declares for both scopes (the listing answers only PLAYER-scoped ones). */
  private static SettingDefinition playerKey(Bindings b) {
    ListResponse list = b.get("catalogue", ListResponse.class);
    return list.getSettingsList().stream().map(Setting::getDefinition)
        .filter(d -> d.getScopesList().contains(Scope.GLOBAL) && d.getScopesList().contains(Scope.PLAYER))
        .findFirst()
        .orElseThrow(() -> new Bindings.UnboundException("the settings catalogue has no key declared for both scopes"));
  }

  /** A value the definition accepts (built per side, so it uses no {@link Values}: only its arguments): inside the range, one of the allowed values, or the default flipped. */
  private static SettingValue validValue(SettingDefinition d, String word) {
    return switch (d.getType()) {
      case BOOL -> SettingValue.newBuilder().setBoolValue(!d.getDefaultValue().getBoolValue()).build();
      case INT64 -> {
        long lo = d.hasMin() ? d.getMin().getInt64Value() : 0;
        long hi = d.hasMax() ? d.getMax().getInt64Value() : lo + 100;
        yield SettingValue.newBuilder().setInt64Value(lo + (hi - lo) / 2).build();
      }
      case DOUBLE -> {
        double lo = d.hasMin() ? d.getMin().getDoubleValue() : 0;
        double hi = d.hasMax() ? d.getMax().getDoubleValue() : lo + 1;
        yield SettingValue.newBuilder().setDoubleValue(lo + (hi - lo) / 4).build();
      }
      case STRING -> SettingValue.newBuilder().setStringValue(d.getAllowedValuesCount() > 0
          ? d.getAllowedValues(d.getAllowedValuesCount() - 1) : word).build();
      default -> d.getDefaultValue();
    };
  }

  static void stateManager(RecipeContext r) {
    Values v = r.values();
    String player = v.id("player");
    String slot = v.pick(java.util.List.of("autosave", "slot-1", "quicksave"));
    r.call("save").request(SaveRequest.newBuilder().setPlayerId(player).setSlot(slot).setPayload(v.bytes(256))
        .setLabel(v.title(2)).putMetadata("level", String.valueOf(v.between(1, 60))).build());
    r.call("load").request(LoadRequest.newBuilder().setPlayerId(player).setSlot(slot).build());
    r.call("list_slots").request(ListSlotsRequest.newBuilder().setPlayerId(player).build());
    r.call("delete_slot").request(DeleteSlotRequest.newBuilder().setPlayerId(player).setSlot(slot).build());
    r.call("load").as("deleted_slot").expect(Code.NOT_FOUND)
        .request(LoadRequest.newBuilder().setPlayerId(player).setSlot(slot).build());
  }

  /**
   * The clock of world "default": scale 1 first, so the game hour that weather and descriptions
   * read stays the same for the rest of the run on every side (at the initial scale of 60 an hour
   * boundary could fall between two sides' calls).
   */
  static void timeManager(RecipeContext r) {
    r.call("set_scale").request(SetScaleRequest.newBuilder().setScale(1.0).build());
    r.call("now").request(NowRequest.getDefaultInstance());
    r.call("pause").request(PauseRequest.getDefaultInstance());
    r.call("resume").request(ResumeRequest.getDefaultInstance());
    r.call("now").as("unknown_world").expect(Code.NOT_FOUND)
        .request(NowRequest.newBuilder().setWorldId(r.values().id("world")).build());
  }

  static void weather(RecipeContext r) {
    Values v = r.values();
    String region = v.id("coast");
    long hour = v.between(0, 500);
    r.call("get_weather").request(GetWeatherRequest.newBuilder().setRegion(region).setGameHour(hour).build());
    r.call("forecast").request(ForecastRequest.newBuilder().setRegion(region).setHours(6).setFromGameHour(hour).build());
    r.call("set_override").request(SetOverrideRequest.newBuilder().setRegion(region).setCondition(Condition.STORM)
        .setTemperatureCelsius(-3).setStartGameHour(hour).setDurationHours(48).build());
    r.call("get_weather").as("overridden").request(GetWeatherRequest.newBuilder().setRegion(region)
        .setGameHour(hour + 1).build());
    r.call("clear_override").request(ClearOverrideRequest.newBuilder().setRegion(region).build());
    r.call("get_weather").as("current_hour").request(GetWeatherRequest.newBuilder().setRegion(region).build());
    r.call("clear_override").as("no_override").expect(Code.NOT_FOUND)
        .request(ClearOverrideRequest.newBuilder().setRegion(region).build());
  }
}
