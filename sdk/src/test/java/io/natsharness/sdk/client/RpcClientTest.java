package io.natsharness.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import io.nats.client.Connection;
import io.natsharness.proto.common.v1.ErrorDetail;
import io.natsharness.proto.ai.llm.v1.InferRequest;
import io.natsharness.proto.util.payment.v1.ChargeRequest;
import io.natsharness.proto.util.payment.v1.GetBalanceRequest;
import io.natsharness.proto.util.payment.v1.Transaction;
import io.natsharness.proto.util.payment.v1.Wallet;
import io.natsharness.sdk.context.Deadlines;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.ServiceHost;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.StatusCodes;
import io.natsharness.sdk.support.NatsServerExtension;
import io.natsharness.sdk.support.ScriptedService;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client against the host on a real nats-server. */
class RpcClientTest {

  @RegisterExtension
  static final NatsServerExtension NATS = new NatsServerExtension();

  private static final String GET_BALANCE = "svc.util.payment.v1.get_balance";
  private static final String CHARGE = "svc.util.payment.v1.charge";
  /** What the last handled request carried, by request id. */
  private static final Map<String, CallContext> SEEN = new ConcurrentHashMap<>();
  private static final AtomicInteger RUNS = new AtomicInteger();

  private static Connection nats;
  private static ServiceHost host;
  private static RpcClient client;

  @BeforeAll
  static void start() {
    nats = NATS.connect();
    host = ServiceHost.builder().connection(nats).add(ScriptedService.of("payment")
        .unary("get_balance", (GetBalanceRequest q, CallContext ctx) -> {
          RUNS.incrementAndGet();
          SEEN.put(ctx.requestId(), ctx);
          String id = q.getWalletId();
          if (id.startsWith("sleep-")) {
            Thread.sleep(Long.parseLong(id.substring(6)));
          } else if (id.startsWith("code-")) {
            throw new RpcException(Code.valueOf(id.substring(5)), "failed with " + id.substring(5));
          } else if (id.equals("detail")) {
            throw RpcException.invalidArgument("wallet_id", "must start with wal-");
          }
          return Wallet.newBuilder().setWalletId(id).build();
        })
        .unary("charge", (ChargeRequest q, CallContext ctx) -> {
          SEEN.put(ctx.requestId(), ctx);
          return Transaction.newBuilder().setWalletId(q.getWalletId()).build();
        })).build().start();
    client = RpcClient.builder().connection(nats).defaultDeadline(Duration.ofSeconds(5))
        .retry(RetryPolicy.none()).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    host.close();
  }

  private static GetBalanceRequest wallet(String id) {
    return GetBalanceRequest.newBuilder().setWalletId(id).build();
  }

  @Nested
  @DisplayName("a call")
  class Calls {

    @Test
    @DisplayName("returns the method's response type")
    void typed() {
      Wallet wallet = client.call(GET_BALANCE, wallet("wal-1"));
      assertThat(wallet.getWalletId()).isEqualTo("wal-1");
    }

    @Test
    @DisplayName("carries its deadline, request id and authorization")
    void headers() {
      Instant before = Instant.now();
      client.call(GET_BALANCE, wallet("wal-1"), CallOptions.builder().timeout(Duration.ofSeconds(3))
          .requestId("r-headers").authorization("Bearer t").header("X-Extra", "1").build());
      CallContext seen = SEEN.get("r-headers");
      assertThat(seen.deadline()).isBetween(before.plusSeconds(3).minusMillis(1), Instant.now().plusSeconds(3));
      assertThat(seen.authorization()).contains("Bearer t");
      assertThat(seen.header("X-Extra")).contains("1");
      assertThat(seen.contentType()).isEqualTo("application/protobuf");
    }

    @Test
    @DisplayName("generates an Idempotency-Key where the method needs one")
    void generatesKey() {
      client.call(CHARGE, ChargeRequest.newBuilder().setWalletId("wal-1").build(),
          CallOptions.builder().requestId("r-key").build());
      assertThat(SEEN.get("r-key").idempotencyKey()).hasValueSatisfying(k -> assertThat(k).hasSize(36));
    }

    @Test
    @DisplayName("passes the caller's Idempotency-Key")
    void givenKey() {
      client.call(CHARGE, ChargeRequest.newBuilder().setWalletId("wal-1").build(),
          CallOptions.builder().requestId("r-given").idempotencyKey("order-17").build());
      assertThat(SEEN.get("r-given").idempotencyKey()).contains("order-17");
    }

    @Test
    @DisplayName("sends no Idempotency-Key where none is needed")
    void noKey() {
      client.call(GET_BALANCE, wallet("wal-1"), CallOptions.builder().requestId("r-nokey").build());
      assertThat(SEEN.get("r-nokey").idempotencyKey()).isEmpty();
    }

    @Test
    @DisplayName("speaks proto3 JSON on request")
    void json() {
      Wallet wallet = client.call(GET_BALANCE, wallet("wal-json"),
          CallOptions.builder().encoding(Encoding.JSON).requestId("r-json").build());
      assertThat(wallet.getWalletId()).isEqualTo("wal-json");
      assertThat(SEEN.get("r-json").contentType()).isEqualTo("application/json");
    }

