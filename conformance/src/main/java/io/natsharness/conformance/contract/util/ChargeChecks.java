package io.natsharness.conformance.contract.util;

import static io.natsharness.conformance.contract.kit.Bad.bad;
import static io.natsharness.conformance.contract.util.Payments.GEM;
import static io.natsharness.conformance.contract.util.Payments.MAX_AMOUNT;
import static io.natsharness.conformance.contract.util.Payments.chargeRequest;
import static io.natsharness.conformance.contract.util.Payments.gems;
import static io.natsharness.conformance.contract.util.Payments.money;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.ErrorDetails;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.common.v1.ResourceRef;
import io.natsharness.proto.util.payment.v1.ChargeRequest;
import io.natsharness.proto.util.payment.v1.PaymentSettled;
import io.natsharness.proto.util.payment.v1.Transaction;
import io.natsharness.proto.util.payment.v1.TransactionKind;
import io.natsharness.proto.util.payment.v1.Wallet;
import io.natsharness.sdk.status.RpcException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** payment's charge: debits, idempotency, insufficient funds, concurrency, events. */
final class ChargeChecks {

  /** Concurrent charges per burst: enough to race, few enough for a shared two-core machine. */
  static final int BURST = 50;

  private ChargeChecks() {}

  static void add(ContractChecks checks) {
    checks
        .behaviour("charge", "debits",
            "a charge takes its amount from the balance and appends a CHARGE entry whose id derives from the key.",
            ChargeChecks::debits)
        .behaviour("charge", "idempotent_repeat",
            "a repeat with the same Idempotency-Key returns the first transaction and moves no money, even with another amount.",
            ChargeChecks::idempotentRepeat)
        .behaviour("charge", "concurrent_repeats_charge_once",
            "concurrent charges with one Idempotency-Key all return the same transaction and move the money once.",
            ChargeChecks::concurrentRepeats)
        .error("charge", "missing_idempotency_key", Code.INVALID_ARGUMENT,
            "a charge without an Idempotency-Key is INVALID_ARGUMENT and moves no money.",
            ChargeChecks::missingKey)
        .error("charge", "invalid_argument", Code.INVALID_ARGUMENT,
            "an empty wallet_id, a malformed currency, an amount outside [1, 10^15] or a reason over 200 characters is INVALID_ARGUMENT.",
            ChargeChecks::invalid)
        .error("charge", "not_found", Code.NOT_FOUND,
            "charging an unknown wallet is NOT_FOUND.",
            ctx -> new Payments(ctx).wire.fails("charge",
                chargeRequest(Names.derived("wal-", 16, ctx.unique("nobody")), gems(1)), Code.NOT_FOUND))
        .error("charge", "insufficient_funds", Code.FAILED_PRECONDITION,
            "a charge above the balance in its currency is FAILED_PRECONDITION INSUFFICIENT_FUNDS and moves no money.",
            ChargeChecks::insufficientFunds)
        .behaviour("charge", "error_not_remembered",
            "a repeat of a refused charge with the same key tries again and succeeds once funds suffice.",
            ChargeChecks::errorNotRemembered)
        .error("charge", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "a charge past its deadline is DEADLINE_EXCEEDED and moves no money.",
            ChargeChecks::expired)
        .behaviour("charge", "concurrent_never_negative",
            "a burst of " + BURST + " concurrent charges with distinct keys never overdraws the wallet and the ledger sums to the balance.",
            ChargeChecks::concurrentNeverNegative)
        .behaviour("charge", "payment_settled_event",
            "a charge publishes one payment_settled event with its transaction, and its idempotent repeat none.",
            ChargeChecks::settledEvent);
  }

