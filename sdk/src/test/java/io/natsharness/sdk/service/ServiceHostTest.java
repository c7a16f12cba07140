package io.natsharness.sdk.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.service.Discovery;
import io.nats.service.Endpoint;
import io.nats.service.EndpointStats;
import io.nats.service.InfoResponse;
import io.nats.service.PingResponse;
import io.natsharness.proto.common.v1.ErrorDetail;
import io.natsharness.proto.util.payment.v1.GetBalanceRequest;
import io.natsharness.proto.util.payment.v1.Wallet;
import io.natsharness.proto.util.settings.v1.GetRequest;
import io.natsharness.proto.util.settings.v1.Setting;
import io.natsharness.sdk.status.WireHeaders;
import io.natsharness.sdk.support.NatsServerExtension;
import io.natsharness.sdk.support.ScriptedService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The host against a real nats-server, observed with raw jnats requests (the wire as it is). */
class ServiceHostTest {

  @RegisterExtension
  static final NatsServerExtension NATS = new NatsServerExtension();

  private static final String GET_BALANCE = "svc.util.payment.v1.get_balance";
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static final CountDownLatch RELEASE = new CountDownLatch(1);

  private static Connection nats;
  private static ServiceHost host;

  @BeforeAll
  static void startHost() {
    nats = NATS.connect();
    host = ServiceHost.builder().connection(nats).add(ScriptedService.of("payment")
        .unary("get_balance", (GetBalanceRequest q, CallContext ctx) -> {
          RUNS.incrementAndGet();
          return switch (q.getWalletId()) {
            case "missing" -> throw io.natsharness.sdk.status.RpcException.notFound("wallet missing not found");
            case "bug" -> throw new IllegalStateException("secret internals");
            case "odd" -> throw io.natsharness.sdk.status.RpcException.failedPrecondition("ODD", "line1\r\nline2 é");
            case "block" -> {
              RELEASE.await(5, TimeUnit.SECONDS);
              yield Wallet.newBuilder().setWalletId("unblocked").build();
            }
            default -> {
              if (q.getWalletId().startsWith("code-")) {
                throw new io.natsharness.sdk.status.RpcException(Code.valueOf(q.getWalletId().substring(5)), "as asked");
              }
              yield Wallet.newBuilder().setWalletId(q.getWalletId()).setOwnerId(ctx.requestId()).build();
            }
          };
        })).build().start();
  }

  @AfterAll
  static void stopHost() {
    RELEASE.countDown();
    host.close();
  }

  private static Message request(String walletId, Headers headers) throws Exception {
    byte[] body = GetBalanceRequest.newBuilder().setWalletId(walletId).build().toByteArray();
    return nats.request(GET_BALANCE, headers, body).get(5, TimeUnit.SECONDS);
  }

  private static Headers headers(String... pairs) {
    Headers h = new Headers();
    for (int i = 0; i < pairs.length; i += 2) {
      h.put(pairs[i], pairs[i + 1]);
    }
    return h;
  }

  private static Status status(Message reply) throws Exception {
    return Status.parseFrom(reply.getData());
  }

  @Nested
  @DisplayName("registers as an ADR-32 service")
  class Registration {

    @Test
    @DisplayName("PING finds it with the catalog's name and version")
    void ping() {
      List<PingResponse> pings = new Discovery(nats, 500, 5).ping("payment");
      assertThat(pings).singleElement().satisfies(p -> {
        assertThat(p.getName()).isEqualTo("payment");
        assertThat(p.getVersion()).isEqualTo("1.0.0");
      });
    }

    @Test
    @DisplayName("INFO lists one endpoint per method, queue group q, and the proto package")
    void info() {
      InfoResponse info = new Discovery(nats, 500, 5).info("payment").get(0);
      assertThat(info.getMetadata()).containsEntry("proto_package", "util.payment.v1");
      assertThat(info.getEndpoints()).extracting(Endpoint::getSubject).containsExactlyInAnyOrder(
          "svc.util.payment.v1.create_wallet", GET_BALANCE, "svc.util.payment.v1.charge",
          "svc.util.payment.v1.refund", "svc.util.payment.v1.list_transactions");
      assertThat(info.getEndpoints()).extracting(Endpoint::getQueueGroup).containsOnly("q");
    }
  }

  @Nested
  @DisplayName("answers")
  class Answers {

