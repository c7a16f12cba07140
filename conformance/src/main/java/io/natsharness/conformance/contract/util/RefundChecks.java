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
import io.natsharness.conformance.contract.kit.ErrorDetails;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.util.payment.v1.PaymentSettled;
import io.natsharness.proto.util.payment.v1.RefundRequest;
import io.natsharness.proto.util.payment.v1.Transaction;
import io.natsharness.proto.util.payment.v1.TransactionKind;
import io.natsharness.sdk.status.RpcException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** payment's refund: credits, limits, idempotency, concurrency, events. */
final class RefundChecks {

  private RefundChecks() {}

  static void add(ContractChecks checks) {
    checks
        .behaviour("refund", "credits_part_then_remainder",
            "a refund credits the charged wallet, grows the charge's refunded sum, and an unset amount refunds the remainder.",
            RefundChecks::credits)
        .behaviour("refund", "idempotent_repeat",
            "a refund repeated with the same Idempotency-Key returns the first transaction and moves no money.",
            RefundChecks::idempotentRepeat)
        .error("refund", "missing_idempotency_key", Code.INVALID_ARGUMENT,
            "a refund without an Idempotency-Key is INVALID_ARGUMENT and moves no money.",
            RefundChecks::missingKey)
        .error("refund", "invalid_argument", Code.INVALID_ARGUMENT,
            "an empty charge_id, an amount outside [1, 10^15], another currency than the charge's or a long reason is INVALID_ARGUMENT.",
            RefundChecks::invalid)
        .error("refund", "not_found", Code.NOT_FOUND,
            "refunding an unknown charge_id is NOT_FOUND.",
            ctx -> new Payments(ctx).wire.fails("refund", RefundRequest.newBuilder()
                .setChargeId(Names.derived("txn-", 20, ctx.unique("nothing"))).build(), Code.NOT_FOUND))
        .error("refund", "exceeds_charge", Code.FAILED_PRECONDITION,
            "a refund above the charge's unrefunded remainder, or of a fully refunded charge, is FAILED_PRECONDITION REFUND_EXCEEDS_CHARGE.",
            RefundChecks::exceedsCharge)
        .error("refund", "not_a_charge", Code.FAILED_PRECONDITION,
            "refunding a transaction that is not a CHARGE is FAILED_PRECONDITION NOT_A_CHARGE.",
            RefundChecks::notACharge)
        .error("refund", "expired_deadline_no_effect", Code.DEADLINE_EXCEEDED,
            "a refund past its deadline is DEADLINE_EXCEEDED and moves no money.",
            RefundChecks::expired)
        .behaviour("refund", "concurrent_never_exceed_charge",
            "concurrent refunds with distinct keys never sum to more than the charge.",
            RefundChecks::concurrentNeverExceed)
        .behaviour("refund", "payment_settled_event",
            "a refund publishes one payment_settled event with its REFUND transaction.",
            RefundChecks::settledEvent);
  }

  private static Transaction charged(Payments p, CheckContext ctx, long opening, long charge) {
    String id = p.wallet(gems(opening)).getWalletId();
    return p.charge(id, gems(charge), ctx.unique("key"));
  }

  private static Transaction chargeEntry(Payments p, Transaction charge) {
    return p.ledger(charge.getWalletId()).stream()
        .filter(t -> t.getTransactionId().equals(charge.getTransactionId())).findFirst()
        .orElseThrow(() -> new AssertionError("charge " + charge.getTransactionId() + " is not in the ledger"));
  }

  private static void credits(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Transaction charge = charged(p, ctx, 1000, 300);
    String key = ctx.unique("key");
    Transaction part = p.refund(charge.getTransactionId(), 100, GEM, key);
    assertThat(part.getKind()).isEqualTo(TransactionKind.REFUND);
    assertThat(part.getTransactionId()).as("transaction_id = txn- + SHA-256(wallet, REFUND, key)")
        .isEqualTo(Names.derived("txn-", 20, charge.getWalletId(), "REFUND", key));
    assertThat(part.getChargeId()).isEqualTo(charge.getTransactionId());
    assertThat(part.getWalletId()).isEqualTo(charge.getWalletId());
    assertThat(part.getAmount()).isEqualTo(gems(100));
    assertThat(part.getBalanceAfter()).isEqualTo(gems(800));
    assertThat(chargeEntry(p, charge).getRefunded()).as("refunded of the charge after 100").isEqualTo(gems(100));
    Transaction rest = p.refundRemainder(charge.getTransactionId(), ctx.unique("key"));
    assertThat(rest.getAmount()).as("a refund without amount: the remainder").isEqualTo(gems(200));
    assertThat(rest.getBalanceAfter()).isEqualTo(gems(1000));
    assertThat(chargeEntry(p, charge).getRefunded()).as("refunded of the fully refunded charge")
        .isEqualTo(gems(300));
    p.assertLedgerSumsToBalance(charge.getWalletId());
  }

  private static void idempotentRepeat(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Transaction charge = charged(p, ctx, 1000, 300);
    String key = ctx.unique("key");
    Transaction first = p.refund(charge.getTransactionId(), 50, GEM, key);
    Transaction repeat = p.refund(charge.getTransactionId(), 50, GEM, key);
    assertThat(repeat).as("the repeat's answer").isEqualTo(first);
    assertThat(p.balance(charge.getWalletId(), GEM)).as("balance after a refund and its repeat").isEqualTo(750);
    assertThat(chargeEntry(p, charge).getRefunded()).isEqualTo(gems(50));
    p.assertLedgerSumsToBalance(charge.getWalletId());
  }

