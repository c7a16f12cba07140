package io.natsharness.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nats.client.Connection;
import io.natsharness.proto.util.payment.v1.ChargeRequest;
import io.natsharness.proto.util.payment.v1.CreateWalletRequest;
import io.natsharness.proto.util.payment.v1.GetBalanceRequest;
import io.natsharness.proto.util.payment.v1.Transaction;
import io.natsharness.proto.util.payment.v1.Wallet;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.ServiceHost;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.support.NatsServerExtension;
import io.natsharness.sdk.support.ScriptedService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Retry, circuit breaker and bulkhead of the client against a real host. */
class ResilienceTest {

  @RegisterExtension
  static final NatsServerExtension NATS = new NatsServerExtension();

  private static final String GET_BALANCE = "svc.util.payment.v1.get_balance";
  private static final RetryPolicy FAST_RETRY = new RetryPolicy(3, Duration.ofMillis(10), 2.0, 0.5);
  /** Runs per wallet id (get_balance), per owner (create_wallet), per idempotency key (charge). */
  private static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();
  private static final Map<String, List<String>> CHARGE_KEYS = new ConcurrentHashMap<>();
  private static final CountDownLatch RELEASE = new CountDownLatch(1);

  private static Connection nats;
  private static ServiceHost host;

  /** wallet "flaky-<name>-<n>" fails UNAVAILABLE n times, then answers; "down" always fails. */
  @BeforeAll
  static void start() {
    nats = NATS.connect();
    host = ServiceHost.builder().connection(nats).add(ScriptedService.of("payment")
        .unary("get_balance", (GetBalanceRequest q, CallContext ctx) -> {
          String id = q.getWalletId();
          int run = runs(id).incrementAndGet();
          if (id.startsWith("flaky-") && run <= Integer.parseInt(id.substring(id.lastIndexOf('-') + 1))) {
            throw RpcException.unavailable("flaky, run " + run);
          }
          switch (id) {
            case "down" -> throw RpcException.unavailable("down");
            case "internal" -> throw RpcException.internal("broken");
            case "missing" -> throw RpcException.notFound("no such wallet");
            case "block" -> RELEASE.await(5, TimeUnit.SECONDS);
            default -> { }
          }
          return Wallet.newBuilder().setWalletId(id).build();
        })
        .unary("create_wallet", (CreateWalletRequest q, CallContext ctx) -> {
          runs("create-" + q.getOwnerId()).incrementAndGet();
          throw RpcException.unavailable("try later");
        })
        .unary("charge", (ChargeRequest q, CallContext ctx) -> {
          CHARGE_KEYS.computeIfAbsent(q.getWalletId(), k -> new CopyOnWriteArrayList<>())
              .add(ctx.idempotencyKey().orElse("none"));
          if (q.getWalletId().startsWith("flaky") && runs("charge-" + q.getWalletId()).incrementAndGet() <= 2) {
            throw RpcException.unavailable("ledger busy");
          }
          return Transaction.newBuilder().setWalletId(q.getWalletId()).build();
        })).build().start();
  }

  @AfterAll
  static void stop() {
    RELEASE.countDown();
    host.close();
  }

  private static AtomicInteger runs(String key) {
    return RUNS.computeIfAbsent(key, k -> new AtomicInteger());
  }

  private static GetBalanceRequest wallet(String id) {
    return GetBalanceRequest.newBuilder().setWalletId(id).build();
  }

  @Nested
  @DisplayName("retry")
  class Retry {

    @Test
    @DisplayName("re-sends UNAVAILABLE on a read-only method until it answers")
    void happens() {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      try (RpcClient client = RpcClient.builder().connection(nats).retry(FAST_RETRY).meterRegistry(meters).build()) {
        Wallet wallet = client.call(GET_BALANCE, wallet("flaky-a-2"));
        assertThat(wallet.getWalletId()).isEqualTo("flaky-a-2");
      }
      assertThat(runs("flaky-a-2")).hasValue(3);
      assertThat(meters.get("nh.client.retries").tag("method", "get_balance").counter().count()).isEqualTo(2.0);
    }

