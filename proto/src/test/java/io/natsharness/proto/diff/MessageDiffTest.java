package io.natsharness.proto.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.proto.ai.llm.v1.InferChunk;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.common.v1.ErrorDetail;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.common.v1.RecordMeta;
import io.natsharness.proto.common.v1.Vector3;
import io.natsharness.proto.game.world.v1.Entity;
import io.natsharness.proto.infra.auth.v1.TokenClaims;
import io.natsharness.proto.util.payment.v1.ListTransactionsResponse;
import io.natsharness.proto.util.payment.v1.Transaction;
import io.natsharness.proto.util.payment.v1.TransactionKind;
import io.natsharness.proto.util.payment.v1.Wallet;
import io.natsharness.proto.util.settings.v1.SettingValue;
import io.natsharness.proto.util.weather.v1.WeatherOverride;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("MessageDiff")
class MessageDiffTest {

  private static final ServiceCatalog CATALOG = ServiceCatalog.load();

  private static List<Difference> diff(com.google.protobuf.Message p, com.google.protobuf.Message c) {
    return MessageDiff.compare(p, c, DiffRules.none());
  }

  private static List<Difference> diff(com.google.protobuf.Message p, com.google.protobuf.Message c, DiffRules rules) {
    return MessageDiff.compare(p, c, rules);
  }

  private static Difference d(String path, DifferenceKind kind, String p, String c) {
    return new Difference(path, kind, p, c);
  }

  private static Transaction txn(String id, long units) {
    return Transaction.newBuilder().setTransactionId(id).setKind(TransactionKind.CHARGE)
        .setAmount(Money.newBuilder().setCurrency("GEM").setMinorUnits(units)).build();
  }

  private static Timestamp ts(long seconds, int nanos) {
    return Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build();
  }

  @Nested
  @DisplayName("values")
  class Values {

    @Test
    @DisplayName("equal messages have no difference")
    void equal() {
      Wallet w = Wallet.newBuilder().setWalletId("wal-1").setOwnerId("ann").build();
      assertThat(diff(w, w.toBuilder().build())).isEmpty();
    }

    @Test
    @DisplayName("a changed nested number is a VALUE difference at its full path")
    void nestedNumber() {
      Transaction p = txn("txn-1", 500);
      Transaction c = txn("txn-1", 450);
      assertThat(diff(p, c)).containsExactly(d("amount.minor_units", DifferenceKind.VALUE, "500", "450"));
    }

    @Test
    @DisplayName("strings are quoted JSON; an empty one on one side is MISSING or EXTRA")
    void strings() {
      Wallet p = Wallet.newBuilder().setWalletId("wal-1").setOwnerId("ann").build();
      Wallet c = Wallet.newBuilder().setWalletId("wal-2").build();
      assertThat(diff(p, c)).containsExactly(
          d("wallet_id", DifferenceKind.VALUE, "\"wal-1\"", "\"wal-2\""),
          d("owner_id", DifferenceKind.MISSING, "\"ann\"", Difference.ABSENT));
      assertThat(diff(c, p)).contains(d("owner_id", DifferenceKind.EXTRA, Difference.ABSENT, "\"ann\""));
    }

    @Test
    @DisplayName("enums compare by number and show their names; zero is a value, not an absence")
    void enums() {
      Transaction p = Transaction.newBuilder().setKind(TransactionKind.CHARGE).build();
      Transaction c = Transaction.newBuilder().setKind(TransactionKind.TRANSACTION_KIND_UNSPECIFIED).build();
      assertThat(diff(p, c)).containsExactly(
          d("kind", DifferenceKind.VALUE, "\"CHARGE\"", "\"TRANSACTION_KIND_UNSPECIFIED\""));
    }

    @Test
    @DisplayName("a message set on one side only is MISSING or EXTRA, once, with its JSON")
    void messagePresence() {
      Transaction p = txn("txn-1", 5);
      Transaction c = p.toBuilder().clearAmount().build();
      assertThat(diff(p, c)).containsExactly(
          d("amount", DifferenceKind.MISSING, "{\"currency\":\"GEM\",\"minor_units\":\"5\"}", Difference.ABSENT));
    }