  private static void debits(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Wallet w = p.wallet(gems(1000));
    String key = ctx.unique("key");
    Transaction t = p.charge(w.getWalletId(), gems(250), key);
    assertThat(t.getTransactionId()).as("transaction_id = txn- + SHA-256(wallet, CHARGE, key)")
        .isEqualTo(Names.derived("txn-", 20, w.getWalletId(), "CHARGE", key));
    assertThat(t.getKind()).isEqualTo(TransactionKind.CHARGE);
    assertThat(t.getWalletId()).isEqualTo(w.getWalletId());
    assertThat(t.getAmount()).isEqualTo(gems(250));
    assertThat(t.getBalanceAfter()).isEqualTo(gems(750));
    assertThat(t.getRefunded()).as("refunded of a new charge").isEqualTo(gems(0));
    assertThat(t.getSequence()).as("sequence after one OPENING").isEqualTo(2);
    assertThat(t.getReason()).isEqualTo("conformance");
    assertThat(p.balance(w.getWalletId(), GEM)).isEqualTo(750);
    ResourceRef sword = ResourceRef.newBuilder().setKind("item").setId("iron-sword").build();
    Transaction bought = p.wire.call("charge").idempotencyKey(ctx.unique("key")).ok(chargeRequest(w.getWalletId(),
        gems(50)).toBuilder().setReason("buy iron sword").setReference(sword).build());
    assertThat(bought.getReference()).as("reference of the charge").isEqualTo(sword);
    assertThat(bought.getReason()).isEqualTo("buy iron sword");
    Transaction emptied = p.charge(w.getWalletId(), gems(700), ctx.unique("key"));
    assertThat(emptied.getBalanceAfter()).as("a charge of the whole balance").isEqualTo(gems(0));
    p.assertLedgerSumsToBalance(w.getWalletId());
  }

  private static void idempotentRepeat(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Wallet w = p.wallet(gems(1000));
    String key = ctx.unique("key");
    Transaction first = p.charge(w.getWalletId(), gems(100), key);
    Transaction repeat = p.charge(w.getWalletId(), gems(100), key);
    Transaction other = p.charge(w.getWalletId(), gems(700), key);
    assertThat(repeat).as("the repeat's answer").isEqualTo(first);
    assertThat(other).as("the answer to the same key with another amount").isEqualTo(first);
    assertThat(p.balance(w.getWalletId(), GEM)).as("balance after one charge and two repeats").isEqualTo(900);
    assertThat(p.ledger(w.getWalletId())).as("ledger entries").hasSize(2);
    Wallet second = p.wallet(gems(1000));
    Transaction elsewhere = p.charge(second.getWalletId(), gems(100), key);
    assertThat(elsewhere.getTransactionId()).as("the same key on another wallet is another charge")
        .isNotEqualTo(first.getTransactionId());
    assertThat(p.balance(second.getWalletId(), GEM)).isEqualTo(900);
  }

  private static void concurrentRepeats(CheckContext ctx) throws Exception {
    Payments p = new Payments(ctx);
    Wallet w = p.wallet(gems(1000));
    String key = ctx.unique("key");
    List<CompletableFuture<Transaction>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(p.wire.async("charge", chargeRequest(w.getWalletId(), gems(10)), key));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    assertThat(calls.stream().map(CompletableFuture::join).map(Transaction::getTransactionId).distinct().toList())
        .as("transactions answered to 20 concurrent repeats of one key").hasSize(1);
    assertThat(p.balance(w.getWalletId(), GEM)).as("balance after 20 concurrent repeats of a 10 GEM charge")
        .isEqualTo(990);
    p.assertLedgerSumsToBalance(w.getWalletId());
  }

  private static void missingKey(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Wallet w = p.wallet(gems(100));
    p.wire.call("charge").withoutIdempotencyKey().failsOn(chargeRequest(w.getWalletId(), gems(10)), "Idempotency-Key");
    assertThat(p.balance(w.getWalletId(), GEM)).isEqualTo(100);
  }

  private static void invalid(CheckContext ctx) {
    Payments p = new Payments(ctx);
    String id = p.wallet(gems(100)).getWalletId();
    p.wire.failsOnEach("charge", List.of(
        bad("empty wallet_id", "wallet_id", chargeRequest("", gems(1))),
        bad("lower-case currency", "amount", chargeRequest(id, money("gem", 1))),
        bad("amount 0", "amount", chargeRequest(id, gems(0))),
        bad("negative amount", "amount", chargeRequest(id, gems(-1))),
        bad("amount over 10^15", "amount", chargeRequest(id, gems(MAX_AMOUNT + 1))),
        bad("reason of 201 characters", "reason", chargeRequest(id, gems(1)).toBuilder()
            .setReason("r".repeat(201)).build())));
    assertThat(p.balance(id, GEM)).as("balance after the refused charges").isEqualTo(100);
  }

  private static void insufficientFunds(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Wallet w = p.wallet(gems(100));
    Status status = p.wire.fails("charge", chargeRequest(w.getWalletId(), gems(101)), Code.FAILED_PRECONDITION);
    ErrorDetails.assertReason(status, "INSUFFICIENT_FUNDS");
    Status otherCurrency = p.wire.fails("charge", chargeRequest(w.getWalletId(), money("EUR", 1)),
        Code.FAILED_PRECONDITION);
    ErrorDetails.assertReason(otherCurrency, "INSUFFICIENT_FUNDS");
    assertThat(p.balance(w.getWalletId(), GEM)).isEqualTo(100);
    assertThat(p.ledger(w.getWalletId())).as("ledger after two refused charges").hasSize(1);
  }

