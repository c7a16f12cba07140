package io.natsharness.services.util.payment;

import com.google.protobuf.Message;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.common.v1.PageResponse;
import io.natsharness.proto.util.payment.v1.ChargeRequest;
import io.natsharness.proto.util.payment.v1.CreateWalletRequest;
import io.natsharness.proto.util.payment.v1.GetBalanceRequest;
import io.natsharness.proto.util.payment.v1.ListTransactionsRequest;
import io.natsharness.proto.util.payment.v1.ListTransactionsResponse;
import io.natsharness.proto.util.payment.v1.PaymentSettled;
import io.natsharness.proto.util.payment.v1.RefundRequest;
import io.natsharness.proto.util.payment.v1.Transaction;
import io.natsharness.proto.util.payment.v1.TransactionKind;
import io.natsharness.proto.util.payment.v1.Wallet;
import io.natsharness.proto.util.payment.v1.WalletCreated;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.Idempotency;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.ServiceLifecycle;
import io.natsharness.services.support.Validation;
import io.natsharness.services.util.kit.EventOutbox;
import io.natsharness.services.util.kit.Pages;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * payment: wallets with per-currency balances in integer minor units and an append-only ledger.
 * charge and refund need an Idempotency-Key, from which the transaction id is derived, so the
 * first result is found again by a repeat and no money moves twice ({@link Ledger}).
 *
 * <pre>{@code
 * // svc.util.payment.v1.charge (Idempotency-Key: order-17) {wallet_id: "wal-…",
 * //     amount: {currency: "GEM", minor_units: 250}, reason: "buy iron sword"}
 * //   -> Transaction {kind: CHARGE, balance_after: …, sequence: …}
 * }</pre>
 */
public final class PaymentService implements NatsService, ServiceLifecycle {

  static final long MAX_AMOUNT = 1_000_000_000_000_000L;
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3,8}");
  private static final int MAX_CURRENCIES = 16;

  private final Ledger ledger;
  private final EventOutbox events;

  public PaymentService(ServiceContext ctx) {
    this.events = new EventOutbox(ctx, Ledger.SERVICE);
    this.ledger = new Ledger(ctx, events);
    events.rebuildWith(this::rebuildEvent);
  }

  @Override
  public String name() {
    return Ledger.SERVICE;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.unary("create_wallet", this::createWallet)
        .unary("get_balance", this::getBalance)
        .unary("charge", this::charge)
        .unary("refund", this::refund)
        .unary("list_transactions", this::listTransactions);
  }

  @Override
  public void start() {
    events.startSweeping();
  }

  @Override
  public void close() {
    events.close();
  }

  Wallet createWallet(CreateWalletRequest request, CallContext call) {
    String owner = Validation.nonEmpty(request.getOwnerId(), 128, "owner_id");
    List<Money> openings = request.getInitialBalancesList();
    Validation.require(openings.size() <= MAX_CURRENCIES, "initial_balances",
        "must have at most " + MAX_CURRENCIES + " entries");
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < openings.size(); i++) {
      String field = "initial_balances[" + i + "]";
      checkMoney(openings.get(i), field);
      Integer earlier = seen.putIfAbsent(openings.get(i).getCurrency(), i);
      Validation.require(earlier == null, field + ".currency",
          "repeats the currency of initial_balances[" + earlier + "]");
    }
    String walletId = Ledger.walletId(owner);
    ledger.create(walletId, owner, openings);
    events.publishRecorded("wallet_created", WalletCreated.newBuilder().setWalletId(walletId).setOwnerId(owner)
        .addAllInitialBalances(openings).build(), walletId);
    return wallet(walletId);
  }

  Wallet getBalance(GetBalanceRequest request, CallContext call) {
    return wallet(Validation.nonEmpty(request.getWalletId(), "wallet_id"));
  }

  Transaction charge(ChargeRequest request, CallContext call) {
    String key = Idempotency.requireKey(call);
    String walletId = Validation.nonEmpty(request.getWalletId(), "wallet_id");
    Validation.require(request.hasAmount(), "amount", "is required");
    checkMoney(request.getAmount(), "amount");
    Validation.maxLength(request.getReason(), 200, "reason");
    Ledger.Outcome outcome = ledger.charge(walletId, key, request.getAmount(), request.getReason(),
        request.getReference());
    return settled(outcome);
  }

  Transaction refund(RefundRequest request, CallContext call) {
    String key = Idempotency.requireKey(call);
    String chargeId = Validation.nonEmpty(request.getChargeId(), "charge_id");
    Optional<Money> amount = Optional.empty();
    if (request.hasAmount()) {
      Validation.inRange(request.getAmount().getMinorUnits(), 1, MAX_AMOUNT, "amount.minor_units");
      amount = Optional.of(request.getAmount());
    }
    Validation.maxLength(request.getReason(), 200, "reason");
    return settled(ledger.refund(chargeId, key, amount, request.getReason()));
  }

  ListTransactionsResponse listTransactions(ListTransactionsRequest request, CallContext call) {
    String walletId = Validation.nonEmpty(request.getWalletId(), "wallet_id");
    if (!request.getCurrency().isEmpty()) {
      Validation.matches(request.getCurrency(), CURRENCY, "currency");
    }
    Validation.require(request.getKind() != TransactionKind.UNRECOGNIZED, "kind", "is not a TransactionKind");
    int size = Pages.size(request.getPage(), 50, 100);
    String binding = Pages.binding(walletId, request.getCurrency(), request.getKind().name());
    long position = Pages.position(request.getPage(), binding, "the same wallet and filters");
    wallet(walletId);
    return new LedgerPager(ledger).page(walletId, request.getCurrency(), request.getKind(), position, size,
        next -> PageResponse.newBuilder().setNextPageToken(next.isPresent() ? Pages.token(next.get(), binding) : "")
            .build());
  }

  private Transaction settled(Ledger.Outcome outcome) {
    Transaction t = ledger.transaction(outcome.transactionId())
        .orElseThrow(() -> RpcException.internal("transaction " + outcome.transactionId() + " vanished"));
    if (outcome.created()) {
      events.publishRecorded("payment_settled", PaymentSettled.newBuilder().setTransaction(t).build(),
          t.getTransactionId());
    }
    return t;
  }

  private Wallet wallet(String walletId) {
    return ledger.wallet(walletId).orElseThrow(() -> RpcException.notFound("wallet " + walletId + " does not exist"));
  }

  /** The payload of an event the outbox holds without one: the ids are the event ids. */
  private Optional<Message> rebuildEvent(String eventId) {
    if (eventId.startsWith("txn-")) {
      return ledger.transaction(eventId).map(t -> PaymentSettled.newBuilder().setTransaction(t).build());
    }
    return ledger.wallet(eventId).map(w -> {
      WalletCreated.Builder created = WalletCreated.newBuilder().setWalletId(w.getWalletId())
          .setOwnerId(w.getOwnerId());
      ledger.transactions(ledger.ledgerIds(w.getWalletId(), 0, MAX_CURRENCIES)).stream()
          .filter(t -> t.getKind() == TransactionKind.OPENING).forEach(t -> created.addInitialBalances(t.getAmount()));
      return created.build();
    });
  }

  private static void checkMoney(Money money, String field) {
    Validation.matches(money.getCurrency(), CURRENCY, field + ".currency");
    Validation.inRange(money.getMinorUnits(), 1, MAX_AMOUNT, field + ".minor_units");
  }
}
