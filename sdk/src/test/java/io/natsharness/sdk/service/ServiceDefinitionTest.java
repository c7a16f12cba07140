package io.natsharness.sdk.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.natsharness.proto.ai.llm.v1.InferChunk;
import io.natsharness.proto.ai.llm.v1.InferRequest;
import io.natsharness.proto.util.payment.v1.GetBalanceRequest;
import io.natsharness.proto.util.payment.v1.Wallet;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.support.ScriptedService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ServiceDefinitionTest {

  private static NatsService binding(String name, java.util.function.Consumer<Endpoints> bind) {
    return new NatsService() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public void bind(Endpoints endpoints) {
        bind.accept(endpoints);
      }
    };
  }

  private static final UnaryHandler<Message, Message> ANY = (q, c) -> q;

  @Nested
  @DisplayName("of(..) checks the binding against the catalog")
  class Validation {

    @Test
    @DisplayName("an unknown service name")
    void unknownService() {
      assertThatThrownBy(() -> ServiceDefinition.of(binding("nope", e -> {})))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("service 'nope' is not in the catalog (known: [");
    }

    @Test
    @DisplayName("an unknown method")
    void unknownMethod() {
      assertThatThrownBy(() -> ServiceDefinition.of(binding("payment", e -> e.unary("pay", ANY))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("service 'payment' has no method 'pay' in the catalog (methods: "
              + "[create_wallet, get_balance, charge, refund, list_transactions])");
    }

    @Test
    @DisplayName("a method bound twice")
    void twice() {
      assertThatThrownBy(() -> ServiceDefinition.of(binding("payment",
          e -> e.unary("charge", ANY).unary("charge", ANY))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("method 'charge' of service 'payment' is bound twice");
    }

    @Test
    @DisplayName("a streaming method bound as unary")
    void wrongKind() {
      assertThatThrownBy(() -> ServiceDefinition.of(binding("ai_integration", e -> e.unary("infer_stream", ANY))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("method 'infer_stream' of service 'ai_integration' is server streaming: bind it with stream(..)");
    }

    @Test
    @DisplayName("methods left unbound")
    void unbound() {
      assertThatThrownBy(() -> ServiceDefinition.of(binding("payment", e -> e.unary("charge", ANY))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("service 'payment' leaves methods unbound: [create_wallet, get_balance, refund, list_transactions]");
    }
  }

  @Nested
  @DisplayName("callUnary maps errors as over NATS")
  class CallUnary {

    private final Wallet wallet = Wallet.newBuilder().setWalletId("wal-1").build();

    @Test
    @DisplayName("returns the handler's answer")
    void answers() {
      ServiceDefinition d = ServiceDefinition.of(ScriptedService.of("payment")
          .unary("get_balance", (GetBalanceRequest q, CallContext c) -> wallet));
      Message answer = d.callUnary("get_balance", GetBalanceRequest.getDefaultInstance(), ctx(d, "get_balance"));
      assertThat(answer).isEqualTo(wallet);
    }

    @Test
    @DisplayName("an RpcException passes through unchanged")
    void rpcException() {
      RpcException thrown = RpcException.notFound("wallet wal-1 not found");
      ServiceDefinition d = ServiceDefinition.of(ScriptedService.of("payment")
          .unary("get_balance", (q, c) -> { throw thrown; }));
      assertThatThrownBy(() -> d.callUnary("get_balance", GetBalanceRequest.getDefaultInstance(), ctx(d, "get_balance")))
          .isSameAs(thrown);
    }

    @Test
    @DisplayName("any other exception becomes INTERNAL naming only the request id")
    void bug() {
      ServiceDefinition d = ServiceDefinition.of(ScriptedService.of("payment")
          .unary("get_balance", (q, c) -> { throw new NullPointerException("secret detail"); }));
      CallContext ctx = CallContext.builder().method(d.method("get_balance")).requestId("r-42").build();
      assertThatThrownBy(() -> d.callUnary("get_balance", GetBalanceRequest.getDefaultInstance(), ctx))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.INTERNAL);
            assertThat(e.statusMessage()).isEqualTo("internal error (request id r-42)");
          });
    }

    @Test
    @DisplayName("a request past its deadline is refused without running the handler")
    void expired() {
      AtomicBoolean ran = new AtomicBoolean();
      ServiceDefinition d = ServiceDefinition.of(ScriptedService.of("payment")
          .unary("get_balance", (q, c) -> { ran.set(true); return wallet; }));
      CallContext ctx = CallContext.builder().method(d.method("get_balance"))
          .deadline(Instant.now().minusMillis(1)).build();
      assertThatThrownBy(() -> d.callUnary("get_balance", GetBalanceRequest.getDefaultInstance(), ctx))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED);
            assertThat(e.statusMessage()).isEqualTo("deadline of svc.util.payment.v1.get_balance passed before the handler ran");
          });
      assertThat(ran).isFalse();
    }

    @Test
    @DisplayName("a request of the wrong type is INVALID_ARGUMENT")
    void wrongType() {
      ServiceDefinition d = ServiceDefinition.of(ScriptedService.of("payment"));
      assertThatThrownBy(() -> d.callUnary("get_balance", InferRequest.getDefaultInstance(), ctx(d, "get_balance")))
          .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.statusMessage()).isEqualTo(
              "request for svc.util.payment.v1.get_balance must be util.payment.v1.GetBalanceRequest, not ai.llm.v1.InferRequest"));
    }

    @Test
    @DisplayName("an unknown method is UNIMPLEMENTED")
    void unknown() {
      ServiceDefinition d = ServiceDefinition.of(ScriptedService.of("payment"));
      assertThatThrownBy(() -> d.callUnary("pay", GetBalanceRequest.getDefaultInstance(), ctx(d, "get_balance")))
          .isInstanceOfSatisfying(RpcException.class, e -> {
            assertThat(e.code()).isEqualTo(Code.UNIMPLEMENTED);
            assertThat(e.statusMessage()).isEqualTo("service 'payment' has no method 'pay'");
          });
    }
  }

  @Nested
  @DisplayName("callStream")
  class CallStream {

    @Test
    @DisplayName("delivers the chunks to the sink, then maps a failure part way")
    void chunksThenFailure() {
      ServiceDefinition d = ServiceDefinition.of(ScriptedService.of("ai_integration")
          .stream("infer_stream", (InferRequest q, CallContext c, StreamSink<InferChunk> sink) -> {
            sink.send(InferChunk.newBuilder().setText("a").build());
            throw RpcException.unavailable("model went away");
          }));
      List<Message> got = new ArrayList<>();
      StreamSink<Message> sink = new StreamSink<>() {
        @Override
        public void send(Message message) {
          got.add(message);
        }

        @Override
        public boolean isCancelled() {
          return false;
        }
      };
      assertThatThrownBy(() -> d.callStream("infer_stream", InferRequest.getDefaultInstance(),
          ctx(d, "infer_stream"), sink))
          .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(Code.UNAVAILABLE));
      assertThat(got).containsExactly(InferChunk.newBuilder().setText("a").build());
    }

    @Test
    @DisplayName("refuses a unary method")
    void unaryMethod() {
      ServiceDefinition d = ServiceDefinition.of(ScriptedService.of("ai_integration"));
      assertThatThrownBy(() -> d.callStream("infer", InferRequest.getDefaultInstance(), ctx(d, "infer"), null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("svc.ai.llm.v1.infer is unary: use callUnary");
    }
  }

  private static CallContext ctx(ServiceDefinition d, String method) {
    return CallContext.builder().method(d.method(method)).build();
  }
}
