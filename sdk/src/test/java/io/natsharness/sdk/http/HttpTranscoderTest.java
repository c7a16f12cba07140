package io.natsharness.sdk.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.game.quests.v1.GetPlayerQuestsRequest;
import io.natsharness.proto.game.quests.v1.QuestState;
import io.natsharness.proto.util.payment.v1.ChargeRequest;
import io.natsharness.proto.util.payment.v1.GetBalanceRequest;
import io.natsharness.proto.util.settings.v1.GetRequest;
import io.natsharness.proto.util.settings.v1.Scope;
import io.natsharness.proto.util.weather.v1.ForecastRequest;
import io.natsharness.sdk.status.RpcException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HttpTranscoderTest {

  private static final ServiceCatalog CATALOG = ServiceCatalog.load();
  private static final MethodInfo CHARGE = CATALOG.method("svc.util.payment.v1.charge").orElseThrow();
  private static final MethodInfo GET_BALANCE = CATALOG.method("svc.util.payment.v1.get_balance").orElseThrow();
  private static final MethodInfo SETTINGS_GET = CATALOG.method("svc.util.settings.v1.get").orElseThrow();
  private static final MethodInfo FORECAST = CATALOG.method("svc.util.weather.v1.forecast").orElseThrow();
  private static final MethodInfo PLAYER_QUESTS = CATALOG.method("svc.game.quests.v1.get_player_quests").orElseThrow();

  private final HttpTranscoder http = new HttpTranscoder();

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void assertInvalid(ThrowingCallable call, String field, String message) {
    assertThatThrownBy(call).isInstanceOfSatisfying(RpcException.class, e -> {
      assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
      assertThat(e.statusMessage()).isEqualTo(message);
      assertThat(e.errorDetail().orElseThrow().getField()).isEqualTo(field);
    });
  }

  @Nested
  @DisplayName("body \"*\"")
  class WholeBody {

    @Test
    @DisplayName("the JSON body is the request; path variables set their fields")
    void bodyAndPath() {
      Object request = http.decodeRequest(CHARGE, Map.of("wallet_id", "wal-1"), Map.of(),
          json("{\"amount\":{\"currency\":\"EUR\",\"minorUnits\":\"500\"},\"reason\":\"sword\"}"));
      assertThat(request).isEqualTo(ChargeRequest.newBuilder().setWalletId("wal-1")
          .setAmount(Money.newBuilder().setCurrency("EUR").setMinorUnits(500)).setReason("sword").build());
    }

    @Test
    @DisplayName("proto field names are accepted too")
    void protoNames() {
      Object request = http.decodeRequest(CHARGE, Map.of(), Map.of(),
          json("{\"wallet_id\":\"wal-2\",\"amount\":{\"minor_units\":7}}"));
      assertThat(request).isEqualTo(ChargeRequest.newBuilder().setWalletId("wal-2")
          .setAmount(Money.newBuilder().setMinorUnits(7)).build());
    }

    @Test
    @DisplayName("a path variable wins over the body")
    void pathWins() {
      Object request = http.decodeRequest(CHARGE, Map.of("wallet_id", "from-path"), Map.of(),
          json("{\"walletId\":\"from-body\"}"));
      assertThat(((ChargeRequest) request).getWalletId()).isEqualTo("from-path");
    }

    @Test
    @DisplayName("an empty body is the empty request")
    void emptyBody() {
      assertThat(http.decodeRequest(CHARGE, Map.of(), Map.of(), new byte[0]))
          .isEqualTo(ChargeRequest.getDefaultInstance());
    }

    @Test
    @DisplayName("an unknown JSON field is refused, naming it")
    void unknownField() {
      assertInvalid(() -> http.decodeRequest(CHARGE, Map.of(), Map.of(), json("{\"amout\":{}}")),
          "amout", "amout: unknown field in util.payment.v1.ChargeRequest");
    }

    @Test
    @DisplayName("malformed JSON is INVALID_ARGUMENT")
    void malformed() {
      assertThatThrownBy(() -> http.decodeRequest(CHARGE, Map.of(), Map.of(), json("{\"reason\": ")))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
            assertThat(e.statusMessage()).startsWith("request is not")
                .doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Z]\\w*Exception");
          });
    }

    @Test
    @DisplayName("a value of the wrong type is INVALID_ARGUMENT")
    void wrongType() {
      assertThatThrownBy(() -> http.decodeRequest(CHARGE, Map.of(), Map.of(),
          json("{\"amount\":{\"minorUnits\":\"lots\"}}")))
          .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.statusMessage())
              .startsWith("request is not a valid util.payment.v1.ChargeRequest in proto3 JSON: "));
    }

    @Test
    @DisplayName("query parameters are refused")
    void noQuery() {
      assertInvalid(() -> http.decodeRequest(CHARGE, Map.of(), Map.of("debug", List.of("1")), json("{}")),
          "debug", "debug: query parameter 'debug' is not allowed: "
              + "POST /v1/util/payment/wallets/{wallet_id}/charges takes the whole request in its body");
    }
  }

  @Nested
  @DisplayName("no body")
  class NoBody {

    @Test
    @DisplayName("a path variable alone")
    void pathOnly() {
      assertThat(http.decodeRequest(GET_BALANCE, Map.of("wallet_id", "wal-9"), Map.of(), null))
          .isEqualTo(GetBalanceRequest.newBuilder().setWalletId("wal-9").build());
    }

    @Test
    @DisplayName("query parameters set scalars and enums by name, by proto or JSON name")
    void query() {
      Object request = http.decodeRequest(SETTINGS_GET, Map.of("key", "volume"),
          Map.of("scope", List.of("PLAYER"), "playerId", List.of("p-1")), null);
      assertThat(request).isEqualTo(GetRequest.newBuilder().setKey("volume").setScope(Scope.PLAYER)
          .setPlayerId("p-1").build());
    }

    @Test
    @DisplayName("numbers, including proto3 optional ones, convert from text")
    void numbers() {
      Object request = http.decodeRequest(FORECAST, Map.of("region", "north"),
          Map.of("hours", List.of("12"), "from_game_hour", List.of("40")), null);
      assertThat(request).isEqualTo(ForecastRequest.newBuilder().setRegion("north").setHours(12)
          .setFromGameHour(40).build());
    }

    @Test
    @DisplayName("a repeated field takes every value in order")
    void repeated() {
      Object request = http.decodeRequest(PLAYER_QUESTS, Map.of("player_id", "p-1"),
          Map.of("states", List.of("ACTIVE", "COMPLETED")), null);
      assertThat(request).isEqualTo(GetPlayerQuestsRequest.newBuilder().setPlayerId("p-1")
          .addStates(QuestState.ACTIVE).addStates(QuestState.COMPLETED).build());
    }

    @Test
    @DisplayName("an unknown query parameter is refused, naming it")
    void unknownParameter() {
      assertInvalid(() -> http.decodeRequest(GET_BALANCE, Map.of("wallet_id", "w"),
              Map.of("curency", List.of("EUR")), null),
          "curency", "curency: query parameter 'curency' names no field of util.payment.v1.GetBalanceRequest");
    }

    @Test
    @DisplayName("a singular field given twice is refused")
    void twice() {
      assertInvalid(() -> http.decodeRequest(FORECAST, Map.of("region", "north"),
              Map.of("hours", List.of("1", "2")), null),
          "hours", "hours: query parameter 'hours' is given 2 times but is not repeated");
    }

    @Test
    @DisplayName("a number that is not one is INVALID_ARGUMENT")
    void notANumber() {
      assertThatThrownBy(() -> http.decodeRequest(FORECAST, Map.of("region", "north"),
          Map.of("hours", List.of("many")), null))
          .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.statusMessage())
              .startsWith("request is not a valid util.weather.v1.ForecastRequest in proto3 JSON: "));
    }

    @Test
    @DisplayName("a body is refused")
    void bodyRefused() {
      assertThatThrownBy(() -> http.decodeRequest(GET_BALANCE, Map.of("wallet_id", "w"), Map.of(), json("{}")))
          .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.statusMessage())
              .isEqualTo("GET /v1/util/payment/wallets/{wallet_id}/balance takes no body"));
    }
  }

  @Nested
  @DisplayName("encoding")
  class Encoding {

    @Test
    @DisplayName("encodeJson prints proto3 JSON with every field")
    void encode() {
      assertThat(http.encodeJson(Money.newBuilder().setCurrency("EUR").build()))
          .isEqualTo("{\"currency\":\"EUR\",\"minorUnits\":\"0\"}");
    }

    @Test
    @DisplayName("errorJson prints the Status with typed details, and fromHttp reads it back")
    void errorRoundTrip() {
      RpcException error = RpcException.failedPrecondition("INSUFFICIENT_FUNDS", "balance too low");
      String body = http.errorJson(error);
      assertThat(body).isEqualTo("{\"code\":9,\"message\":\"balance too low\",\"details\":[{"
          + "\"@type\":\"type.googleapis.com/common.v1.ErrorDetail\",\"reason\":\"INSUFFICIENT_FUNDS\","
          + "\"field\":\"\",\"description\":\"balance too low\",\"metadata\":{}}]}");
      RpcException back = http.fromHttp(400, json(body));
      assertThat(back.status()).isEqualTo(error.status());
    }

    @Test
    @DisplayName("fromHttp without a Status body uses the status code and the text")
    void fromHttpText() {
      RpcException e = http.fromHttp(503, json("upstream down"));
      assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
      assertThat(e.statusMessage()).isEqualTo("upstream down");
      assertThat(http.fromHttp(404, null).statusMessage()).isEqualTo("HTTP 404");
    }

    @Test
    @DisplayName("fromHttp refuses a success status")
    void fromHttpSuccess() {
      assertThatThrownBy(() -> http.fromHttp(200, null)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("HTTP 200 is not an error");
    }
  }

  @Test
  @DisplayName("nested query paths build nested messages")
  void nested() {
    RequestParams params = new RequestParams(io.natsharness.proto.util.settings.v1.ListRequest.getDescriptor());
    params.add("query parameter", "page.page_size", List.of("10"));
    params.add("query parameter", "page.pageToken", List.of("t\"1"));
    assertThat(params.toJson()).isEqualTo("{\"page\":{\"page_size\":\"10\",\"page_token\":\"t\\\"1\"}}");
  }
}
