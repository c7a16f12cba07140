package io.natsharness.conformance.contract.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.proto.util.payment.v1.ChargeRequest;
import io.natsharness.proto.util.payment.v1.CreateWalletRequest;
import io.natsharness.proto.util.payment.v1.GetBalanceRequest;
import io.natsharness.proto.util.payment.v1.ListTransactionsRequest;
import io.natsharness.proto.util.payment.v1.ListTransactionsResponse;
import io.natsharness.proto.util.payment.v1.RefundRequest;
import io.natsharness.proto.util.payment.v1.Transaction;
import io.natsharness.proto.util.payment.v1.TransactionKind;
import io.natsharness.proto.util.payment.v1.Wallet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The payment calls the checks set their state up with, and the ledger invariant they all end on:
 * per currency, OPENING + REFUND - CHARGE equals the balance, sequences run 1..n without gaps, and
 * no entry leaves a negative balance.
 */
final class Payments {

  static final String SERVICE = "payment";
  static final String GEM = "GEM";
  static final long MAX_AMOUNT = 1_000_000_000_000_000L;

  final Rpc wire;
  private final CheckContext ctx;

  Payments(CheckContext ctx) {
    this.ctx = ctx;
    this.wire = Rpc.of(ctx, SERVICE);
  }

  static Money money(String currency, long minorUnits) {
    return Money.newBuilder().setCurrency(currency).setMinorUnits(minorUnits).build();
  }

  static Money gems(long minorUnits) {
    return money(GEM, minorUnits);
  }

  /** A wallet of a fresh owner with these opening balances. */
  Wallet wallet(Money... openings) {
    return wire.ok("create_wallet", CreateWalletRequest.newBuilder().setOwnerId(ctx.unique("owner"))
        .addAllInitialBalances(List.of(openings)).build());
  }

  Wallet get(String walletId) {
    return wire.ok("get_balance", GetBalanceRequest.newBuilder().setWalletId(walletId).build());
  }

  long balance(String walletId, String currency) {
    return balanceOf(get(walletId), currency);
  }

  static long balanceOf(Wallet wallet, String currency) {
    return wallet.getBalancesList().stream().filter(m -> m.getCurrency().equals(currency))
        .mapToLong(Money::getMinorUnits).sum();
  }

  static ChargeRequest chargeRequest(String walletId, Money amount) {
    return ChargeRequest.newBuilder().setWalletId(walletId).setAmount(amount).setReason("conformance").build();
  }

  Transaction charge(String walletId, Money amount, String key) {
    return wire.call("charge").idempotencyKey(key).ok(chargeRequest(walletId, amount));
  }

  Transaction refund(String chargeId, long minorUnits, String currency, String key) {
    return wire.call("refund").idempotencyKey(key).ok(RefundRequest.newBuilder().setChargeId(chargeId)
        .setAmount(money(currency, minorUnits)).build());
  }

  Transaction refundRemainder(String chargeId, String key) {
    return wire.call("refund").idempotencyKey(key).ok(RefundRequest.newBuilder().setChargeId(chargeId).build());
  }

  /** The whole ledger, read page by page (at most 20 pages of 100). */
  List<Transaction> ledger(String walletId) {
    List<Transaction> all = new ArrayList<>();
    String token = "";
    for (int page = 0; page < 20; page++) {
      ListTransactionsResponse r = wire.ok("list_transactions", ListTransactionsRequest.newBuilder()
          .setWalletId(walletId).setPage(PageRequest.newBuilder().setPageSize(100).setPageToken(token)).build());
      all.addAll(r.getTransactionsList());
      token = r.getPage().getNextPageToken();
      if (token.isEmpty()) {
        return all;
      }
    }
    throw new AssertionError("the ledger of " + walletId + " has more than 20 pages of 100");
  }

  /**
   * Asserts the ledger invariant of the wallet: sequences 1..n in order, every balance_after the
   * running sum of its currency and never negative, the sums equal to the balances, and
   * meta.version = n.
   */
  void assertLedgerSumsToBalance(String walletId) {
    List<Transaction> ledger = ledger(walletId);
    Wallet wallet = get(walletId);
    Map<String, Long> sums = new TreeMap<>();
    for (int i = 0; i < ledger.size(); i++) {
      Transaction t = ledger.get(i);
      assertThat(t.getSequence()).as("sequence of ledger entry %d of %s", i, walletId).isEqualTo(i + 1L);
      long signed = t.getKind() == TransactionKind.CHARGE ? -t.getAmount().getMinorUnits() : t.getAmount().getMinorUnits();
      assertThat(t.getAmount().getMinorUnits()).as("amount of %s", t.getTransactionId()).isPositive();
      long running = sums.merge(t.getAmount().getCurrency(), signed, Long::sum);
      assertThat(t.getBalanceAfter()).as("balance_after of %s (entry %d)", t.getTransactionId(), i + 1)
          .isEqualTo(money(t.getAmount().getCurrency(), running));
      assertThat(running).as("balance after %s", t.getTransactionId()).isNotNegative();
    }
    Map<String, Long> balances = new TreeMap<>();
    wallet.getBalancesList().forEach(m -> balances.put(m.getCurrency(), m.getMinorUnits()));
    assertThat(balances).as("balances of %s vs the sums of its ledger", walletId).isEqualTo(sums);
    assertThat(wallet.getMeta().getVersion()).as("meta.version of %s (ledger entries)", walletId)
        .isEqualTo(ledger.size());
  }
}