  private static void missingKey(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Transaction charge = charged(p, ctx, 100, 60);
    p.wire.call("refund").withoutIdempotencyKey()
        .failsOn(RefundRequest.newBuilder().setChargeId(charge.getTransactionId()).build(), "Idempotency-Key");
    assertThat(p.balance(charge.getWalletId(), GEM)).isEqualTo(40);
  }

  private static void invalid(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Transaction charge = charged(p, ctx, 100, 60);
    String id = charge.getTransactionId();
    p.wire.failsOnEach("refund", List.of(
        bad("empty charge_id", "charge_id", RefundRequest.getDefaultInstance()),
        bad("amount 0", "amount", refund(id, gems(0))),
        bad("amount over 10^15", "amount", refund(id, gems(MAX_AMOUNT + 1))),
        bad("another currency than the charge's", "amount", refund(id, money("EUR", 10))),
        bad("reason of 201 characters", "reason", refund(id, gems(1)).toBuilder().setReason("r".repeat(201)).build())));
    assertThat(p.balance(charge.getWalletId(), GEM)).as("balance after the refused refunds").isEqualTo(40);
  }

  private static RefundRequest refund(String chargeId, Money amount) {
    return RefundRequest.newBuilder().setChargeId(chargeId).setAmount(amount).build();
  }

  private static void exceedsCharge(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Transaction charge = charged(p, ctx, 100, 60);
    String id = charge.getTransactionId();
    ErrorDetails.assertReason(p.wire.fails("refund", refund(id, gems(61)), Code.FAILED_PRECONDITION),
        "REFUND_EXCEEDS_CHARGE");
    p.refund(id, 45, GEM, ctx.unique("key"));
    ErrorDetails.assertReason(p.wire.fails("refund", refund(id, gems(16)), Code.FAILED_PRECONDITION),
        "REFUND_EXCEEDS_CHARGE");
    p.refund(id, 15, GEM, ctx.unique("key"));
    ErrorDetails.assertReason(p.wire.fails("refund", RefundRequest.newBuilder().setChargeId(id).build(),
        Code.FAILED_PRECONDITION), "REFUND_EXCEEDS_CHARGE");
    assertThat(p.balance(charge.getWalletId(), GEM)).as("balance after the charge was refunded whole").isEqualTo(100);
    p.assertLedgerSumsToBalance(charge.getWalletId());
  }

  private static void notACharge(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Transaction charge = charged(p, ctx, 100, 60);
    String opening = Names.derived("txn-", 20, charge.getWalletId(), "OPENING", GEM);
    Transaction refund = p.refund(charge.getTransactionId(), 10, GEM, ctx.unique("key"));
    ErrorDetails.assertReason(p.wire.fails("refund", RefundRequest.newBuilder().setChargeId(opening).build(),
        Code.FAILED_PRECONDITION), "NOT_A_CHARGE");
    ErrorDetails.assertReason(p.wire.fails("refund",
        RefundRequest.newBuilder().setChargeId(refund.getTransactionId()).build(), Code.FAILED_PRECONDITION),
        "NOT_A_CHARGE");
    assertThat(p.balance(charge.getWalletId(), GEM)).isEqualTo(50);
  }

  private static void expired(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Transaction charge = charged(p, ctx, 100, 60);
    String key = ctx.unique("key");
    p.wire.call("refund").idempotencyKey(key).expiredDeadline()
        .fails(refund(charge.getTransactionId(), gems(20)), Code.DEADLINE_EXCEEDED);
    assertThat(p.balance(charge.getWalletId(), GEM)).as("balance after the expired refund").isEqualTo(40);
    assertThat(chargeEntry(p, charge).getRefunded()).isEqualTo(gems(0));
    assertThat(p.refund(charge.getTransactionId(), 20, GEM, key).getBalanceAfter())
        .as("the same key used again after the expired attempt").isEqualTo(gems(60));
  }

  private static void concurrentNeverExceed(CheckContext ctx) throws Exception {
    Payments p = new Payments(ctx);
    Transaction charge = charged(p, ctx, 500, 100);
    List<CompletableFuture<Transaction>> calls = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      calls.add(p.wire.async("refund", refund(charge.getTransactionId(), gems(10)), ctx.unique("refund")));
    }
    try {
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException expected) {
      // the refunds beyond the charge must fail: counted below
    }
    int done = 0;
    for (CompletableFuture<Transaction> call : calls) {
      Optional<RpcException> failure = Rpc.failure(call);
      if (failure.isEmpty()) {
        done++;
      } else {
        assertThat(failure.get().code()).as("a refund that did not go through: %s", failure.get().statusMessage())
            .isEqualTo(Code.FAILED_PRECONDITION);
      }
    }
    assertThat(done).as("refunds of 10 that fit in a charge of 100").isEqualTo(10);
    assertThat(chargeEntry(p, charge).getRefunded()).isEqualTo(gems(100));
    assertThat(p.balance(charge.getWalletId(), GEM)).isEqualTo(500);
    p.assertLedgerSumsToBalance(charge.getWalletId());
  }

  private static void settledEvent(CheckContext ctx) {
    Payments p = new Payments(ctx);
    Transaction charge = charged(p, ctx, 100, 60);
    try (EventSpy<PaymentSettled> spy = EventSpy.on(ctx, Payments.SERVICE, "payment_settled")) {
      Transaction refund = p.refund(charge.getTransactionId(), 25, GEM, ctx.unique("key"));
      PaymentSettled event = spy.awaitOneWithEventId(
          e -> e.getTransaction().getTransactionId().equals(refund.getTransactionId()), refund.getTransactionId());
      assertThat(event.getTransaction().getKind()).isEqualTo(TransactionKind.REFUND);
      assertThat(event.getTransaction().getChargeId()).isEqualTo(charge.getTransactionId());
      assertThat(event.getTransaction().getBalanceAfter()).isEqualTo(gems(65));
    }
  }
}
