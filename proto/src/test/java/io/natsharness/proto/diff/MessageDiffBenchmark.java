package io.natsharness.proto.diff;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.common.v1.PageResponse;
import io.natsharness.proto.util.payment.v1.ListTransactionsResponse;
import io.natsharness.proto.util.payment.v1.Transaction;
import io.natsharness.proto.util.payment.v1.TransactionKind;
import java.util.Locale;

/**
 * How fast the engine compares: a ledger page of 50 transactions read from proto3 JSON and compared
 * with its protobuf twin, equal and with one changed field, and the same page as a keyed set.
 * Prints figures; asserts nothing (a busy machine is not a failing engine).
 *
 * <pre>
 * ./mvnw -q -o -pl proto exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.natsharness.proto.diff.MessageDiffBenchmark
 * </pre>
 */
public final class MessageDiffBenchmark {

  private MessageDiffBenchmark() {}

  public static void main(String[] args) throws Exception {
    MethodInfo list = ServiceCatalog.load().method("svc.util.payment.v1.list_transactions").orElseThrow();
    ListTransactionsResponse.Builder page = ListTransactionsResponse.newBuilder()
        .setPage(PageResponse.newBuilder().setNextPageToken("tok"));
    for (int i = 0; i < 50; i++) {
      page.addTransactions(Transaction.newBuilder().setTransactionId("txn-" + i).setWalletId("wal-1")
          .setKind(TransactionKind.CHARGE).setAmount(Money.newBuilder().setCurrency("GEM").setMinorUnits(10 + i))
          .setBalanceAfter(Money.newBuilder().setCurrency("GEM").setMinorUnits(1000 - i)).setReason("buy item " + i)
          .setSequence(i + 1).setCreatedAt(Timestamp.newBuilder().setSeconds(1_700_000_000L + i)));
    }
    ListTransactionsResponse nats = page.build();
    String json = JsonFormat.printer().print(nats);
    ListTransactionsResponse changed = nats.toBuilder()
        .setTransactions(25, nats.getTransactions(25).toBuilder().setReason("sell item")).build();
    DiffRules keyed = DiffRules.builder().withUnorderedList("transactions", "transaction_id").build();

    run("read 50-transaction page from JSON", 20_000, () -> AnswerJson.read(list.responseType(), json));
    Answer legacy = AnswerJson.read(list.responseType(), json);
    Answer same = Answer.of(nats);
    Answer other = Answer.of(changed);
    run("compare equal pages", 20_000, () -> MessageDiff.compare(list, legacy, same, DiffRules.none()));
    run("compare pages, one field changed", 20_000, () -> MessageDiff.compare(list, legacy, other, DiffRules.none()));
    run("compare pages as a keyed set", 20_000, () -> MessageDiff.compare(list, legacy, other, keyed));
  }

  private static void run(String what, int n, Runnable op) {
    for (int i = 0; i < n / 4; i++) {
      op.run(); // warm-up
    }
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      op.run();
    }
    double micros = (System.nanoTime() - start) / 1e3 / n;
    System.out.printf(Locale.ROOT, "%-36s %8.1f us/op %10.0f ops/s%n", what, micros, 1e6 / micros);
  }
}
