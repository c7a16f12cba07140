package io.natsharness.proto.diff;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.proto.common.v1.ErrorDetail;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.util.payment.v1.Transaction;
import io.natsharness.proto.util.payment.v1.Wallet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("AnswerJson")
class AnswerJsonTest {

  @Nested
  @DisplayName("reading")
  class Reading {

    @Test
    @DisplayName("proto3 JSON becomes a message of the type, whichever field names it uses")
    void readsIntoTheType() {
      Answer a = AnswerJson.read(Wallet.getDescriptor(),
          "{\"walletId\":\"wal-1\",\"owner_id\":\"ann\",\"balances\":[{\"currency\":\"GEM\",\"minorUnits\":\"5\"}]}");
      assertThat(a).isEqualTo(new Answer.Success(Wallet.newBuilder().setWalletId("wal-1").setOwnerId("ann")
          .addBalances(Money.newBuilder().setCurrency("GEM").setMinorUnits(5)).build(), Map.of()));
    }

    @Test
    @DisplayName("keys the type does not have are kept, by path, and compare as EXTRA")
    void unknownKeys() {
      Answer legacy = AnswerJson.read(Wallet.getDescriptor(),
          "{\"walletId\":\"wal-1\",\"legacyFlag\":true,\"balances\":[{\"currency\":\"GEM\",\"cents\":5}]}");
      assertThat(((Answer.Success) legacy).unknownFields())
          .containsExactlyInAnyOrderEntriesOf(Map.of("legacyFlag", "true", "balances[0].cents", "5"));
      Answer nats = Answer.of(Wallet.newBuilder().setWalletId("wal-1")
          .addBalances(Money.newBuilder().setCurrency("GEM")).build());
      assertThat(MessageDiff.compare(Wallet.getDescriptor(), nats, legacy, DiffRules.none()))
          .containsExactly(
              new Difference("balances[0].cents", DifferenceKind.EXTRA, Difference.ABSENT, "5"),
              new Difference("legacyFlag", DifferenceKind.EXTRA, Difference.ABSENT, "true"));
    }

    @Test
    @DisplayName("a body that is not the type is unreadable, saying why")
    void unreadable() {
      Answer html = AnswerJson.read(Wallet.getDescriptor(), "<html>oops</html>");
      assertThat(html).isInstanceOf(Answer.Unreadable.class);
      assertThat(((Answer.Unreadable) html).problem()).startsWith("not a util.payment.v1.Wallet in proto3 JSON: ");
      Answer wrongType = AnswerJson.read(Wallet.getDescriptor(), "{\"balances\":\"many\"}");
      assertThat(wrongType).isInstanceOf(Answer.Unreadable.class);
    }

    @Test
    @DisplayName("an error body becomes a Failure with its details unpacked")
    void errors() {
      Answer a = AnswerJson.readError("{\"code\":9,\"message\":\"too low\",\"details\":[{\"@type\":"
          + "\"type.googleapis.com/common.v1.ErrorDetail\",\"reason\":\"INSUFFICIENT_FUNDS\"}]}");
      assertThat(a).isInstanceOf(Answer.Failure.class);
      Answer.Failure f = (Answer.Failure) a;
      assertThat(f.code()).isEqualTo(Code.FAILED_PRECONDITION);
      assertThat(f.message()).isEqualTo("too low");
      assertThat(f.status().getDetails(0)).isEqualTo(Any.pack(ErrorDetail.newBuilder().setReason("INSUFFICIENT_FUNDS").build()));
      assertThat(AnswerJson.readError("{\"message\":\"no code\"}"))
          .isEqualTo(Answer.unreadable("an error body without an error code", "{\"message\":\"no code\"}"));
    }
  }

  @Nested
  @DisplayName("writing")
  class Writing {

    @Test
    @DisplayName("a message is written with its status and proto field names")
    void message() {
      assertThat(AnswerJson.write(Answer.of(Transaction.newBuilder().setTransactionId("txn-1").setSequence(3).build())))
          .isEqualTo("{\"status\":\"OK\",\"message\":{\"transaction_id\":\"txn-1\",\"sequence\":\"3\"}}");
    }

    @Test
    @DisplayName("an error is written as its google.rpc.Status")
    void error() {
      Status s = Status.newBuilder().setCode(5).setMessage("no wallet")
          .addDetails(Any.pack(ErrorDetail.newBuilder().setField("wallet_id").build())).build();
      assertThat(AnswerJson.write(Answer.error(s))).isEqualTo("{\"status\":\"NOT_FOUND\",\"error\":{\"code\":5,"
          + "\"message\":\"no wallet\",\"details\":[{\"@type\":\"type.googleapis.com/common.v1.ErrorDetail\","
          + "\"field\":\"wallet_id\"}]}}");
    }

    @Test
    @DisplayName("a stream is written as its messages and its end")
    void stream() {
      Status cut = Status.newBuilder().setCode(14).setMessage("gone").build();
      assertThat(AnswerJson.write(Answer.stream(List.of(Transaction.newBuilder().setSequence(1).build()), cut)))
          .isEqualTo("{\"status\":\"UNAVAILABLE\",\"stream\":[{\"sequence\":\"1\"}],\"error\":{\"code\":14,\"message\":\"gone\"}}");
    }

    @Test
    @DisplayName("unknown fields read from JSON are written back as JSON")
    void unknownFields() {
      Answer legacy = AnswerJson.read(Wallet.getDescriptor(), "{\"walletId\":\"w\",\"x\":{\"y\":1}}");
      assertThat(AnswerJson.write(legacy))
          .isEqualTo("{\"status\":\"OK\",\"message\":{\"wallet_id\":\"w\"},\"unknown_fields\":{\"x\":{\"y\":1}}}");
    }
  }
}
