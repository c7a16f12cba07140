package io.natsharness.services.util.payment;

import static io.natsharness.services.util.kit.Calls.assertError;
import static io.natsharness.services.util.kit.Calls.assertInvalid;
import static io.natsharness.services.util.kit.Calls.assertPrecondition;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.proto.common.v1.ResourceRef;
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
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.support.Ids;
import io.natsharness.services.util.kit.Calls;
import io.natsharness.services.util.kit.Hosted;
import io.natsharness.services.util.kit.StoredEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("payment")
class PaymentServiceTest {

  static final String SETTLED = "evt.util.payment.v1.payment_settled";
  static Hosted hosted;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    hosted = Hosted.start(info, "payment");
  }

  @AfterAll
  static void stop() {
    if (hosted != null) {
      hosted.close();
    }
  }

  static Money money(String currency, long minorUnits) {
    return Money.newBuilder().setCurrency(currency).setMinorUnits(minorUnits).build();
  }

  static String owner() {
    return "player-" + UUID.randomUUID();
  }

  static Wallet wallet(Calls calls, Money... openings) {
    return calls.call("create_wallet", CreateWalletRequest.newBuilder().setOwnerId(owner())
        .addAllInitialBalances(List.of(openings)).build());
  }

  static ChargeRequest charge(String walletId, Money amount) {
    return ChargeRequest.newBuilder().setWalletId(walletId).setAmount(amount).setReason("buy iron sword").build();
  }

  static long balance(Calls calls, String walletId, String currency) {
    Wallet w = calls.call("get_balance", GetBalanceRequest.newBuilder().setWalletId(walletId).build());
    return w.getBalancesList().stream().filter(m -> m.getCurrency().equals(currency)).mapToLong(Money::getMinorUnits)
        .sum();
  }

  static List<Transaction> ledger(Calls calls, String walletId) {
    List<Transaction> all = new ArrayList<>();
    String token = "";
    for (int i = 0; i < 100; i++) {
      ListTransactionsResponse page = calls.call("list_transactions", ListTransactionsRequest.newBuilder()
          .setWalletId(walletId).setPage(PageRequest.newBuilder().setPageSize(100).setPageToken(token)).build());
      all.addAll(page.getTransactionsList());
      token = page.getPage().getNextPageToken();
      if (token.isEmpty()) {
        break;
      }
    }
    return all;
  }

  @Nested
  @DisplayName("create_wallet")
  class CreateWallet {

    @Test
    @DisplayName("derives the id from the owner and writes one OPENING entry per initial balance")
    void creates(RpcClient client) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      String owner = owner();
      Wallet w = calls.call("create_wallet", CreateWalletRequest.newBuilder().setOwnerId(owner)
          .addInitialBalances(money("GEM", 500)).addInitialBalances(money("EUR", 1050)).build());
      assertThat(w.getWalletId()).isEqualTo(Ids.derived("wal-", 16, owner));
      assertThat(w.getOwnerId()).isEqualTo(owner);
      assertThat(w.getBalancesList()).containsExactly(money("EUR", 1050), money("GEM", 500));
      assertThat(w.getMeta().getVersion()).isEqualTo(2);
      List<Transaction> entries = ledger(calls, w.getWalletId());
      assertThat(entries).extracting(Transaction::getKind).containsOnly(TransactionKind.OPENING);
      assertThat(entries).extracting(Transaction::getTransactionId).containsExactly(
          Ids.derived("txn-", 20, w.getWalletId(), "OPENING", "GEM"),
          Ids.derived("txn-", 20, w.getWalletId(), "OPENING", "EUR"));
      assertThat(entries).extracting(Transaction::getSequence).containsExactly(1L, 2L);
    }

    @Test
    @DisplayName("a second wallet for the same owner is ALREADY_EXISTS")
    void onePerOwner(RpcClient client) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      String owner = owner();
      calls.call("create_wallet", CreateWalletRequest.newBuilder().setOwnerId(owner).build());
      assertError(() -> calls.call("create_wallet", CreateWalletRequest.newBuilder().setOwnerId(owner).build()),
          Code.ALREADY_EXISTS, "owner " + owner + " already has wallet " + Ids.derived("wal-", 16, owner));
    }

    @Test
    @DisplayName("refuses a bad owner, currency, amount, repeated currency or too many currencies")
    void validates(RpcClient client) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      assertInvalid(() -> calls.call("create_wallet", CreateWalletRequest.getDefaultInstance()),
          "owner_id", "owner_id: must not be empty");
      assertInvalid(() -> calls.call("create_wallet", CreateWalletRequest.newBuilder().setOwnerId("x".repeat(129))
          .build()), "owner_id", "owner_id: must be at most 128 characters");
      assertInvalid(() -> calls.call("create_wallet", CreateWalletRequest.newBuilder().setOwnerId(owner())
          .addInitialBalances(money("eur", 5)).build()), "initial_balances[0].currency",
          "initial_balances[0].currency: must match [A-Z]{3,8}");
      assertInvalid(() -> calls.call("create_wallet", CreateWalletRequest.newBuilder().setOwnerId(owner())
          .addInitialBalances(money("EUR", 0)).build()), "initial_balances[0].minor_units",
          "initial_balances[0].minor_units: must be in [1, 1000000000000000]");
      assertInvalid(() -> calls.call("create_wallet", CreateWalletRequest.newBuilder().setOwnerId(owner())
          .addInitialBalances(money("EUR", 1_000_000_000_000_001L)).build()), "initial_balances[0].minor_units",
          "initial_balances[0].minor_units: must be in [1, 1000000000000000]");
      assertInvalid(() -> calls.call("create_wallet", CreateWalletRequest.newBuilder().setOwnerId(owner())
          .addInitialBalances(money("EUR", 1)).addInitialBalances(money("EUR", 2)).build()),
          "initial_balances[1].currency", "initial_balances[1].currency: repeats the currency of initial_balances[0]");
      CreateWalletRequest.Builder many = CreateWalletRequest.newBuilder().setOwnerId(owner());
      for (int i = 0; i < 17; i++) {
        many.addInitialBalances(money("CUR" + (char) ('A' + i), 1));
      }
      assertInvalid(() -> calls.call("create_wallet", many.build()), "initial_balances",
          "initial_balances: must have at most 16 entries");
    }

    @Test
    @DisplayName("publishes wallet_created once, with the wallet id as event id")
    void publishesWalletCreated(RpcClient client, JetStreamManagement jsm) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      Wallet w = wallet(calls, money("GEM", 7));
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(StoredEvents.ids(jsm, "EVT_UTIL", "evt.util.payment.v1.wallet_created"))
              .containsOnlyOnce(hosted.prefix() + w.getWalletId()));
      assertThat(StoredEvents.payloads(jsm, "EVT_UTIL", "evt.util.payment.v1.wallet_created", WalletCreated.parser()))
          .contains(WalletCreated.newBuilder().setWalletId(w.getWalletId()).setOwnerId(w.getOwnerId())
              .addInitialBalances(money("GEM", 7)).build());
    }
  }

  @Nested
  @DisplayName("get_balance")
  class GetBalance {

    @Test
    @DisplayName("an unknown wallet is NOT_FOUND and an empty id INVALID_ARGUMENT")
    void errors(RpcClient client) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      assertError(() -> calls.call("get_balance", GetBalanceRequest.newBuilder().setWalletId("wal-none").build()),
          Code.NOT_FOUND, "wallet wal-none does not exist");
      assertInvalid(() -> calls.call("get_balance", GetBalanceRequest.getDefaultInstance()), "wallet_id",
          "wallet_id: must not be empty");
    }
  }

  @Nested
  @DisplayName("charge")
  class Charge {

    @Test
    @DisplayName("takes the amount, appends a CHARGE entry and returns it")
    void charges(RpcClient client) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      Wallet w = wallet(calls, money("GEM", 1000));
      ChargeRequest request = charge(w.getWalletId(), money("GEM", 250)).toBuilder()
          .setReference(ResourceRef.newBuilder().setKind("item").setId("iron-sword")).build();
      Transaction t = calls.call("charge", request, "order-1");
      assertThat(t.getTransactionId()).isEqualTo(Ids.derived("txn-", 20, w.getWalletId(), "CHARGE", "order-1"));
      assertThat(t.getKind()).isEqualTo(TransactionKind.CHARGE);
      assertThat(t.getAmount()).isEqualTo(money("GEM", 250));
      assertThat(t.getBalanceAfter()).isEqualTo(money("GEM", 750));
      assertThat(t.getRefunded()).isEqualTo(money("GEM", 0));
      assertThat(t.getSequence()).isEqualTo(2);
      assertThat(t.getReference().getId()).isEqualTo("iron-sword");
      assertThat(t.getReason()).isEqualTo("buy iron sword");
      assertThat(balance(calls, w.getWalletId(), "GEM")).isEqualTo(750);
    }

    @Test
    @DisplayName("a repeat with the same key returns the first transaction and moves no money")
    void idempotent(RpcClient client, JetStreamManagement jsm) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      Wallet w = wallet(calls, money("GEM", 1000));
      Transaction first = calls.call("charge", charge(w.getWalletId(), money("GEM", 100)), "k-1");
      Transaction again = calls.call("charge", charge(w.getWalletId(), money("GEM", 999)), "k-1");
      assertThat(again).isEqualTo(first);
      assertThat(balance(calls, w.getWalletId(), "GEM")).isEqualTo(900);
      assertThat(ledger(calls, w.getWalletId())).hasSize(2);
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(StoredEvents.ids(jsm, "EVT_UTIL", SETTLED)).containsOnlyOnce(hosted.prefix()
              + first.getTransactionId()));
      assertThat(StoredEvents.payloads(jsm, "EVT_UTIL", SETTLED, PaymentSettled.parser()))
          .filteredOn(e -> e.getTransaction().getTransactionId().equals(first.getTransactionId())).hasSize(1);
    }

    @Test
    @DisplayName("insufficient funds is FAILED_PRECONDITION INSUFFICIENT_FUNDS, and the error is not remembered")
    void insufficientFunds(RpcClient client) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      Wallet w = wallet(calls, money("EUR", 100));
      Transaction big = calls.call("charge", charge(w.getWalletId(), money("EUR", 80)), "a");
      assertPrecondition(() -> calls.call("charge", charge(w.getWalletId(), money("EUR", 50)), "b"),
          "INSUFFICIENT_FUNDS", "wallet " + w.getWalletId() + " holds 20 EUR, less than the charge of 50");
      calls.call("refund", RefundRequest.newBuilder().setChargeId(big.getTransactionId()).build(), "r");
      Transaction retried = calls.call("charge", charge(w.getWalletId(), money("EUR", 50)), "b");
      assertThat(retried.getBalanceAfter()).isEqualTo(money("EUR", 50));
    }

    @Test
    @DisplayName("a currency the wallet never held is insufficient funds")
    void otherCurrency(RpcClient client) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      Wallet w = wallet(calls, money("EUR", 100));
      assertPrecondition(() -> calls.call("charge", charge(w.getWalletId(), money("GEM", 1)), "c"),
          "INSUFFICIENT_FUNDS", "wallet " + w.getWalletId() + " holds 0 GEM, less than the charge of 1");
    }

    @Test
    @DisplayName("needs an Idempotency-Key, a wallet, a well-formed amount and a short reason")
    void validates(RpcClient client, Connection nats) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      Wallet w = wallet(calls, money("EUR", 100));
      assertInvalid(() -> Calls.raw(nats, "svc.util.payment.v1.charge", charge(w.getWalletId(), money("EUR", 5)),
          Transaction.parser()), "Idempotency-Key", "Idempotency-Key: an Idempotency-Key header is required");
      assertInvalid(() -> calls.call("charge", charge("", money("EUR", 5)), "k"), "wallet_id",
          "wallet_id: must not be empty");
      assertInvalid(() -> calls.call("charge", charge(w.getWalletId(), money("EUR", 5)).toBuilder().clearAmount()
          .build(), "k"), "amount", "amount: is required");
      assertInvalid(() -> calls.call("charge", charge(w.getWalletId(), money("E1R", 5)), "k"), "amount.currency",
          "amount.currency: must match [A-Z]{3,8}");
      assertInvalid(() -> calls.call("charge", charge(w.getWalletId(), money("EUR", -5)), "k"),
          "amount.minor_units", "amount.minor_units: must be in [1, 1000000000000000]");
      assertInvalid(() -> calls.call("charge", charge(w.getWalletId(), money("EUR", 5)).toBuilder()
          .setReason("r".repeat(201)).build(), "k"), "reason", "reason: must be at most 200 characters");
      assertError(() -> calls.call("charge", charge("wal-unknown", money("EUR", 5)), "k"), Code.NOT_FOUND,
          "wallet wal-unknown does not exist");
      assertThat(balance(calls, w.getWalletId(), "EUR")).isEqualTo(100);
    }
  }

  @Nested
  @DisplayName("refund")
  class Refund {

    @Test
    @DisplayName("gives back part, then the remainder when amount is unset, never more than the charge")
    void partialThenRest(RpcClient client) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      Wallet w = wallet(calls, money("EUR", 1000));
      Transaction c = calls.call("charge", charge(w.getWalletId(), money("EUR", 300)), "c");
      Transaction part = calls.call("refund", RefundRequest.newBuilder().setChargeId(c.getTransactionId())
          .setAmount(money("EUR", 100)).setReason("sword was broken").build(), "r1");
      assertThat(part.getKind()).isEqualTo(TransactionKind.REFUND);
      assertThat(part.getChargeId()).isEqualTo(c.getTransactionId());
      assertThat(part.getBalanceAfter()).isEqualTo(money("EUR", 800));
      assertPrecondition(() -> calls.call("refund", RefundRequest.newBuilder().setChargeId(c.getTransactionId())
              .setAmount(money("EUR", 201)).build(), "r2"), "REFUND_EXCEEDS_CHARGE",
          "refund of 201 exceeds the unrefunded 200 EUR of charge " + c.getTransactionId());
      Transaction rest = calls.call("refund", RefundRequest.newBuilder().setChargeId(c.getTransactionId()).build(),
          "r3");
      assertThat(rest.getAmount()).isEqualTo(money("EUR", 200));
      assertThat(rest.getBalanceAfter()).isEqualTo(money("EUR", 1000));
      assertPrecondition(() -> calls.call("refund", RefundRequest.newBuilder().setChargeId(c.getTransactionId())
          .build(), "r4"), "REFUND_EXCEEDS_CHARGE", "charge " + c.getTransactionId() + " is fully refunded");
      Transaction charged = calls.call("charge", charge(w.getWalletId(), money("EUR", 1)), "c");
      assertThat(charged.getRefunded()).isEqualTo(money("EUR", 300));
    }

    @Test
    @DisplayName("a repeat with the same key returns the first refund and moves no money")
    void idempotent(RpcClient client) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      Wallet w = wallet(calls, money("EUR", 1000));
      Transaction c = calls.call("charge", charge(w.getWalletId(), money("EUR", 300)), "c");
      RefundRequest refund = RefundRequest.newBuilder().setChargeId(c.getTransactionId())
          .setAmount(money("EUR", 50)).build();
      Transaction first = calls.call("refund", refund, "r");
      assertThat((Transaction) calls.call("refund", refund, "r")).isEqualTo(first);
      assertThat(balance(calls, w.getWalletId(), "EUR")).isEqualTo(750);
    }

    @Test
    @DisplayName("a key already used for another charge of the wallet is INVALID_ARGUMENT")
    void keyOfAnotherCharge(RpcClient client) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      Wallet w = wallet(calls, money("EUR", 1000));
      Transaction c1 = calls.call("charge", charge(w.getWalletId(), money("EUR", 10)), "c1");
      Transaction c2 = calls.call("charge", charge(w.getWalletId(), money("EUR", 10)), "c2");
      calls.call("refund", RefundRequest.newBuilder().setChargeId(c1.getTransactionId()).build(), "r");
      assertInvalid(() -> calls.call("refund", RefundRequest.newBuilder().setChargeId(c2.getTransactionId()).build(),
          "r"), "Idempotency-Key", "Idempotency-Key: this Idempotency-Key was already used to refund charge "
          + c1.getTransactionId() + " of the same wallet");
    }

    @Test
    @DisplayName("refuses an unknown id, a transaction that is not a charge, and another currency")
    void errors(RpcClient client, Connection nats) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      Wallet w = wallet(calls, money("EUR", 1000));
      String opening = Ids.derived("txn-", 20, w.getWalletId(), "OPENING", "EUR");
      assertError(() -> calls.call("refund", RefundRequest.newBuilder().setChargeId("txn-nope").build(), "r"),
          Code.NOT_FOUND, "transaction txn-nope does not exist");
      assertPrecondition(() -> calls.call("refund", RefundRequest.newBuilder().setChargeId(opening).build(), "r"),
          "NOT_A_CHARGE", "transaction " + opening + " is OPENING, not a CHARGE");
      Transaction c = calls.call("charge", charge(w.getWalletId(), money("EUR", 10)), "c");
      assertInvalid(() -> calls.call("refund", RefundRequest.newBuilder().setChargeId(c.getTransactionId())
          .setAmount(money("GEM", 5)).build(), "r"), "amount.currency",
          "amount.currency: must be the currency of the charge, EUR");
      assertInvalid(() -> Calls.raw(nats, "svc.util.payment.v1.refund", RefundRequest.newBuilder()
          .setChargeId(c.getTransactionId()).build(), Transaction.parser()),
          "Idempotency-Key", "Idempotency-Key: an Idempotency-Key header is required");
      assertInvalid(() -> calls.call("refund", RefundRequest.getDefaultInstance(), "r"), "charge_id",
          "charge_id: must not be empty");
      assertInvalid(() -> calls.call("refund", RefundRequest.newBuilder().setChargeId(c.getTransactionId())
          .setAmount(money("EUR", 0)).build(), "r"), "amount.minor_units",
          "amount.minor_units: must be in [1, 1000000000000000]");
      assertThat(balance(calls, w.getWalletId(), "EUR")).isEqualTo(990);
    }
  }

  @Nested
  @DisplayName("list_transactions")
  class ListTransactions {

    @Test
    @DisplayName("pages the ledger in order with filters, and later entries land on later pages")
    void pages(RpcClient client) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      Wallet w = wallet(calls, money("EUR", 1000), money("GEM", 1000));
      for (int i = 0; i < 5; i++) {
        calls.call("charge", charge(w.getWalletId(), money(i % 2 == 0 ? "EUR" : "GEM", 10)), "k" + i);
      }
      ListTransactionsRequest eurCharges = ListTransactionsRequest.newBuilder().setWalletId(w.getWalletId())
          .setCurrency("EUR").setKind(TransactionKind.CHARGE).setPage(PageRequest.newBuilder().setPageSize(2)).build();
      ListTransactionsResponse first = calls.call("list_transactions", eurCharges);
      assertThat(first.getTransactionsList()).extracting(Transaction::getSequence).containsExactly(3L, 5L);
      calls.call("charge", charge(w.getWalletId(), money("EUR", 10)), "late");
      ListTransactionsResponse second = calls.call("list_transactions", eurCharges.toBuilder()
          .setPage(PageRequest.newBuilder().setPageSize(2).setPageToken(first.getPage().getNextPageToken())).build());
      assertThat(second.getTransactionsList()).extracting(Transaction::getSequence).containsExactly(7L, 8L);
      assertThat(second.getPage().getNextPageToken()).isEmpty();
    }

    @Test
    @DisplayName("refuses a token of other filters, a bad page size or currency, and an unknown wallet")
    void errors(RpcClient client) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      Wallet w = wallet(calls, money("EUR", 1000), money("GEM", 5));
      ListTransactionsResponse page = calls.call("list_transactions", ListTransactionsRequest.newBuilder()
          .setWalletId(w.getWalletId()).setPage(PageRequest.newBuilder().setPageSize(1)).build());
      assertInvalid(() -> calls.call("list_transactions", ListTransactionsRequest.newBuilder()
          .setWalletId(w.getWalletId()).setCurrency("EUR").setPage(PageRequest.newBuilder().setPageSize(1)
              .setPageToken(page.getPage().getNextPageToken())).build()), "page.page_token",
          "page.page_token: was not issued by this method for the same wallet and filters");
      assertInvalid(() -> calls.call("list_transactions", ListTransactionsRequest.newBuilder()
          .setWalletId(w.getWalletId()).setPage(PageRequest.newBuilder().setPageSize(101)).build()), "page.page_size",
          "page.page_size: must be in [0, 100]");
      assertInvalid(() -> calls.call("list_transactions", ListTransactionsRequest.newBuilder()
          .setWalletId(w.getWalletId()).setCurrency("eur").build()), "currency", "currency: must match [A-Z]{3,8}");
      assertError(() -> calls.call("list_transactions", ListTransactionsRequest.newBuilder().setWalletId("wal-x")
          .build()), Code.NOT_FOUND, "wallet wal-x does not exist");
    }
  }

  @Nested
  @DisplayName("under load and across restarts")
  class Durability {

    @Test
    @DisplayName("200 concurrent charges, each sent twice: balance and ledger agree, none negative, each key once")
    void concurrentCharges(RpcClient client, Connection nats) throws Exception {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      Wallet w = wallet(calls, money("GEM", 10_000));
      // Room for all 400 calls in flight at once (the default client allows 256).
      try (RpcClient wide = RpcClient.builder().connection(nats).maxInFlight(512).build()) {
        chargeConcurrently(calls, wide, w);
      }
    }

    private void chargeConcurrently(Calls calls, RpcClient client, Wallet w) {
      List<java.util.concurrent.CompletableFuture<Transaction>> calls400 = new ArrayList<>();
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 200; i++) {
          calls400.add(client.callAsync("svc.util.payment.v1.charge", charge(w.getWalletId(), money("GEM", 75)),
              io.natsharness.sdk.client.CallOptions.builder().idempotencyKey("load-" + i)
                  .timeout(Duration.ofSeconds(30)).build()));
        }
      }
      java.util.Map<String, String> txnByKey = new java.util.HashMap<>();
      int refused = 0;
      for (int i = 0; i < calls400.size(); i++) {
        try {
          Transaction t = calls400.get(i).join();
          String previous = txnByKey.putIfAbsent("load-" + (i % 200), t.getTransactionId());
          assertThat(previous == null || previous.equals(t.getTransactionId())).isTrue();
        } catch (java.util.concurrent.CompletionException e) {
          assertThat(e.getCause()).isInstanceOf(io.natsharness.sdk.status.RpcException.class);
          assertThat(((io.natsharness.sdk.status.RpcException) e.getCause()).code())
              .isEqualTo(Code.FAILED_PRECONDITION);
          refused++;
        }
      }
      List<Transaction> entries = ledger(calls, w.getWalletId());
      List<Transaction> charges = entries.stream().filter(t -> t.getKind() == TransactionKind.CHARGE).toList();
      long balance = balance(calls, w.getWalletId(), "GEM");
      long sum = entries.stream().mapToLong(t -> t.getKind() == TransactionKind.CHARGE
          ? -t.getAmount().getMinorUnits() : t.getAmount().getMinorUnits()).sum();
      assertThat(charges).hasSize(133);
      assertThat(txnByKey).hasSize(133);
      assertThat(refused).isEqualTo(400 - 2 * 133);
      assertThat(balance).isEqualTo(25).isEqualTo(sum);
      assertThat(entries).extracting(Transaction::getSequence)
          .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 134).boxed().toList());
      assertThat(entries).allSatisfy(t -> assertThat(t.getBalanceAfter().getMinorUnits()).isNotNegative());
      assertThat(charges).extracting(Transaction::getTransactionId).doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(txnByKey.values());
    }

    @Test
    @DisplayName("a new host on the same Redis sees wallets, ledgers and the keys already used")
    void survivesRestart(RpcClient client) {
      Calls calls = new Calls(client, "svc.util.payment.v1");
      Wallet w = wallet(calls, money("EUR", 500));
      Transaction c = calls.call("charge", charge(w.getWalletId(), money("EUR", 120)), "before-restart");
      hosted.restart();
      assertThat(balance(calls, w.getWalletId(), "EUR")).isEqualTo(380);
      assertThat((Transaction) calls.call("charge", charge(w.getWalletId(), money("EUR", 120)), "before-restart"))
          .isEqualTo(c);
      assertThat(ledger(calls, w.getWalletId())).hasSize(2);
    }
  }
}