    @Test
    @DisplayName("async completes with the answer")
    void async() throws Exception {
      Wallet wallet = client.<Wallet>callAsync(GET_BALANCE, wallet("wal-async"), CallOptions.defaults())
          .get(5, TimeUnit.SECONDS);
      assertThat(wallet.getWalletId()).isEqualTo("wal-async");
    }

    @Test
    @DisplayName("inherits the earlier deadline of the current context")
    void inheritsDeadline() {
      Instant inherited = Instant.now().plusMillis(1500);
      try (Scope ignored = Deadlines.withDeadline(inherited)) {
        client.call(GET_BALANCE, wallet("wal-1"), CallOptions.builder().requestId("r-inherit")
            .timeout(Duration.ofSeconds(30)).build());
      }
      assertThat(SEEN.get("r-inherit").deadline()).isEqualTo(Instant.ofEpochMilli(inherited.toEpochMilli()));
    }
  }

  @Nested
  @DisplayName("refuses before sending")
  class Refusals {

    @Test
    @DisplayName("a subject the catalog does not know: UNIMPLEMENTED")
    void unknownSubject() {
      assertThatThrownBy(() -> client.call("svc.nope.v1.x", wallet("w")))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.UNIMPLEMENTED);
            assertThat(e.statusMessage()).isEqualTo("no catalog method answers on 'svc.nope.v1.x'");
          });
    }

    @Test
    @DisplayName("a request of the wrong type: INVALID_ARGUMENT")
    void wrongType() {
      assertThatThrownBy(() -> client.call(GET_BALANCE, InferRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.statusMessage()).isEqualTo(
              "svc.util.payment.v1.get_balance takes util.payment.v1.GetBalanceRequest, not ai.llm.v1.InferRequest"));
    }

    @Test
    @DisplayName("a streaming method: INVALID_ARGUMENT naming stream(..)")
    void streaming() {
      assertThatThrownBy(() -> client.call("svc.ai.llm.v1.infer_stream", InferRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.statusMessage()).isEqualTo(
              "svc.ai.llm.v1.infer_stream is server streaming: call stream(..), not call(..)"));
    }

    @Test
    @DisplayName("a deadline already past: DEADLINE_EXCEEDED, nothing sent")
    void pastDeadline() {
      int before = RUNS.get();
      assertThatThrownBy(() -> client.call(GET_BALANCE, wallet("wal-1"),
          CallOptions.builder().deadline(Instant.now().minusSeconds(1)).build()))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED);
            assertThat(e.statusMessage()).isEqualTo(
                "deadline of svc.util.payment.v1.get_balance passed before the call was sent");
          });
      assertThat(RUNS.get()).isEqualTo(before);
    }
  }

  @Nested
  @DisplayName("errors surface as RpcException")
  class Errors {

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Code.class, names = {"OK", "UNRECOGNIZED"}, mode = EnumSource.Mode.EXCLUDE)
    @DisplayName("every row of WIRE.md's table")
    void everyRow(Code code) {
      assertThatThrownBy(() -> client.call(GET_BALANCE, wallet("code-" + code.name())))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.statusMessage()).isEqualTo("failed with " + code.name());
            assertThat(e.httpStatus()).isEqualTo(StatusCodes.httpStatus(code));
          });
    }

    @Test
    @DisplayName("with the Status details")
    void details() {
      assertThatThrownBy(() -> client.call(GET_BALANCE, wallet("detail")))
          .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.errorDetail()).contains(
              ErrorDetail.newBuilder().setReason("FIELD_INVALID").setField("wallet_id")
                  .setDescription("must start with wal-").build()));
    }

    @Test
    @DisplayName("in JSON too")
    void json() {
      assertThatThrownBy(() -> client.call(GET_BALANCE, wallet("detail"),
          CallOptions.builder().encoding(Encoding.JSON).build()))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.INVALID_ARGUMENT);
            assertThat(e.errorDetail().orElseThrow().getField()).isEqualTo("wallet_id");
          });
    }

    @Test
    @DisplayName("no responders: UNAVAILABLE at once, not at the deadline")
    void noResponders() {
      assertNoResponders(client);
    }

    @Test
    @DisplayName("no responders on a connection without reportNoResponders: UNAVAILABLE at once too")
    void noRespondersPlainConnection() {
      Connection plain = NATS.connect(b -> new io.nats.client.Options.Builder().server(NATS.url()));
      try (RpcClient plainClient = RpcClient.builder().connection(plain).retry(RetryPolicy.none()).build()) {
        assertNoResponders(plainClient);
      }
    }

    private void assertNoResponders(RpcClient rpc) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> rpc.call("svc.util.time.v1.now",
          io.natsharness.proto.util.time.v1.NowRequest.getDefaultInstance(),
          CallOptions.builder().timeout(Duration.ofSeconds(20)).build()))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
            assertThat(e.statusMessage()).isEqualTo("no responders for svc.util.time.v1.now");
          });
      // Printed, not asserted tighter: a busy machine must not fail this; 20 s would mean a hang.
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      System.out.println("no responders answered in " + took.toMillis() + " ms");
      assertThat(took).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("a deadline that passes during handling: DEADLINE_EXCEEDED without waiting for the handler")
    void deadlineDuringHandling() {
      long start = System.nanoTime();
      assertThatThrownBy(() -> client.call(GET_BALANCE, wallet("sleep-3000"),
          CallOptions.builder().timeout(Duration.ofMillis(200)).build()))
          .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }
  }
}