    @Test
    @DisplayName("gives up after maxAttempts with the last UNAVAILABLE")
    void exhausts() {
      try (RpcClient client = RpcClient.builder().connection(nats).retry(FAST_RETRY).build()) {
        assertThatThrownBy(() -> client.call(GET_BALANCE, wallet("flaky-b-5")))
            .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.statusMessage()).isEqualTo("flaky, run 3"));
      }
      assertThat(runs("flaky-b-5")).hasValue(3);
    }

    @Test
    @DisplayName("must not re-send a method that is neither idempotent nor keyed")
    void notForUnsafeMethods() {
      try (RpcClient client = RpcClient.builder().connection(nats).retry(FAST_RETRY).build()) {
        assertThatThrownBy(() -> client.call("svc.util.payment.v1.create_wallet",
            CreateWalletRequest.newBuilder().setOwnerId("o-1").build()))
            .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
      }
      assertThat(runs("create-o-1")).hasValue(1);
    }

    @Test
    @DisplayName("re-sends a keyed method with the same Idempotency-Key every time")
    void sameKey() {
      try (RpcClient client = RpcClient.builder().connection(nats).retry(FAST_RETRY).build()) {
        client.call("svc.util.payment.v1.charge", ChargeRequest.newBuilder().setWalletId("flaky-k").build());
      }
      List<String> keys = CHARGE_KEYS.get("flaky-k");
      assertThat(keys).hasSize(3).containsOnly(keys.get(0));
    }

    @Test
    @DisplayName("does not retry other codes")
    void onlyUnavailable() {
      try (RpcClient client = RpcClient.builder().connection(nats).retry(FAST_RETRY).build()) {
        assertThatThrownBy(() -> client.call(GET_BALANCE, wallet("internal")))
            .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(Code.INTERNAL));
      }
      assertThat(runs("internal")).hasValue(1);
    }

    @Test
    @DisplayName("does not wait past the deadline: the UNAVAILABLE stands")
    void respectsDeadline() {
      RetryPolicy slow = new RetryPolicy(5, Duration.ofSeconds(2), 2.0, 0.0);
      try (RpcClient client = RpcClient.builder().connection(nats).retry(slow).build()) {
        assertThatThrownBy(() -> client.call(GET_BALANCE, wallet("flaky-c-9"),
            CallOptions.builder().timeout(Duration.ofMillis(500)).build()))
            .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
      }
      assertThat(runs("flaky-c-9")).hasValue(1);
    }
  }

  @Nested
  @DisplayName("circuit breaker")
  class Breaker {

    private final CircuitBreakerConfig config = CircuitBreakerConfig.custom()
        .slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofMinutes(1)).build();

    @Test
    @DisplayName("opens after failures and then refuses at once without sending, per subject")
    void opens() {
      try (RpcClient client = RpcClient.builder().connection(nats).retry(RetryPolicy.none())
          .circuitBreaker(config).build()) {
        for (int i = 0; i < 4; i++) {
          assertThatThrownBy(() -> client.call(GET_BALANCE, wallet("down"))).isInstanceOf(RpcException.class);
        }
        int before = runs("down").get();
        assertThatThrownBy(() -> client.call(GET_BALANCE, wallet("down")))
            .isInstanceOfSatisfying(RpcException.class, e -> {
              assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
              assertThat(e.statusMessage()).isEqualTo(
                  "circuit breaker for svc.util.payment.v1.get_balance is open: recent calls failed; not sent");
              assertThat(e.errorDetail().orElseThrow().getReason()).isEqualTo("CIRCUIT_OPEN");
            });
        assertThat(runs("down")).hasValue(before);
        assertThat(client.circuitBreakers().circuitBreaker(GET_BALANCE).getState()).isEqualTo(CircuitBreaker.State.OPEN);
        Transaction t = client.call("svc.util.payment.v1.charge", ChargeRequest.newBuilder().setWalletId("wal-cb").build(),
            CallOptions.defaults());
        assertThat(t.getWalletId()).as("another subject is not affected").isEqualTo("wal-cb");
      }
    }

    @Test
    @DisplayName("does not count answers such as NOT_FOUND as failures")
    void answersAreNotFailures() {
      try (RpcClient client = RpcClient.builder().connection(nats).retry(RetryPolicy.none())
          .circuitBreaker(config).build()) {
        for (int i = 0; i < 6; i++) {
          assertThatThrownBy(() -> client.call(GET_BALANCE, wallet("missing"))).isInstanceOf(RpcException.class);
        }
        assertThat(client.circuitBreakers().circuitBreaker(GET_BALANCE).getState()).isEqualTo(CircuitBreaker.State.CLOSED);
      }
    }
  }

  @Test
  @DisplayName("the bulkhead refuses calls beyond maxInFlight at once with RESOURCE_EXHAUSTED")
  void bulkhead() throws Exception {
    try (RpcClient client = RpcClient.builder().connection(nats).maxInFlight(1).build()) {
      CompletableFuture<Wallet> blocked = client.callAsync(GET_BALANCE, wallet("block"), CallOptions.defaults());
      assertThatThrownBy(() -> client.call(GET_BALANCE, wallet("wal-2")))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED);
            assertThat(e.statusMessage()).isEqualTo(
                "more than 1 calls in flight on this client; svc.util.payment.v1.get_balance not sent");
          });
      RELEASE.countDown();
      assertThat(blocked.get(5, TimeUnit.SECONDS).getWalletId()).isEqualTo("block");
      assertThat(client.<Wallet>call(GET_BALANCE, wallet("wal-3")).getWalletId()).as("permit returned").isEqualTo("wal-3");
    }
  }
}
