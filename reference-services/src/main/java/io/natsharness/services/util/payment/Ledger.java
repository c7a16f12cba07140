package io.natsharness.services.util.payment;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.sync.RedisCommands;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.common.v1.ResourceRef;
import io.natsharness.proto.util.payment.v1.Transaction;
import io.natsharness.proto.util.payment.v1.TransactionKind;
import io.natsharness.proto.util.payment.v1.Wallet;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.Ids;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.util.kit.EventOutbox;
import io.natsharness.services.util.kit.LuaScript;
import io.natsharness.services.util.kit.Records;
import io.natsharness.services.util.kit.ScriptReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Wallets and their append-only ledger in Redis. Every balance change is one Lua script that
 * checks, moves the money, appends the ledger entry and records the pending event together, so
 * the ledger always sums to the balance and nothing goes negative under any concurrency.
 *
 * <p>Keys under {@code payment:}: {@code wallet:<id>} (hash: owner, version = ledger length,
 * {@code bal:<CUR>} per currency), {@code ledger:<id>} (list of transaction ids in sequence
 * order), {@code txn:<id>} (hash of one entry), {@code outbox}.
 *
 * <pre>{@code
 * Ledger ledger = new Ledger(ctx, outbox);
 * String txnId = ledger.charge(walletId, key, money, "buy sword", ref);
 * Transaction t = ledger.transaction(txnId).orElseThrow();
 * }</pre>
 */
final class Ledger {

  static final String SERVICE = "payment";
  private static final LuaScript CREATE = LuaScript.resource(Ledger.class, "create_wallet.lua");
  private static final LuaScript CHARGE = LuaScript.resource(Ledger.class, "charge.lua");
  private static final LuaScript REFUND = LuaScript.resource(Ledger.class, "refund.lua");

  private final ServiceContext ctx;
  private final EventOutbox outbox;

  Ledger(ServiceContext ctx, EventOutbox outbox) {
    this.ctx = ctx;
    this.outbox = outbox;
  }

  static String walletId(String ownerId) {
    return Ids.derived("wal-", 16, ownerId);
  }

  static String transactionId(String walletId, TransactionKind kind, String key) {
    return Ids.derived("txn-", 20, walletId, kind.name(), key);
  }

  /** Creates the wallet with its OPENING entries; ALREADY_EXISTS when the owner has one. */
  void create(String walletId, String ownerId, List<Money> openings) {
    List<String> keys = new ArrayList<>(List.of(walletKey(walletId), ledgerKey(walletId), outbox.key()));
    long now = ctx.clock().millis();
    List<String> args = new ArrayList<>(List.of(walletId, ownerId, Long.toString(now),
        EventOutbox.pendingEntry("wallet_created", now)));
    for (Money m : openings) {
      String txnId = transactionId(walletId, TransactionKind.OPENING, m.getCurrency());
      keys.add(txnKey(txnId));
      args.addAll(List.of(txnId, m.getCurrency(), Long.toString(m.getMinorUnits())));
    }
    CREATE.run(redis(), keys, args).ok();
  }

  /** Charges once per key; returns the transaction id and whether this call made it. */
  Outcome charge(String walletId, String idempotencyKey, Money amount, String reason, ResourceRef ref) {
    String txnId = transactionId(walletId, TransactionKind.CHARGE, idempotencyKey);
    long now = ctx.clock().millis();
    ScriptReply r = CHARGE.run(redis(), List.of(walletKey(walletId), ledgerKey(walletId), txnKey(txnId),
        outbox.key()), List.of(txnId, walletId, amount.getCurrency(), Long.toString(amount.getMinorUnits()),
        reason, ref.getKind(), ref.getId(), Long.toString(now), EventOutbox.pendingEntry("payment_settled", now)))
        .ok();
    return new Outcome(txnId, "NEW".equals(r.stringAt(1)));
  }