    @Test
    @DisplayName("an unset message equals an empty one, as in JSON")
    void emptyMessageEqualsUnset() {
      Wallet p = Wallet.newBuilder().setMeta(RecordMeta.getDefaultInstance()).build();
      assertThat(diff(p, Wallet.getDefaultInstance())).isEmpty();
    }

    @Test
    @DisplayName("a proto3 optional field set to zero differs from an unset one")
    void explicitPresence() {
      WeatherOverride p = WeatherOverride.newBuilder().setTemperatureCelsius(0).build();
      assertThat(diff(p, WeatherOverride.getDefaultInstance()))
          .containsExactly(d("temperature_celsius", DifferenceKind.MISSING, "0.0", Difference.ABSENT));
    }

    @Test
    @DisplayName("different members of a oneof are a TYPE difference at the oneof")
    void oneofs() {
      SettingValue p = SettingValue.newBuilder().setInt64Value(5).build();
      SettingValue c = SettingValue.newBuilder().setDoubleValue(5).build();
      assertThat(diff(p, c)).containsExactly(
          d("kind", DifferenceKind.TYPE, "int64_value: 5", "double_value: 5.0"));
      assertThat(diff(p, SettingValue.getDefaultInstance()))
          .containsExactly(d("int64_value", DifferenceKind.MISSING, "5", Difference.ABSENT));
      assertThat(diff(p, SettingValue.newBuilder().setInt64Value(6).build()))
          .containsExactly(d("int64_value", DifferenceKind.VALUE, "5", "6"));
    }

    @Test
    @DisplayName("timestamps compare as instants and show as RFC 3339")
    void timestamps() {
      RecordMeta p = RecordMeta.newBuilder().setCreatedAt(ts(1_700_000_000L, 0)).build();
      RecordMeta c = RecordMeta.newBuilder().setCreatedAt(ts(1_700_000_001L, 500_000_000)).build();
      assertThat(diff(p, c)).containsExactly(d("created_at", DifferenceKind.VALUE,
          "\"2023-11-14T22:13:20Z\"", "\"2023-11-14T22:13:21.500Z\""));
    }
  }

  @Nested
  @DisplayName("lists and maps")
  class ListsAndMapsTests {

    @Test
    @DisplayName("a longer list is a SIZE difference plus the extra element")
    void longer() {
      ListTransactionsResponse p = ListTransactionsResponse.newBuilder().addTransactions(txn("a", 1)).build();
      ListTransactionsResponse c = p.toBuilder().addTransactions(txn("b", 2)).build();
      List<Difference> diffs = diff(p, c);
      assertThat(diffs).hasSize(2);
      assertThat(diffs.get(0)).isEqualTo(d("transactions", DifferenceKind.SIZE, "1", "2"));
      assertThat(diffs.get(1).path()).isEqualTo("transactions[1]");
      assertThat(diffs.get(1).kind()).isEqualTo(DifferenceKind.EXTRA);
      assertThat(diffs.get(1).field()).isEqualTo("transactions");
    }

    @Test
    @DisplayName("the same elements in another order are one ORDER difference")
    void reordered() {
      ListTransactionsResponse p = ListTransactionsResponse.newBuilder()
          .addTransactions(txn("a", 1)).addTransactions(txn("b", 2)).build();
      ListTransactionsResponse c = ListTransactionsResponse.newBuilder()
          .addTransactions(txn("b", 2)).addTransactions(txn("a", 1)).build();
      List<Difference> diffs = diff(p, c);
      assertThat(diffs).extracting(Difference::path, Difference::kind)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("transactions", DifferenceKind.ORDER));
    }

