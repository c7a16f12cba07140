package io.natsharness.conformance.contract.util;

import static io.natsharness.conformance.contract.kit.Bad.bad;
import static io.natsharness.conformance.contract.util.Payments.GEM;
import static io.natsharness.conformance.contract.util.Payments.MAX_AMOUNT;
import static io.natsharness.conformance.contract.util.Payments.gems;
import static io.natsharness.conformance.contract.util.Payments.money;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.proto.util.payment.v1.CreateWalletRequest;
import io.natsharness.proto.util.payment.v1.GetBalanceRequest;
import io.natsharness.proto.util.payment.v1.ListTransactionsRequest;
import io.natsharness.proto.util.payment.v1.ListTransactionsResponse;
import io.natsharness.proto.util.payment.v1.Transaction;
import io.natsharness.proto.util.payment.v1.TransactionKind;
import io.natsharness.proto.util.payment.v1.Wallet;
import io.natsharness.proto.util.payment.v1.WalletCreated;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** payment's create_wallet, get_balance and list_transactions. */
final class WalletChecks {

  private WalletChecks() {}

  static void add(ContractChecks checks) {
    checks
        .behaviour("create_wallet", "opens_balances",
            "create_wallet derives the wallet id from the owner and writes each initial balance as an OPENING entry.",
            WalletChecks::opensBalances)
        .error("create_wallet", "already_exists", Code.ALREADY_EXISTS,
            "a second wallet for the same owner is ALREADY_EXISTS and leaves the first unchanged.",
            WalletChecks::alreadyExists)
        .error("create_wallet", "invalid_argument", Code.INVALID_ARGUMENT,
            "a bad owner, currency, amount, repeated currency or more than 16 currencies is INVALID_ARGUMENT naming the field.",
            WalletChecks::createInvalid)
        .error("create_wallet", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "create_wallet past its deadline is DEADLINE_EXCEEDED and creates no wallet.",
            WalletChecks::createExpired)
        .behaviour("create_wallet", "wallet_created_event",
            "create_wallet publishes one wallet_created event with the owner and the initial balances.",
            WalletChecks::walletCreatedEvent)
        .behaviour("get_balance", "reads_wallet",
            "get_balance returns the wallet with one balance per currency, sorted by currency.",
            WalletChecks::readsWallet)
        .error("get_balance", "invalid_argument", Code.INVALID_ARGUMENT,
            "get_balance without a wallet_id is INVALID_ARGUMENT naming wallet_id.",
            ctx -> new Payments(ctx).wire.failsOnEach("get_balance",
                List.of(bad("empty wallet_id", "wallet_id", GetBalanceRequest.getDefaultInstance()))))
        .error("get_balance", "not_found", Code.NOT_FOUND,
            "get_balance of an unknown wallet is NOT_FOUND.",
            ctx -> new Payments(ctx).wire.fails("get_balance", GetBalanceRequest.newBuilder()
                .setWalletId(Names.derived("wal-", 16, ctx.unique("nobody"))).build(), Code.NOT_FOUND))
        .behaviour("list_transactions", "ledger_sums_to_balance",
            "after openings, charges and refunds in two currencies, the ledger sums to each balance with gapless sequences.",
            WalletChecks::ledgerSums)
        .behaviour("list_transactions", "pages_in_sequence",
            "list_transactions pages hold at most page_size entries in sequence order, and later entries appear on later pages.",
            WalletChecks::pages)
        .behaviour("list_transactions", "filters",
            "list_transactions filters by currency and by kind.",
            WalletChecks::filters)
        .error("list_transactions", "invalid_argument", Code.INVALID_ARGUMENT,
            "an empty wallet_id, a malformed currency, page_size outside [0, 100] or a foreign page_token is INVALID_ARGUMENT.",
            WalletChecks::listInvalid)
        .error("list_transactions", "not_found", Code.NOT_FOUND,
            "list_transactions of an unknown wallet is NOT_FOUND.",
            ctx -> new Payments(ctx).wire.fails("list_transactions", ListTransactionsRequest.newBuilder()
                .setWalletId(Names.derived("wal-", 16, ctx.unique("nobody"))).build(), Code.NOT_FOUND));
  }

