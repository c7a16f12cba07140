package io.natsharness.conformance.contract.util;

import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.contract.kit.ContractChecks;
import java.util.List;

/**
 * The contract checks of payment (util/payment/v1/payment.proto): wallets and derived ids, charges
 * and refunds with their Idempotency-Key, insufficient funds, refund limits, the ledger invariant
 * (it sums to the balance, sequences without gaps), bursts of concurrent charges and refunds that
 * never overdraw, expired deadlines that move nothing, and payment_settled / wallet_created.
 *
 * <pre>{@code
 * List<Check> checks = PaymentChecks.checks();   // contract.payment.*
 * }</pre>
 */
public final class PaymentChecks {

  private PaymentChecks() {}

  public static List<Check> checks() {
    ContractChecks checks = ContractChecks.forService(Payments.SERVICE);
    WalletChecks.add(checks);
    ChargeChecks.add(checks);
    RefundChecks.add(checks);
    return checks.build();
  }
}