    @Test
    @DisplayName("a few swapped elements among many equal ones are still one ORDER difference")
    void partlyReordered() {
      ListTransactionsResponse.Builder p = ListTransactionsResponse.newBuilder();
      for (int i = 0; i < 20; i++) {
        p.addTransactions(txn("t" + i, i));
      }
      ListTransactionsResponse c = p.build().toBuilder().setTransactions(3, txn("t7", 7)).setTransactions(7, txn("t3", 3))
          .build();
      assertThat(diff(p.build(), c)).extracting(Difference::path, Difference::kind)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("transactions", DifferenceKind.ORDER));
    }

    @Test
    @DisplayName("changed elements are compared index by index")
    void changedElement() {
      ListTransactionsResponse p = ListTransactionsResponse.newBuilder()
          .addTransactions(txn("a", 1)).addTransactions(txn("b", 2)).build();
      ListTransactionsResponse c = ListTransactionsResponse.newBuilder()
          .addTransactions(txn("a", 1)).addTransactions(txn("b", 3)).build();
      assertThat(diff(p, c)).containsExactly(
          d("transactions[1].amount.minor_units", DifferenceKind.VALUE, "2", "3"));
    }

    @Test
    @DisplayName("a list compared as a set ignores order and reports what is missing and extra")
    void sets() {
      TokenClaims p = TokenClaims.newBuilder().addScopes("a").addScopes("b").addScopes("c").build();
      TokenClaims c = TokenClaims.newBuilder().addScopes("c").addScopes("a").addScopes("d").build();
      DiffRules rules = DiffRules.builder().withUnorderedList("scopes").build();
      assertThat(diff(p, c, rules)).containsExactly(
          d("scopes[1]", DifferenceKind.MISSING, "\"b\"", Difference.ABSENT),
          d("scopes[2]", DifferenceKind.EXTRA, Difference.ABSENT, "\"d\""));
    }

    @Test
    @DisplayName("a keyed set pairs elements by key and compares the pairs")
    void keyedSets() {
      ListTransactionsResponse p = ListTransactionsResponse.newBuilder()
          .addTransactions(txn("a", 1)).addTransactions(txn("b", 2)).build();
      ListTransactionsResponse c = ListTransactionsResponse.newBuilder()
          .addTransactions(txn("b", 5)).addTransactions(txn("a", 1)).build();
      DiffRules rules = DiffRules.builder().withUnorderedList("transactions", "transaction_id").build();
      assertThat(diff(p, c, rules)).containsExactly(
          d("transactions[1].amount.minor_units", DifferenceKind.VALUE, "2", "5"));
    }

    @Test
    @DisplayName("map entries are matched by key, in key order")
    void maps() {
      Entity p = Entity.newBuilder().putAttributes("b", "1").putAttributes("a", "x").putAttributes("c", "3").build();
      Entity c = Entity.newBuilder().putAttributes("c", "3").putAttributes("a", "y").putAttributes("d", "4").build();
      assertThat(diff(p, c)).containsExactly(
          d("attributes[\"a\"]", DifferenceKind.VALUE, "\"x\"", "\"y\""),
          d("attributes[\"b\"]", DifferenceKind.MISSING, "\"1\"", Difference.ABSENT),
          d("attributes[\"d\"]", DifferenceKind.EXTRA, Difference.ABSENT, "\"4\""));
      assertThat(diff(p, c).get(0).field()).isEqualTo("attributes");
    }
  }

  @Nested
  @DisplayName("rules")
  class Rules {

    @Test
    @DisplayName("an ignored path hides its subtree in every list element")
    void ignore() {
      ListTransactionsResponse p = ListTransactionsResponse.newBuilder().addTransactions(txn("a", 1)).build();
      ListTransactionsResponse c = ListTransactionsResponse.newBuilder().addTransactions(txn("a", 2)).build();
      assertThat(diff(p, c, DiffRules.builder().withIgnored("transactions.amount").build())).isEmpty();
      assertThat(diff(p, c, DiffRules.builder().withIgnored("**.minor_units").build())).isEmpty();
      assertThat(diff(p, c, DiffRules.builder().withIgnored("*.minor_units").build())).hasSize(1);
    }

    @Test
    @DisplayName("numbers within the absolute or relative tolerance are equal")
    void numericTolerance() {
      Vector3 p = Vector3.newBuilder().setX(100).setY(1).build();
      Vector3 c = Vector3.newBuilder().setX(100.5).setY(1.02).build();
      DiffRules rules = DiffRules.builder().withNumericTolerance("x", 0, 0.01).withNumericTolerance("y", 0.01, 0).build();
      assertThat(diff(p, c, rules)).containsExactly(d("y", DifferenceKind.VALUE, "1.0", "1.02"));
    }

    @Test
    @DisplayName("the rule added last wins, so method rules refine defaults")
    void lastRuleWins() {
      Vector3 p = Vector3.newBuilder().setX(1).build();
      Vector3 c = Vector3.newBuilder().setX(1.5).build();
      DiffRules defaults = DiffRules.builder().withNumericTolerance("**", 1, 0).build();
      DiffRules strict = DiffRules.builder().withNumericTolerance("x", 0, 0).build();
      assertThat(diff(p, c, defaults)).isEmpty();
      assertThat(diff(p, c, defaults.merge(strict))).hasSize(1);
    }

    @Test
    @DisplayName("timestamps within the tolerance are equal")
    void timestampTolerance() {
      RecordMeta p = RecordMeta.newBuilder().setCreatedAt(ts(100, 0)).setUpdatedAt(ts(100, 0)).build();
      RecordMeta c = RecordMeta.newBuilder().setCreatedAt(ts(101, 0)).setUpdatedAt(ts(103, 0)).build();
      DiffRules rules = DiffRules.builder().withTimestampTolerance("**", Duration.ofSeconds(2)).build();
      assertThat(diff(p, c, rules)).extracting(Difference::path).containsExactly("updated_at");
    }

    @Test
    @DisplayName("remapped ids may differ when they map one to one, also inside other strings")
    void ids() {
      Transaction p = Transaction.newBuilder().setTransactionId("txn-aaaa").setChargeId("txn-aaaa").setReason("for txn-aaaa").build();
      Transaction c = Transaction.newBuilder().setTransactionId("txn-bbbb").setChargeId("txn-bbbb").setReason("for txn-bbbb").build();
      DiffRules rules = DiffRules.builder().withRemappedIds("transaction_id").withRemappedIds("charge_id").build();
      assertThat(diff(p, c, rules)).isEmpty();
      Transaction broken = c.toBuilder().setChargeId("txn-cccc").build();
      assertThat(diff(p, broken, rules)).containsExactly(d("charge_id", DifferenceKind.VALUE, "\"txn-aaaa\"",
          "\"txn-cccc\" (\"txn-aaaa\" was \"txn-bbbb\" before)"));
    }

    @Test
    @DisplayName("an id mapping carries over to later comparisons of the session")
    void idsAcrossAnswers() {
      MethodInfo get = CATALOG.method("svc.util.payment.v1.get_balance").orElseThrow();
      DiffRules rules = DiffRules.builder().withRemappedIds("wallet_id").build();
      IdMap ids = IdMap.create();
      Answer p1 = Answer.of(Wallet.newBuilder().setWalletId("wal-p1").build());
      Answer c1 = Answer.of(Wallet.newBuilder().setWalletId("wal-c1").build());
      assertThat(MessageDiff.compare(get, p1, c1, rules, ids)).isEmpty();
      Answer c2 = Answer.of(Wallet.newBuilder().setWalletId("wal-c2").build());
      assertThat(MessageDiff.compare(get, p1, c2, rules, ids)).hasSize(1);
      assertThat(ids.pairs()).containsEntry("wal-p1", "wal-c1");
    }
  }

  @Nested
  @DisplayName("answers")
  class Answers {

    private final MethodInfo charge = CATALOG.method("svc.util.payment.v1.charge").orElseThrow();
    private final MethodInfo stream = CATALOG.method("svc.ai.llm.v1.infer_stream").orElseThrow();

    @Test
    @DisplayName("a message against an error is ERROR_VS_SUCCESS at @status")
    void errorVersusSuccess() {
      List<Difference> diffs = MessageDiff.compare(charge, Answer.of(txn("a", 1)),
          Answer.error(Code.NOT_FOUND, "no wallet wal-1"), DiffRules.none());
      assertThat(diffs).containsExactly(
          d("@status", DifferenceKind.ERROR_VS_SUCCESS, "\"OK\"", "\"NOT_FOUND: no wallet wal-1\""));
    }

    @Test
    @DisplayName("two errors compare code, message and unpacked details")
    void twoErrors() {
      Status p = Status.newBuilder().setCode(Code.FAILED_PRECONDITION_VALUE).setMessage("balance too low")
          .addDetails(Any.pack(ErrorDetail.newBuilder().setReason("INSUFFICIENT_FUNDS").build())).build();
      Status c = Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage("balance too low")
          .addDetails(Any.pack(ErrorDetail.newBuilder().setReason("FIELD_INVALID").build())).build();
      assertThat(MessageDiff.compare(charge, Answer.error(p), Answer.error(c), DiffRules.none())).containsExactly(
          d("@status.code", DifferenceKind.STATUS_CODE, "\"FAILED_PRECONDITION\"", "\"INVALID_ARGUMENT\""),
          d("@status.details[0].reason", DifferenceKind.VALUE, "\"INSUFFICIENT_FUNDS\"", "\"FIELD_INVALID\""));
    }

    @Test
    @DisplayName("error messages can be ignored with @status.message")
    void ignoredMessage() {
      DiffRules rules = DiffRules.builder().withIgnored("@status.message").build();
      assertThat(MessageDiff.compare(charge, Answer.error(Code.NOT_FOUND, "a"), Answer.error(Code.NOT_FOUND, "b"), rules))
          .isEmpty();
      assertThat(MessageDiff.compare(charge, Answer.error(Code.NOT_FOUND, "a"), Answer.error(Code.NOT_FOUND, "b"),
          DiffRules.none())).containsExactly(d("@status.message", DifferenceKind.VALUE, "\"a\"", "\"b\""));
    }

    @Test
    @DisplayName("streams compare message by message, then their ends")
    void streams() {
      InferChunk a = InferChunk.newBuilder().setText("Hello").setIndex(0).build();
      InferChunk b = InferChunk.newBuilder().setText(" world").setIndex(1).build();
      InferChunk b2 = InferChunk.newBuilder().setText(" there").setIndex(1).build();
      Status cut = Status.newBuilder().setCode(Code.UNAVAILABLE_VALUE).setMessage("gone").build();
      assertThat(MessageDiff.compare(stream, Answer.stream(List.of(a, b)), Answer.stream(List.of(a, b2), cut),
          DiffRules.none())).containsExactly(
          d("@stream[1].text", DifferenceKind.VALUE, "\" world\"", "\" there\""),
          d("@status", DifferenceKind.ERROR_VS_SUCCESS, "\"OK\"", "\"UNAVAILABLE: gone\""));
      assertThat(MessageDiff.compare(stream, Answer.stream(List.of(a, b)), Answer.stream(List.of(a)), DiffRules.none()))
          .extracting(Difference::path, Difference::kind).containsExactly(
              org.assertj.core.groups.Tuple.tuple("@stream", DifferenceKind.SIZE),
              org.assertj.core.groups.Tuple.tuple("@stream[1]", DifferenceKind.MISSING));
    }

    @Test
    @DisplayName("an error before the first stream message equals a plain error")
    void earlyStreamError() {
      Status refused = Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage("empty prompt").build();
      assertThat(MessageDiff.compare(stream, Answer.error(refused), Answer.stream(List.of(), refused), DiffRules.none()))
          .isEmpty();
    }

    @Test
    @DisplayName("an answer of another type, or an unreadable one, is a TYPE difference of the whole answer")
    void types() {
      assertThat(MessageDiff.compare(charge, Answer.of(txn("a", 1)), Answer.of(Wallet.getDefaultInstance()),
          DiffRules.none())).containsExactly(
          d("", DifferenceKind.TYPE, "\"util.payment.v1.Transaction\"", "\"util.payment.v1.Wallet\""));
      assertThat(MessageDiff.compare(charge, Answer.of(txn("a", 1)), Answer.unreadable("not JSON", "<html>"),
          DiffRules.none())).containsExactly(
          d("", DifferenceKind.TYPE, "\"a util.payment.v1.Transaction\"", "\"unreadable: not JSON\""));
    }

    @Test
    @DisplayName("the same inputs always give the same differences in the same order")
    void deterministic() {
      Entity p = Entity.newBuilder().setEntityId("e").putAttributes("z", "1").putAttributes("a", "1")
          .setPosition(Vector3.newBuilder().setX(1)).build();
      Entity c = Entity.newBuilder().setEntityId("f").putAttributes("a", "2").putAttributes("z", "2")
          .setPosition(Vector3.newBuilder().setX(2)).build();
      List<Difference> first = diff(p, c);
      for (int i = 0; i < 5; i++) {
        assertThat(diff(p, c)).isEqualTo(first);
      }
      assertThat(first).extracting(Difference::path)
          .containsExactly("entity_id", "position.x", "attributes[\"a\"]", "attributes[\"z\"]");
    }
  }
}
