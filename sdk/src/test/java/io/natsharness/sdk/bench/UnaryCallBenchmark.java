package io.natsharness.sdk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.natsharness.proto.util.payment.v1.GetBalanceRequest;
import io.natsharness.proto.util.payment.v1.Wallet;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.ServiceHost;
import io.natsharness.sdk.support.NatsServerExtension;
import io.natsharness.sdk.support.ScriptedService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A unary call through RpcClient and ServiceHost against a raw jnats request/reply echo on the
 * same nats-server, as a ratio. Prints figures; asserts only that both sides answered.
 *
 * <p>Run: {@code ./mvnw -B -o test -pl sdk -Dgroups=benchmark -Dsdk.test.excludedGroups=none}
 */
@Tag("benchmark")
class UnaryCallBenchmark {

  @RegisterExtension
  static final NatsServerExtension NATS = new NatsServerExtension();

  private static final String RAW_SUBJECT = "bench.echo";
  private static final String SDK_SUBJECT = "svc.util.payment.v1.get_balance";
  private static final int WARMUP = 5_000;
  private static final int SEQUENTIAL = 20_000;
  private static final int THREADS = 8;
  private static final Duration CONCURRENT_FOR = Duration.ofSeconds(3);

  @FunctionalInterface
  interface Call {
    void run() throws Exception;
  }

  @Test
  void unaryVersusRawEcho() throws Exception {
    Connection server = NATS.connect();
    Connection clientConnection = NATS.connect();
    GetBalanceRequest request = GetBalanceRequest.newBuilder().setWalletId("wal-0123456789abcdef").build();
    byte[] body = request.toByteArray();

    Dispatcher echo = server.createDispatcher(msg -> server.publish(msg.getReplyTo(), msg.getData()));
    echo.subscribe(RAW_SUBJECT, "q");
    try (ServiceHost host = ServiceHost.builder().connection(server).add(ScriptedService.of("payment")
            .unary("get_balance", (GetBalanceRequest q, CallContext ctx) -> Wallet.newBuilder()
                .setWalletId(q.getWalletId()).build())).build().start();
         RpcClient client = RpcClient.builder().connection(clientConnection).build()) {
      server.flush(Duration.ofSeconds(5));

      Call raw = () -> clientConnection.request(RAW_SUBJECT, body, Duration.ofSeconds(5));
      Call sdk = () -> client.call(SDK_SUBJECT, request, CallOptions.defaults());
      assertThat(clientConnection.request(RAW_SUBJECT, body, Duration.ofSeconds(5)).getData()).isEqualTo(body);
      assertThat(client.<Wallet>call(SDK_SUBJECT, request).getWalletId()).isEqualTo(request.getWalletId());

      sequential(raw, WARMUP);
      sequential(sdk, WARMUP);
      Histogram rawLatency = sequential(raw, SEQUENTIAL);
      Histogram sdkLatency = sequential(sdk, SEQUENTIAL);
      double rawRate = concurrent(raw);
      double sdkRate = concurrent(sdk);

      System.out.println();
      System.out.println("Unary call: RpcClient + ServiceHost vs raw jnats request/reply echo (same nats-server, "
          + Runtime.getRuntime().availableProcessors() + " CPUs)");
      System.out.printf(Locale.ROOT, "%-34s %10s %10s %8s%n", "", "raw jnats", "sdk", "sdk/raw");
      row("sequential p50 latency (us)", rawLatency.getValueAtPercentile(50), sdkLatency.getValueAtPercentile(50));
      row("sequential p90 latency (us)", rawLatency.getValueAtPercentile(90), sdkLatency.getValueAtPercentile(90));
      row("sequential p99 latency (us)", rawLatency.getValueAtPercentile(99), sdkLatency.getValueAtPercentile(99));
      row("sequential mean latency (us)", rawLatency.getMean(), sdkLatency.getMean());
      System.out.printf(Locale.ROOT, "%-34s %10.0f %10.0f %8.2f%n", THREADS + " threads, calls per second",
          rawRate, sdkRate, sdkRate / rawRate);
      System.out.println();
    } finally {
      server.closeDispatcher(echo);
    }
  }

  private static void row(String label, double raw, double sdk) {
    System.out.printf(Locale.ROOT, "%-34s %10.1f %10.1f %8.2f%n", label, raw, sdk, sdk / raw);
  }

  private static Histogram sequential(Call call, int count) throws Exception {
    Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(10), 3);
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      call.run();
      histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
    }
    return histogram;
  }

  private static double concurrent(Call call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + CONCURRENT_FOR.toNanos();
    List<Future<?>> futures = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < THREADS; t++) {
      futures.add(pool.submit(() -> {
        while (System.nanoTime() < end) {
          call.run();
          done.incrementAndGet();
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }
}
