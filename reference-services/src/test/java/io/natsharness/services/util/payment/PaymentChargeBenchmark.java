package io.natsharness.services.util.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.util.payment.v1.ChargeRequest;
import io.natsharness.proto.util.payment.v1.CreateWalletRequest;
import io.natsharness.proto.util.payment.v1.Transaction;
import io.natsharness.proto.util.payment.v1.Wallet;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.util.kit.Hosted;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * payment.charge over NATS against a hosted PaymentService on a real nats-server and Redis: the
 * latency of sequential charges, then the throughput of 16 callers on one wallet (every charge
 * contends for the same Lua-serialized keys) and on 16 wallets. Prints figures; asserts only that
 * the charges were made.
 *
 * <p>Run: {@code ./mvnw -B -o test -pl reference-services -Dtest=PaymentChargeBenchmark -Dbenchmark=true}
 */
@NatsHarnessTest
@EnabledIfSystemProperty(named = "benchmark", matches = "true")
class PaymentChargeBenchmark {

  private static final int WARMUP = 1_000;
  private static final int SEQUENTIAL = 5_000;
  private static final int THREADS = 16;
  private static final int PER_THREAD = 500;
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

  @Test
  void charges(RpcClient client) throws Exception {
    String one = wallet(client);
    for (int i = 0; i < WARMUP; i++) {
      charge(client, one);
    }
    long[] nanos = new long[SEQUENTIAL];
    for (int i = 0; i < SEQUENTIAL; i++) {
      long t0 = System.nanoTime();
      charge(client, one);
      nanos[i] = System.nanoTime() - t0;
    }
    Arrays.sort(nanos);
    System.out.printf(Locale.ROOT, "payment.charge sequential, %d calls: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms,"
        + " max %.3f ms%n", SEQUENTIAL, ms(nanos, 0.50), ms(nanos, 0.90), ms(nanos, 0.99), nanos[SEQUENTIAL - 1] / 1e6);

    List<String> many = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      many.add(wallet(client));
    }
    report("one wallet", throughput(client, i -> one));
    report("16 wallets", throughput(client, many::get));
  }

  private static double throughput(RpcClient client, java.util.function.IntFunction<String> walletOf)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    AtomicInteger done = new AtomicInteger();
    try {
      long t0 = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        String walletId = walletOf.apply(t);
        futures.add(pool.submit(() -> {
          for (int i = 0; i < PER_THREAD; i++) {
            charge(client, walletId);
            done.incrementAndGet();
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(done.get()).isEqualTo(THREADS * PER_THREAD);
      return done.get() / seconds;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void report(String what, double perSecond) {
    System.out.printf(Locale.ROOT, "payment.charge, %d callers on %s: %.0f charges/s%n", THREADS, what, perSecond);
  }

  private static String wallet(RpcClient client) {
    Wallet w = client.call("svc.util.payment.v1.create_wallet", CreateWalletRequest.newBuilder()
        .setOwnerId("bench-" + UUID.randomUUID())
        .addInitialBalances(Money.newBuilder().setCurrency("GEM").setMinorUnits(1_000_000_000L)).build());
    return w.getWalletId();
  }

  private static void charge(RpcClient client, String walletId) {
    Transaction t = client.call("svc.util.payment.v1.charge", ChargeRequest.newBuilder().setWalletId(walletId)
        .setAmount(Money.newBuilder().setCurrency("GEM").setMinorUnits(1)).build(),
        CallOptions.builder().idempotencyKey(UUID.randomUUID().toString()).build());
    assertThat(t.getSequence()).isPositive();
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
  }
}