  /** Refunds once per key; {@code amount} empty = the remainder. */
  Outcome refund(String chargeId, String idempotencyKey, Optional<Money> amount, String reason) {
    String walletId = Optional.ofNullable(redis().hget(txnKey(chargeId), "wallet"))
        .orElseThrow(() -> RpcException.notFound("transaction " + chargeId + " does not exist"));
    String txnId = transactionId(walletId, TransactionKind.REFUND, idempotencyKey);
    long now = ctx.clock().millis();
    ScriptReply r = REFUND.run(redis(), List.of(txnKey(chargeId), txnKey(txnId), walletKey(walletId),
        ledgerKey(walletId), outbox.key()), List.of(txnId, chargeId, walletId,
        amount.map(m -> Long.toString(m.getMinorUnits())).orElse(""), amount.map(Money::getCurrency).orElse(""),
        reason, Long.toString(now), EventOutbox.pendingEntry("payment_settled", now))).ok();
    return new Outcome(txnId, "NEW".equals(r.stringAt(1)));
  }

  /** A transaction id and whether this call created it (false = an idempotent repeat). */
  record Outcome(String transactionId, boolean created) {}

  Optional<Wallet> wallet(String walletId) {
    Map<String, String> h = redis().hgetall(walletKey(walletId));
    if (h.isEmpty()) {
      return Optional.empty();
    }
    Wallet.Builder w = Wallet.newBuilder().setWalletId(walletId).setOwnerId(h.getOrDefault("owner", ""))
        .setMeta(Records.meta(h));
    new TreeMap<>(h).forEach((field, value) -> {
      if (field.startsWith("bal:")) {
        w.addBalances(money(field.substring(4), Records.parseLong(value)));
      }
    });
    return Optional.of(w.build());
  }

  Optional<Transaction> transaction(String txnId) {
    Map<String, String> h = redis().hgetall(txnKey(txnId));
    return h.isEmpty() ? Optional.empty() : Optional.of(transaction(txnId, h));
  }

  /** Ledger ids from index {@code from} (0-based), at most {@code count}. */
  List<String> ledgerIds(String walletId, long from, int count) {
    return redis().lrange(ledgerKey(walletId), from, from + count - 1);
  }

  /** The transactions of the ids, in order, read in one pipelined round; a missing one is DATA_LOSS. */
  List<Transaction> transactions(List<String> ids) {
    List<RedisFuture<Map<String, String>>> futures = new ArrayList<>();
    ids.forEach(id -> futures.add(ctx.redis().async().hgetall(txnKey(id))));
    List<Transaction> out = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      Map<String, String> h = await(futures.get(i));
      if (h.isEmpty()) {
        throw RpcException.dataLoss("ledger entry " + ids.get(i) + " is missing");
      }
      out.add(transaction(ids.get(i), h));
    }
    return out;
  }

  private static Transaction transaction(String id, Map<String, String> h) {
    TransactionKind kind = TransactionKind.valueOf(h.get("kind"));
    String currency = h.get("currency");
    Transaction.Builder t = Transaction.newBuilder().setTransactionId(id).setWalletId(h.get("wallet")).setKind(kind)
        .setAmount(money(currency, Records.parseLong(h.get("amount"))))
        .setBalanceAfter(money(currency, Records.parseLong(h.get("balance_after"))))
        .setReason(h.getOrDefault("reason", "")).setSequence(Records.parseLong(h.get("seq")))
        .setCreatedAt(Records.timestamp(Records.parseLong(h.get("created_ms"))));
    if (kind == TransactionKind.CHARGE) {
      t.setRefunded(money(currency, Records.parseLong(h.get("refunded"))));
    }
    if (kind == TransactionKind.REFUND) {
      t.setChargeId(h.get("charge_id"));
    }
    if (!h.getOrDefault("ref_kind", "").isEmpty() || !h.getOrDefault("ref_id", "").isEmpty()) {
      t.setReference(ResourceRef.newBuilder().setKind(h.get("ref_kind")).setId(h.get("ref_id")));
    }
    return t.build();
  }

  private static Money money(String currency, long minorUnits) {
    return Money.newBuilder().setCurrency(currency).setMinorUnits(minorUnits).build();
  }

  private static <T> T await(RedisFuture<T> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RpcException.unavailable("interrupted while reading the ledger");
    } catch (ExecutionException | TimeoutException e) {
      throw RpcException.unavailable("the ledger could not be read: " + e.getMessage());
    }
  }

  private RedisCommands<String, String> redis() {
    return ctx.redis().sync();
  }

  private String walletKey(String walletId) {
    return ctx.key(SERVICE, "wallet", walletId);
  }

  private String ledgerKey(String walletId) {
    return ctx.key(SERVICE, "ledger", walletId);
  }

  private String txnKey(String txnId) {
    return ctx.key(SERVICE, "txn", txnId);
  }
}