    @Test
    @DisplayName("protobuf by default, echoing the request id, without error headers")
    void protobuf() throws Exception {
      Message reply = request("wal-1", headers(WireHeaders.NH_REQUEST_ID, "r-1"));
      assertThat(Wallet.parseFrom(reply.getData()))
          .isEqualTo(Wallet.newBuilder().setWalletId("wal-1").setOwnerId("r-1").build());
      assertThat(reply.getHeaders().getFirst(WireHeaders.CONTENT_TYPE)).isEqualTo("application/protobuf");
      assertThat(reply.getHeaders().getFirst(WireHeaders.NH_REQUEST_ID)).isEqualTo("r-1");
      assertThat(reply.getHeaders().containsKey(WireHeaders.SERVICE_ERROR_CODE)).isFalse();
    }

    @Test
    @DisplayName("JSON in, JSON out")
    void json() throws Exception {
      Message reply = nats.request(GET_BALANCE, headers(WireHeaders.CONTENT_TYPE, "application/json",
              WireHeaders.NH_REQUEST_ID, "r-2"),
          "{\"walletId\":\"wal-2\"}".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
      assertThat(reply.getHeaders().getFirst(WireHeaders.CONTENT_TYPE)).isEqualTo("application/json");
      assertThat(new String(reply.getData(), StandardCharsets.UTF_8))
          .isEqualTo("{\"walletId\":\"wal-2\",\"ownerId\":\"r-2\",\"balances\":[]}");
    }

    @Test
    @DisplayName("an unknown content type is INVALID_ARGUMENT")
    void unknownContentType() throws Exception {
      Message reply = request("wal-1", headers(WireHeaders.CONTENT_TYPE, "text/csv"));
      assertThat(reply.getHeaders().getFirst(WireHeaders.SERVICE_ERROR_CODE)).isEqualTo("400");
      assertThat(reply.getHeaders().getFirst(WireHeaders.NH_STATUS)).isEqualTo("INVALID_ARGUMENT");
      assertThat(status(reply).getMessage()).isEqualTo(
          "Content-Type: unsupported content type 'text/csv': use application/protobuf or application/json");
    }

    @Test
    @DisplayName("a body that is not the request type is INVALID_ARGUMENT")
    void malformedBody() throws Exception {
      Message reply = nats.request(GET_BALANCE, headers(WireHeaders.CONTENT_TYPE, "application/json"),
          "{\"wallet\":1}".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
      assertThat(reply.getHeaders().getFirst(WireHeaders.NH_STATUS)).isEqualTo("INVALID_ARGUMENT");
      assertThat(reply.getHeaders().getFirst(WireHeaders.CONTENT_TYPE)).isEqualTo("application/json");
      Status.Builder status = Status.newBuilder();
      io.natsharness.sdk.internal.ProtoJson.merge(new String(reply.getData(), StandardCharsets.UTF_8), status);
      assertThat(status.getMessage()).startsWith(
          "body is not a valid util.payment.v1.GetBalanceRequest in proto3 JSON: ");
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(value = Code.class, names = {"OK", "UNRECOGNIZED"},
        mode = org.junit.jupiter.params.provider.EnumSource.Mode.EXCLUDE)
    @DisplayName("every row of WIRE.md's table: Nats-Service-Error-Code, Nh-Status and the Status code")
    void everyRow(Code code) throws Exception {
      Message reply = request("code-" + code.name(), new Headers());
      assertThat(reply.getHeaders().getFirst(WireHeaders.SERVICE_ERROR_CODE))
          .isEqualTo(Integer.toString(io.natsharness.sdk.status.StatusCodes.httpStatus(code)));
      assertThat(reply.getHeaders().getFirst(WireHeaders.NH_STATUS)).isEqualTo(code.name());
      assertThat(reply.getHeaders().getFirst(WireHeaders.SERVICE_ERROR)).isEqualTo("as asked");
      assertThat(status(reply).getCode()).isEqualTo(code.getNumber());
    }

    @Test
    @DisplayName("a handler's RpcException becomes the error headers and a Status body with details")
    void rpcError() throws Exception {
      Message reply = request("missing", new Headers());
      assertThat(reply.getHeaders().getFirst(WireHeaders.SERVICE_ERROR)).isEqualTo("wallet missing not found");
      assertThat(reply.getHeaders().getFirst(WireHeaders.SERVICE_ERROR_CODE)).isEqualTo("404");
      assertThat(reply.getHeaders().getFirst(WireHeaders.NH_STATUS)).isEqualTo("NOT_FOUND");
      assertThat(status(reply)).isEqualTo(Status.newBuilder().setCode(Code.NOT_FOUND_VALUE)
          .setMessage("wallet missing not found").build());
    }

    @Test
    @DisplayName("a message with any characters survives whole in the body; the header keeps printable ASCII")
    void anyCharacters() throws Exception {
      Message reply = request("odd", new Headers());
      assertThat(reply.getHeaders().getFirst(WireHeaders.SERVICE_ERROR)).isEqualTo("line1??line2 ?");
      Status status = status(reply);
      assertThat(status.getMessage()).isEqualTo("line1\r\nline2 é");
      assertThat(status.getDetails(0).unpack(ErrorDetail.class).getReason()).isEqualTo("ODD");
    }

    @Test
    @DisplayName("a handler bug becomes INTERNAL without its message or stack trace")
    void bug() throws Exception {
      Message reply = request("bug", headers(WireHeaders.NH_REQUEST_ID, "r-bug"));
      assertThat(reply.getHeaders().getFirst(WireHeaders.SERVICE_ERROR_CODE)).isEqualTo("500");
      assertThat(status(reply).getMessage()).isEqualTo("internal error (request id r-bug)");
      assertThat(new String(reply.getData(), StandardCharsets.ISO_8859_1)).doesNotContain("secret", "Exception", "at ");
    }

    @Test
    @DisplayName("a request already past its deadline is DEADLINE_EXCEEDED without running the handler")
    void expired() throws Exception {
      int before = RUNS.get();
      Message reply = request("wal-1", headers(WireHeaders.NH_DEADLINE,
          Long.toString(Instant.now().minusSeconds(1).toEpochMilli())));
      assertThat(reply.getHeaders().getFirst(WireHeaders.SERVICE_ERROR_CODE)).isEqualTo("504");
      assertThat(status(reply).getMessage()).isEqualTo(
          "deadline of svc.util.payment.v1.get_balance passed before the handler ran");
      assertThat(RUNS.get()).isEqualTo(before);
    }

    @Test
    @DisplayName("a malformed Nh-Deadline is INVALID_ARGUMENT")
    void malformedDeadline() throws Exception {
      Message reply = request("wal-1", headers(WireHeaders.NH_DEADLINE, "tomorrow"));
      assertThat(status(reply).getMessage()).isEqualTo(
          "Nh-Deadline: must be Unix epoch milliseconds, got 'tomorrow'");
    }

    @Test
    @DisplayName("an error is answered exactly once")
    void oneReply() throws Exception {
      String inbox = nats.createInbox();
      Subscription sub = nats.subscribe(inbox);
      nats.publish(GET_BALANCE, inbox, new Headers().put("x", "y"),
          GetBalanceRequest.newBuilder().setWalletId("bug").build().toByteArray());
      Message first = sub.nextMessage(Duration.ofSeconds(5));
      Message second = sub.nextMessage(Duration.ofMillis(300));
      sub.unsubscribe();
      assertThat(first.getHeaders().getFirst(WireHeaders.NH_STATUS)).isEqualTo("INTERNAL");
      assertThat(second).isNull();
    }
  }

  @Test
  @DisplayName("$SRV.STATS counts every error reply in num_errors")
  void statsCountErrors() throws Exception {
    host.services().get(0).reset();
    request("wal-1", new Headers());
    request("missing", new Headers());
    request("bug", new Headers());
    request("wal-1", headers(WireHeaders.CONTENT_TYPE, "text/csv"));
    EndpointStats stats = new Discovery(nats, 500, 5).stats("payment").get(0).getEndpointStatsList().stream()
        .filter(e -> e.getSubject().equals(GET_BALANCE)).findFirst().orElseThrow();
    assertThat(stats.getNumRequests()).isEqualTo(4);
    assertThat(stats.getNumErrors()).isEqualTo(3);
    assertThat(stats.getLastError()).isEqualTo(
        "INVALID_ARGUMENT: Content-Type: unsupported content type 'text/csv': use application/protobuf or application/json");
  }

  @Test
  @DisplayName("$SRV.STATS reports every required field, zero counters and empty last_error included")
  void statsRequiredFields() throws Exception {
    String json = new String(nats.request("$SRV.STATS.payment", new byte[0], Duration.ofSeconds(5)).getData(),
        StandardCharsets.UTF_8);
    io.nats.client.support.JsonValue stats = io.nats.client.support.JsonParser.parse(json);
    assertThat(stats.map).containsKeys("id", "name", "version", "type", "started", "metadata", "endpoints");
    assertThat(stats.map.get("type").string).isEqualTo("io.nats.micro.v1.stats_response");
    io.nats.client.support.JsonValue refund = stats.map.get("endpoints").array.stream()
        .filter(e -> e.map.get("name").string.equals("refund")).findFirst().orElseThrow();
    assertThat(refund.map).containsKeys("name", "subject", "queue_group", "num_requests", "num_errors",
        "processing_time", "average_processing_time", "last_error");
    assertThat(refund.map.get("num_errors").number.longValue()).isEqualTo(0L);
    assertThat(refund.map.get("last_error").string).isEmpty();
  }

  @Test
  @DisplayName("a blocked handler does not stall other requests to the same endpoint")
  void concurrent() throws Exception {
    CompletableFuture<Message> blocked = nats.request(GET_BALANCE, new Headers(),
        GetBalanceRequest.newBuilder().setWalletId("block").build().toByteArray());
    Message other = request("wal-3", new Headers());
    assertThat(Wallet.parseFrom(other.getData()).getWalletId()).isEqualTo("wal-3");
    assertThat(blocked).isNotDone();
    RELEASE.countDown();
    assertThat(Wallet.parseFrom(blocked.get(5, TimeUnit.SECONDS).getData()).getWalletId()).isEqualTo("unblocked");
  }

  @Nested
  @DisplayName("with its own host")
  class OwnHost {

    private static final String GET_SETTING = "svc.util.settings.v1.get";

    @Test
    @DisplayName("answers UNAVAILABLE at once when every worker is busy and the queue is full")
    void overload() throws Exception {
      CountDownLatch release = new CountDownLatch(1);
      try (ServiceHost small = ServiceHost.builder().connection(nats).maxConcurrency(1).maxQueued(1)
          .add(ScriptedService.of("settings").unary("get", (GetRequest q, CallContext c) -> {
            release.await(5, TimeUnit.SECONDS);
            return Setting.getDefaultInstance();
          })).build().start()) {
        byte[] body = GetRequest.getDefaultInstance().toByteArray();
        CompletableFuture<Message> running = nats.request(GET_SETTING, new Headers(), body);
        CompletableFuture<Message> queued = nats.request(GET_SETTING, new Headers(), body);
        Thread.sleep(100);
        Message refused = nats.request(GET_SETTING, new Headers(), body).get(2, TimeUnit.SECONDS);
        assertThat(refused.getHeaders().getFirst(WireHeaders.NH_STATUS)).isEqualTo("UNAVAILABLE");
        assertThat(Status.parseFrom(refused.getData()).getMessage())
            .isEqualTo("settings is overloaded: every worker is busy and the queue is full");
        release.countDown();
        assertThat(running.get(5, TimeUnit.SECONDS).getHeaders().containsKey(WireHeaders.NH_STATUS)).isFalse();
        assertThat(queued.get(5, TimeUnit.SECONDS).getHeaders().containsKey(WireHeaders.NH_STATUS)).isFalse();
      }
    }

    @Test
    @DisplayName("stop waits for the request in flight to be answered")
    void drains() throws Exception {
      CountDownLatch started = new CountDownLatch(1);
      java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
      ServiceHost draining = ServiceHost.builder().connection(nats)
          .add(ScriptedService.of("settings").unary("get", (GetRequest q, CallContext c) -> {
            started.countDown();
            Thread.sleep(300);
            finished.set(true);
            return Setting.newBuilder().setKey("done").build();
          })).build().start();
      CompletableFuture<Message> inFlight = nats.request(GET_SETTING, new Headers(),
          GetRequest.getDefaultInstance().toByteArray());
      assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
      draining.stop();
      assertThat(finished).isTrue();
      assertThat(Setting.parseFrom(inFlight.get(2, TimeUnit.SECONDS).getData()).getKey()).isEqualTo("done");
    }

    @Test
    @DisplayName("starts once")
    void startsOnce() {
      ServiceHost once = ServiceHost.builder().connection(nats).add(ScriptedService.of("settings")).build().start();
      try {
        assertThatThrownBy(once::start).isInstanceOf(IllegalStateException.class)
            .hasMessage("ServiceHost can start once; it is started");
      } finally {
        once.close();
      }
    }
  }

  @Test
  @DisplayName("the builder refuses a host without services")
  void needsServices() {
    assertThatThrownBy(() -> ServiceHost.builder().connection(nats).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ServiceHost needs at least one service: call add(..) before build()");
  }

  @Test
  @DisplayName("the builder refuses the same service twice")
  void twice() {
    assertThatThrownBy(() -> ServiceHost.builder().connection(nats)
        .add(ScriptedService.of("settings"), ScriptedService.of("settings")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("service 'settings' added twice");
  }

  @Test
  @DisplayName("Any details survive the wire")
  void anyDetails() throws Exception {
    Message reply = request("odd", new Headers());
    Any detail = status(reply).getDetails(0);
    assertThat(detail.getTypeUrl()).isEqualTo("type.googleapis.com/common.v1.ErrorDetail");
  }
}
