package io.natsharness.services.util.payment;

import io.natsharness.proto.common.v1.PageResponse;
import io.natsharness.proto.util.payment.v1.ListTransactionsResponse;
import io.natsharness.proto.util.payment.v1.Transaction;
import io.natsharness.proto.util.payment.v1.TransactionKind;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * list_transactions over the append-only ledger list: scans from a ledger index in chunks,
 * keeps the entries that pass the filters, and stops when the page is full. The page token
 * carries the ledger index to continue from, so entries appended later can only appear on later
 * pages.
 *
 * <pre>{@code
 * ListTransactionsResponse page = new LedgerPager(ledger).page(walletId, "GEM", CHARGE, 0, 50, tokens);
 * }</pre>
 */
final class LedgerPager {

  private static final int CHUNK = 200;

  private final Ledger ledger;

  LedgerPager(Ledger ledger) {
    this.ledger = ledger;
  }

  ListTransactionsResponse page(String walletId, String currency, TransactionKind kind, long from, int size,
      Function<Optional<Long>, PageResponse> tokens) {
    ListTransactionsResponse.Builder out = ListTransactionsResponse.newBuilder();
    long index = from;
    while (true) {
      List<String> ids = ledger.ledgerIds(walletId, index, CHUNK);
      if (ids.isEmpty()) {
        return out.setPage(tokens.apply(Optional.empty())).build();
      }
      List<Transaction> chunk = ledger.transactions(ids);
      for (Transaction t : chunk) {
        index++;
        if (matches(t, currency, kind)) {
          out.addTransactions(t);
          if (out.getTransactionsCount() == size) {
            boolean more = !ledger.ledgerIds(walletId, index, 1).isEmpty();
            return out.setPage(tokens.apply(more ? Optional.of(index) : Optional.empty())).build();
          }
        }
      }
      if (ids.size() < CHUNK) {
        return out.setPage(tokens.apply(Optional.empty())).build();
      }
    }
  }

  private static boolean matches(Transaction t, String currency, TransactionKind kind) {
    return (currency.isEmpty() || t.getAmount().getCurrency().equals(currency))
        && (kind == TransactionKind.TRANSACTION_KIND_UNSPECIFIED || t.getKind() == kind);
  }
}