  private static void opensBalances(CheckContext ctx) {
    Payments p = new Payments(ctx);
    String owner = ctx.unique("owner");
    Wallet w = p.wire.ok("create_wallet", CreateWalletRequest.newBuilder().setOwnerId(owner)
        .addInitialBalances(money("GEM", 500)).addInitialBalances(money("EUR", 1050)).build());
    String walletId = Names.derived("wal-", 16, owner);
    assertThat(w.getWalletId()).as("wallet_id = wal- + SHA-256(owner_id)").isEqualTo(walletId);
    assertThat(w.getOwnerId()).isEqualTo(owner);
    assertThat(w.getBalancesList()).as("balances, sorted by currency")
        .containsExactly(money("EUR", 1050), money("GEM", 500));
    assertThat(w.getMeta().getVersion()).as("meta.version = ledger entries").isEqualTo(2);
    List<Transaction> ledger = p.ledger(walletId);
    assertThat(ledger).extracting(Transaction::getKind).containsOnly(TransactionKind.OPENING);
    assertThat(ledger).extracting(Transaction::getTransactionId).containsExactlyInAnyOrder(
        Names.derived("txn-", 20, walletId, "OPENING", "GEM"), Names.derived("txn-", 20, walletId, "OPENING", "EUR"));
    p.assertLedgerSumsToBalance(walletId);
    Wallet empty = p.wallet();
    assertThat(empty.getBalancesList()).as("balances of a wallet opened empty").isEmpty();
    assertThat(p.ledger(empty.getWalletId())).as("ledger of a wallet opened empty").isEmpty();
  }

  private static void alreadyExists(CheckContext ctx) {
    Payments p = new Payments(ctx);
    String owner = ctx.unique("owner");
    Wallet first = p.wire.ok("create_wallet", CreateWalletRequest.newBuilder().setOwnerId(owner)
        .addInitialBalances(gems(70)).build());
    p.wire.fails("create_wallet", CreateWalletRequest.newBuilder().setOwnerId(owner)
        .addInitialBalances(gems(9999)).build(), Code.ALREADY_EXISTS);
    assertThat(p.get(first.getWalletId()).getBalancesList()).as("balances after the refused second create")
        .containsExactly(gems(70));
  }

  private static void createInvalid(CheckContext ctx) {
    Payments p = new Payments(ctx);
    List<Money> seventeen = IntStream.range(0, 17)
        .mapToObj(i -> money("CUR" + (char) ('A' + i), 1)).toList();
    p.wire.failsOnEach("create_wallet", List.of(
        bad("empty owner_id", "owner_id", CreateWalletRequest.getDefaultInstance()),
        bad("owner_id of 129 characters", "owner_id", create(ctx, "o".repeat(129))),
        bad("lower-case currency", "initial_balances", create(ctx, null, money("gem", 5))),
        bad("two-letter currency", "initial_balances", create(ctx, null, money("GE", 5))),
        bad("nine-letter currency", "initial_balances", create(ctx, null, money("GEMSTONES", 5))),
        bad("amount 0", "initial_balances", create(ctx, null, gems(0))),
        bad("amount over 10^15", "initial_balances", create(ctx, null, gems(MAX_AMOUNT + 1))),
        bad("negative amount", "initial_balances", create(ctx, null, gems(-5))),
        bad("currency twice", "initial_balances", create(ctx, null, gems(5), gems(6))),
        bad("17 currencies", "initial_balances", create(ctx, null, seventeen.toArray(Money[]::new)))));
  }

  private static CreateWalletRequest create(CheckContext ctx, String owner, Money... openings) {
    return CreateWalletRequest.newBuilder().setOwnerId(owner == null ? ctx.unique("owner") : owner)
        .addAllInitialBalances(List.of(openings)).build();
  }

  private static void createExpired(CheckContext ctx) {
    Payments p = new Payments(ctx);
    String owner = ctx.unique("owner");
    CreateWalletRequest request = create(ctx, owner, gems(10));
    p.wire.call("create_wallet").expiredDeadline().fails(request, Code.DEADLINE_EXCEEDED);
    p.wire.fails("get_balance", GetBalanceRequest.newBuilder().setWalletId(Names.derived("wal-", 16, owner)).build(),
        Code.NOT_FOUND);
    Wallet created = p.wire.ok("create_wallet", request);
    assertThat(created.getBalancesList()).as("the wallet created after the expired attempt").containsExactly(gems(10));
  }

  private static void walletCreatedEvent(CheckContext ctx) {
    Payments p = new Payments(ctx);
    try (EventSpy<WalletCreated> spy = EventSpy.on(ctx, Payments.SERVICE, "wallet_created")) {
      Wallet w = p.wallet(gems(40));
      WalletCreated event = spy.awaitOneWithEventId(e -> e.getWalletId().equals(w.getWalletId()), w.getWalletId());
      assertThat(event.getOwnerId()).isEqualTo(w.getOwnerId());
      assertThat(event.getInitialBalancesList()).containsExactly(gems(40));
    }
  }

  private static void readsWallet(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Wallet created = p.wallet(money("ZZZ", 3), money("AAA", 1), gems(2));
    Wallet read = p.get(created.getWalletId());
    assertThat(read.getWalletId()).isEqualTo(created.getWalletId());
    assertThat(read.getOwnerId()).isEqualTo(created.getOwnerId());
    assertThat(read.getBalancesList()).as("balances, sorted by currency")
        .containsExactly(money("AAA", 1), gems(2), money("ZZZ", 3));
    assertThat(read.getMeta().getVersion()).isEqualTo(3);
  }