  private static void errorNotRemembered(CheckContext ctx) {
    Payments p = new Payments(ctx);
    String id = p.wallet(gems(100)).getWalletId();
    Transaction first = p.charge(id, gems(60), ctx.unique("key"));
    String key = ctx.unique("key");
    ChargeRequest fifty = chargeRequest(id, gems(50));
    Status refused = p.wire.call("charge").idempotencyKey(key).fails(fifty, Code.FAILED_PRECONDITION);
    ErrorDetails.assertReason(refused, "INSUFFICIENT_FUNDS");
    p.refundRemainder(first.getTransactionId(), ctx.unique("key"));
    Transaction retried = p.charge(id, gems(50), key);
    assertThat(retried.getAmount()).as("the retried charge").isEqualTo(gems(50));
    assertThat(retried.getBalanceAfter()).isEqualTo(gems(50));
    p.assertLedgerSumsToBalance(id);
  }

  private static void expired(CheckContext ctx) {
    Payments p = new Payments(ctx);
    String id = p.wallet(gems(100)).getWalletId();
    String key = ctx.unique("key");
    p.wire.call("charge").idempotencyKey(key).expiredDeadline()
        .fails(chargeRequest(id, gems(30)), Code.DEADLINE_EXCEEDED);
    assertThat(p.balance(id, GEM)).as("balance after the expired charge").isEqualTo(100);
    assertThat(p.ledger(id)).as("ledger after the expired charge").hasSize(1);
    Transaction later = p.charge(id, gems(30), key);
    assertThat(later.getBalanceAfter()).as("the same key used again after the expired attempt").isEqualTo(gems(70));
  }

  private static void concurrentNeverNegative(CheckContext ctx) throws Exception {
    Payments p = new Payments(ctx);
    String id = p.wallet(gems(1000)).getWalletId();
    List<CompletableFuture<Transaction>> calls = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      calls.add(p.wire.async("charge", chargeRequest(id, gems(30)), ctx.unique("burst")));
    }
    try {
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException expected) {
      // some charges must fail: counted below
    }
    List<Transaction> done = new ArrayList<>();
    for (CompletableFuture<Transaction> call : calls) {
      Optional<RpcException> failure = Rpc.failure(call);
      if (failure.isEmpty()) {
        done.add(call.join());
      } else {
        assertThat(failure.get().code()).as("a charge of the burst that did not go through: %s",
            failure.get().statusMessage()).isEqualTo(Code.FAILED_PRECONDITION);
        assertThat(failure.get().errorDetail().map(d -> d.getReason())).contains("INSUFFICIENT_FUNDS");
      }
    }
    assertThat(done).as("charges of 30 that fit in 1000").hasSize(33);
    assertThat(done).allSatisfy(t -> assertThat(t.getBalanceAfter().getMinorUnits()).isNotNegative());
    assertThat(done.stream().map(t -> t.getBalanceAfter().getMinorUnits()).distinct().count())
        .as("distinct balance_after values of the successful charges").isEqualTo(33);
    assertThat(p.balance(id, GEM)).as("balance after the burst").isEqualTo(10);
    p.assertLedgerSumsToBalance(id);
  }

  private static void settledEvent(CheckContext ctx) {
    Payments p = new Payments(ctx);
    String id = p.wallet(gems(100)).getWalletId();
    String key = ctx.unique("key");
    try (EventSpy<PaymentSettled> spy = EventSpy.on(ctx, Payments.SERVICE, "payment_settled")) {
      Transaction t = p.charge(id, gems(40), key);
      PaymentSettled event = spy.awaitOneWithEventId(
          e -> e.getTransaction().getTransactionId().equals(t.getTransactionId()), t.getTransactionId());
      assertThat(event.getTransaction().getKind()).isEqualTo(TransactionKind.CHARGE);
      assertThat(event.getTransaction().getAmount()).isEqualTo(gems(40));
      assertThat(event.getTransaction().getBalanceAfter()).isEqualTo(gems(60));
      p.charge(id, gems(40), key);
      spy.assertDistinct(e -> e.getTransaction().getWalletId().equals(id), 1, Duration.ofMillis(500));
    }
  }
}
