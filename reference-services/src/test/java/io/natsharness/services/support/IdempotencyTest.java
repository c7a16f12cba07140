package io.natsharness.services.support;

import static io.natsharness.services.testing.RpcAssertions.assertInvalid;
import static io.natsharness.services.testing.RpcAssertions.assertRpcError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import com.google.rpc.Code;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.Connection;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.status.RpcException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("Idempotency")
class IdempotencyTest {

  private static final MethodInfo CHARGE = ServiceCatalog.load().method("svc.util.payment.v1.charge").orElseThrow();

  private StatefulRedisConnection<String, String> redis;
  private Idempotency idempotency;
  private final AtomicInteger runs = new AtomicInteger();

  @BeforeEach
  void setUp(Connection nats, RedisClient redisClient, HarnessRuntimeInfo info) {
    redis = redisClient.connect();
    idempotency = new Idempotency(ServiceContext.of(nats, redis, info.keyPrefix()));
  }

  @AfterEach
  void tearDown() {
    redis.close();
  }

  private static CallContext call(String key) {
    CallContext.Builder builder = CallContext.builder().method(CHARGE).timeout(Duration.ofSeconds(5));
    if (key != null) {
      builder.header("Idempotency-Key", key);
    }
    return builder.build();
  }

  private StringValue work(String value) {
    runs.incrementAndGet();
    return StringValue.of(value);
  }

  @Nested
  @DisplayName("the key")
  class Key {

    @Test
    @DisplayName("is required: INVALID_ARGUMENT naming Idempotency-Key")
    void missingKey() {
      assertInvalid(() -> idempotency.once(call(null), "w", StringValue.parser(), () -> work("a")),
          "Idempotency-Key", "Idempotency-Key: an Idempotency-Key header is required");
      assertThat(runs).hasValue(0);
    }

    @Test
    @DisplayName("is at most 255 characters")
    void tooLong() {
      assertInvalid(() -> idempotency.once(call("k".repeat(256)), "w", StringValue.parser(), () -> work("a")),
          "Idempotency-Key", "Idempotency-Key: the Idempotency-Key must be at most 255 characters");
    }
  }

  @Nested
  @DisplayName("a repeat")
  class Repeat {

    @Test
    @DisplayName("returns the first result without running the work again")
    void returnsFirstResult() {
      String key = UUID.randomUUID().toString();
      StringValue first = idempotency.once(call(key), "w", StringValue.parser(), () -> work("first"));
      StringValue second = idempotency.once(call(key), "w", StringValue.parser(), () -> work("second"));
      assertThat(first.getValue()).isEqualTo("first");
      assertThat(second).isEqualTo(first);
      assertThat(runs).hasValue(1);
    }

    @Test
    @DisplayName("in another scope runs again")
    void scopes() {
      String key = UUID.randomUUID().toString();
      idempotency.once(call(key), "player-1", StringValue.parser(), () -> work("a"));
      StringValue other = idempotency.once(call(key), "player-2", StringValue.parser(), () -> work("b"));
      assertThat(other.getValue()).isEqualTo("b");
      assertThat(runs).hasValue(2);
    }

    @Test
    @DisplayName("after an error runs the work again: errors are not remembered")
    void errorsAreNotRemembered() {
      String key = UUID.randomUUID().toString();
      assertRpcError(() -> idempotency.once(call(key), "w", StringValue.parser(), () -> {
        runs.incrementAndGet();
        throw RpcException.failedPrecondition("INSUFFICIENT_FUNDS", "too poor");
      }), Code.FAILED_PRECONDITION, "too poor");
      StringValue retried = idempotency.once(call(key), "w", StringValue.parser(), () -> work("ok"));
      assertThat(retried.getValue()).isEqualTo("ok");
      assertThat(runs).hasValue(2);
    }

    @Test
    @DisplayName("survives a new helper on the same Redis (state, not memory)")
    void survivesANewInstance(Connection nats, HarnessRuntimeInfo info) {
      String key = UUID.randomUUID().toString();
      idempotency.once(call(key), "w", StringValue.parser(), () -> work("kept"));
      Idempotency fresh = new Idempotency(ServiceContext.of(nats, redis, info.keyPrefix()));
      assertThat(fresh.once(call(key), "w", StringValue.parser(), () -> work("new")).getValue()).isEqualTo("kept");
    }
  }

  @Nested
  @DisplayName("concurrent repeats")
  class Concurrent {

    @Test
    @DisplayName("of one key run the work once and all get its result")
    void runOnce() throws Exception {
      String key = UUID.randomUUID().toString();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      CountDownLatch go = new CountDownLatch(1);
      try {
        List<Future<StringValue>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          int n = i;
          results.add(pool.submit(() -> {
            go.await();
            return idempotency.once(call(key), "w", StringValue.parser(), () -> {
              sleep(100);
              return work("run-" + n);
            });
          }));
        }
        go.countDown();
        List<String> values = new ArrayList<>();
        for (Future<StringValue> result : results) {
          values.add(result.get().getValue());
        }
        assertThat(runs).hasValue(1);
        assertThat(values).containsOnly(values.get(0));
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    @DisplayName("that outwait the deadline get DEADLINE_EXCEEDED, not a hang")
    void deadline() throws Exception {
      String key = UUID.randomUUID().toString();
      CountDownLatch started = new CountDownLatch(1);
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<StringValue> slow = pool.submit(() -> idempotency.once(call(key), "w", StringValue.parser(), () -> {
          started.countDown();
          sleep(1500);
          return work("slow");
        }));
        started.await();
        CallContext shortCall = CallContext.builder().method(CHARGE).timeout(Duration.ofMillis(300))
            .header("Idempotency-Key", key).build();
        assertThatThrownBy(() -> idempotency.once(shortCall, "w", StringValue.parser(), () -> work("fast")))
            .isInstanceOfSatisfying(RpcException.class, e -> {
              assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED);
              assertThat(e.statusMessage()).isEqualTo("a request with the same Idempotency-Key is still in progress");
            });
        assertThat(slow.get().getValue()).isEqualTo("slow");
        assertThat(runs).hasValue(1);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