  private static void ledgerSums(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Wallet w = p.wallet(gems(1000), money("EUR", 500));
    String id = w.getWalletId();
    Transaction c1 = p.charge(id, gems(300), ctx.unique("k"));
    p.charge(id, money("EUR", 120), ctx.unique("k"));
    Transaction c3 = p.charge(id, gems(250), ctx.unique("k"));
    p.refund(c1.getTransactionId(), 100, GEM, ctx.unique("k"));
    p.refundRemainder(c3.getTransactionId(), ctx.unique("k"));
    p.assertLedgerSumsToBalance(id);
    assertThat(p.balance(id, GEM)).as("GEM balance: 1000 - 300 - 250 + 100 + 250").isEqualTo(800);
    assertThat(p.balance(id, "EUR")).as("EUR balance").isEqualTo(380);
  }

  private static void pages(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Wallet w = p.wallet(gems(100), money("EUR", 100), money("USD", 100));
    String id = w.getWalletId();
    p.charge(id, gems(1), ctx.unique("k"));
    p.charge(id, gems(2), ctx.unique("k"));
    ListTransactionsResponse first = list(p, id, 2, "");
    assertThat(first.getTransactionsList()).extracting(Transaction::getSequence).containsExactly(1L, 2L);
    assertThat(first.getPage().getNextPageToken()).as("next_page_token after page 1 of 3").isNotEmpty();
    p.charge(id, gems(3), ctx.unique("k"));
    List<Long> sequences = new ArrayList<>(List.of(1L, 2L));
    String token = first.getPage().getNextPageToken();
    for (int page = 0; page < 5 && !token.isEmpty(); page++) {
      ListTransactionsResponse r = list(p, id, 2, token);
      assertThat(r.getTransactionsCount()).as("entries on a page of size 2").isBetween(1, 2);
      r.getTransactionsList().forEach(t -> sequences.add(t.getSequence()));
      token = r.getPage().getNextPageToken();
    }
    assertThat(token).as("next_page_token of the last page").isEmpty();
    assertThat(sequences).as("sequences over all pages, the entry appended after page 1 included")
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(list(p, id, 0, "").getTransactionsCount()).as("page_size 0 means 50").isEqualTo(6);
  }

  private static ListTransactionsResponse list(Payments p, String walletId, int size, String token) {
    return p.wire.ok("list_transactions", ListTransactionsRequest.newBuilder().setWalletId(walletId)
        .setPage(PageRequest.newBuilder().setPageSize(size).setPageToken(token)).build());
  }

  private static void filters(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Wallet w = p.wallet(gems(100), money("EUR", 100));
    String id = w.getWalletId();
    Transaction charge = p.charge(id, gems(10), ctx.unique("k"));
    p.charge(id, money("EUR", 20), ctx.unique("k"));
    p.refund(charge.getTransactionId(), 4, GEM, ctx.unique("k"));
    ListTransactionsResponse gemsOnly = p.wire.ok("list_transactions", ListTransactionsRequest.newBuilder()
        .setWalletId(id).setCurrency(GEM).build());
    assertThat(gemsOnly.getTransactionsList()).extracting(Transaction::getKind)
        .containsExactly(TransactionKind.OPENING, TransactionKind.CHARGE, TransactionKind.REFUND);
    ListTransactionsResponse charges = p.wire.ok("list_transactions", ListTransactionsRequest.newBuilder()
        .setWalletId(id).setKind(TransactionKind.CHARGE).build());
    assertThat(charges.getTransactionsList()).extracting(t -> t.getAmount().getCurrency())
        .containsExactly(GEM, "EUR");
    assertThat(charges.getTransactionsList().get(0).getRefunded()).as("refunded of the GEM charge")
        .isEqualTo(gems(4));
  }

  private static void listInvalid(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Wallet w = p.wallet(gems(5), money("EUR", 5), money("USD", 5));
    Wallet other = p.wallet(gems(5), money("EUR", 5), money("USD", 5));
    String foreign = list(p, other.getWalletId(), 1, "").getPage().getNextPageToken();
    assertThat(foreign).as("next_page_token of a 3-entry ledger read 1 at a time").isNotEmpty();
    String id = w.getWalletId();
    p.wire.failsOnEach("list_transactions", List.of(
        bad("empty wallet_id", "wallet_id", ListTransactionsRequest.getDefaultInstance()),
        bad("malformed currency", "currency", ListTransactionsRequest.newBuilder().setWalletId(id)
            .setCurrency("e1").build()),
        bad("page_size 101", "page", page(id, 101, "")),
        bad("page_size -1", "page", page(id, -1, "")),
        bad("page_token of another wallet", "page", page(id, 1, foreign)),
        bad("page_token never issued", "page", page(id, 1, "nh-not-a-token"))));
  }

  private static ListTransactionsRequest page(String walletId, int size, String token) {
    return ListTransactionsRequest.newBuilder().setWalletId(walletId)
        .setPage(PageRequest.newBuilder().setPageSize(size).setPageToken(token)).build();
  }
}
