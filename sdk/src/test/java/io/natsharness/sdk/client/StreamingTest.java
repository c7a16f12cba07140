package io.natsharness.sdk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.Code;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.natsharness.proto.ai.llm.v1.InferChunk;
import io.natsharness.proto.ai.llm.v1.InferRequest;
import io.natsharness.proto.game.world.v1.WatchRegionRequest;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.ServiceHost;
import io.natsharness.sdk.service.StreamSink;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import io.natsharness.sdk.support.NatsServerExtension;
import io.natsharness.sdk.support.ScriptedService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WIRE.md's server streaming, both sides, on a real nats-server. */
class StreamingTest {

  @RegisterExtension
  static final NatsServerExtension NATS = new NatsServerExtension();

  private static final String INFER_STREAM = "svc.ai.llm.v1.infer_stream";
  private static final CountDownLatch ENDLESS_STOPPED = new CountDownLatch(1);

  private static Connection nats;
  private static ServiceHost host;
  private static RpcClient client;

  /** prompt "n:<count>" sends count chunks; "fail:<k>" sends k then fails; "idle" sends one then waits. */
  @BeforeAll
  static void start() {
    nats = NATS.connect();
    host = ServiceHost.builder().connection(nats).add(ScriptedService.of("ai_integration")
        .stream("infer_stream", (InferRequest q, CallContext ctx, StreamSink<InferChunk> sink) -> {
          String[] p = q.getPrompt().split(":");
          switch (p[0]) {
            case "n" -> {
              for (int i = 0; i < Integer.parseInt(p[1]); i++) {
                sink.send(InferChunk.newBuilder().setIndex(i).setText("t" + i).build());
              }
            }
            case "fail" -> {
              for (int i = 0; i < Integer.parseInt(p[1]); i++) {
                sink.send(InferChunk.newBuilder().setIndex(i).build());
              }
              throw RpcException.unavailable("model crashed part way");
            }
            case "idle" -> {
              sink.send(InferChunk.newBuilder().setIndex(0).build());
              Thread.sleep(1500);
            }
            case "endless" -> {
              try {
                while (!sink.isCancelled()) {
                  sink.send(InferChunk.newBuilder().setText("tick").build());
                  Thread.sleep(20);
                }
              } finally {
                ENDLESS_STOPPED.countDown();
              }
            }
            default -> throw RpcException.invalidArgument("prompt", "unknown script " + p[0]);
          }
        })).build().start();
    client = RpcClient.builder().connection(nats).streamBuffer(16, 1 << 20).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    host.close();
  }

  private static InferRequest prompt(String prompt) {
    return InferRequest.newBuilder().setPrompt(prompt).build();
  }

  @Nested
  @DisplayName("on the wire")
  class Wire {

    @Test
    @DisplayName("chunks carry Nh-Stream-Seq 1, 2, 3 and an empty end message follows")
    void sequenceAndEnd() throws Exception {
      List<Message> messages = raw("n:3", 4);
      assertThat(messages).extracting(m -> m.getHeaders().getFirst(WireHeaders.STREAM_SEQ))
          .containsExactly("1", "2", "3", null);
      Message end = messages.get(3);
      assertThat(end.getHeaders().getFirst(WireHeaders.STREAM_END)).isEqualTo("true");
      assertThat(end.getData()).isEmpty();
    }

    @Test
    @DisplayName("a failure part way ends with the error headers")
    void errorEnd() throws Exception {
      List<Message> messages = raw("fail:2", 3);
      Message end = messages.get(2);
      assertThat(end.getHeaders().getFirst(WireHeaders.NH_STATUS)).isEqualTo("UNAVAILABLE");
      assertThat(end.getHeaders().getFirst(WireHeaders.SERVICE_ERROR_CODE)).isEqualTo("503");
      assertThat(end.getHeaders().getFirst(WireHeaders.STREAM_END)).isEqualTo("true");
    }

    private List<Message> raw(String prompt, int count) throws Exception {
      String inbox = nats.createInbox();
      Subscription sub = nats.subscribe(inbox);
      nats.publish(INFER_STREAM, inbox, new Headers(), prompt(prompt).toByteArray());
      List<Message> messages = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Message m = sub.nextMessage(Duration.ofSeconds(5));
        assertThat(m).as("message %d of %d", i + 1, count).isNotNull();
        messages.add(m);
      }
      assertThat(sub.nextMessage(Duration.ofMillis(200))).as("nothing after the end").isNull();
      sub.unsubscribe();
      return messages;
    }
  }

  @Nested
  @DisplayName("the client's iterator")
  class Iterator {

    @Test
    @DisplayName("yields every chunk in order, then ends")
    void inOrder() {
      List<String> texts = new ArrayList<>();
      try (ResponseStream<InferChunk> stream = client.stream(INFER_STREAM, prompt("n:5"), CallOptions.defaults())) {
        stream.forEachRemaining(c -> texts.add(c.getText()));
      }
      assertThat(texts).containsExactly("t0", "t1", "t2", "t3", "t4");
    }

    @Test
    @DisplayName("yields the chunks before a failure, then throws it")
    void failurePartWay() {
      try (ResponseStream<InferChunk> stream = client.stream(INFER_STREAM, prompt("fail:2"), CallOptions.defaults())) {
        assertThat(stream.next().getIndex()).isEqualTo(0);
        assertThat(stream.next().getIndex()).isEqualTo(1);
        assertThatThrownBy(stream::hasNext).isInstanceOfSatisfying(RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
          assertThat(e.statusMessage()).isEqualTo("model crashed part way");
        });
      }
    }

    @Test
    @DisplayName("fails DEADLINE_EXCEEDED when the stream stays silent past the idle timeout")
    void idleTimeout() {
      try (ResponseStream<InferChunk> stream = client.stream(INFER_STREAM, prompt("idle"),
          CallOptions.builder().streamIdleTimeout(Duration.ofMillis(300)).build())) {
        assertThat(stream.next().getIndex()).isEqualTo(0);
        assertThatThrownBy(stream::hasNext).isInstanceOfSatisfying(RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED);
          assertThat(e.statusMessage()).isEqualTo(
              "stream svc.ai.llm.v1.infer_stream sent nothing for 300 ms (idle timeout)");
        });
      }
    }

    @Test
    @DisplayName("never outlives the deadline, on either side")
    void deadline() throws Exception {
      try (ResponseStream<InferChunk> stream = client.stream(INFER_STREAM, prompt("endless"),
          CallOptions.builder().timeout(Duration.ofMillis(400)).build())) {
        assertThatThrownBy(() -> {
          while (stream.hasNext()) {
            stream.next();
          }
        }).isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(Code.DEADLINE_EXCEEDED));
      }
      assertThat(ENDLESS_STOPPED.await(5, TimeUnit.SECONDS)).as("the handler saw its stream cancelled").isTrue();
    }

    @Test
    @DisplayName("a reader that falls behind is cut off RESOURCE_EXHAUSTED instead of buffering without bound")
    void slowReader() throws Exception {
      try (ResponseStream<InferChunk> stream = client.stream(INFER_STREAM, prompt("n:2000"), CallOptions.defaults())) {
        Thread.sleep(500);
        assertThatThrownBy(() -> {
          while (stream.hasNext()) {
            stream.next();
          }
        }).isInstanceOfSatisfying(RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.RESOURCE_EXHAUSTED);
          assertThat(e.statusMessage()).isEqualTo("the reader of stream svc.ai.llm.v1.infer_stream fell behind: "
              + "more than 16 chunks waited unread, so the stream was cut");
        });
      }
    }

    @Test
    @DisplayName("no responders: UNAVAILABLE")
    void noResponders() {
      try (ResponseStream<io.natsharness.proto.game.world.v1.WatchRegionResponse> stream = client.stream("svc.game.world.v1.watch_region",
          WatchRegionRequest.getDefaultInstance(), CallOptions.defaults())) {
        assertThatThrownBy(stream::hasNext).isInstanceOfSatisfying(RpcException.class, e -> {
          assertThat(e.code()).isEqualTo(Code.UNAVAILABLE);
          assertThat(e.statusMessage()).isEqualTo("no responders for svc.game.world.v1.watch_region");
        });
      }
    }

    @Test
    @DisplayName("a unary method is refused")
    void unary() {
      assertThatThrownBy(() -> client.stream("svc.ai.llm.v1.infer", prompt("x"), CallOptions.defaults()))
          .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.statusMessage())
              .isEqualTo("svc.ai.llm.v1.infer is unary: call call(..), not stream(..)"));
    }
  }

  @Nested
  @DisplayName("as a Flow.Publisher")
  class Publisher {

    @Test
    @DisplayName("delivers only what is requested, then completes")
    void demand() throws Exception {
      Collector collector = new Collector();
      client.<InferChunk>stream(INFER_STREAM, prompt("n:5"), CallOptions.defaults()).asPublisher().subscribe(collector);
      collector.subscription.get(5, TimeUnit.SECONDS).request(2);
      Thread.sleep(200);
      assertThat(collector.items).hasSize(2);
      assertThat(collector.done).isNotDone();
      collector.subscription.get().request(10);
      collector.done.get(5, TimeUnit.SECONDS);
      assertThat(collector.items).extracting(InferChunk::getText).containsExactly("t0", "t1", "t2", "t3", "t4");
    }

    @Test
    @DisplayName("signals a failure part way with onError")
    void error() throws Exception {
      Collector collector = new Collector();
      client.<InferChunk>stream(INFER_STREAM, prompt("fail:1"), CallOptions.defaults()).asPublisher().subscribe(collector);
      collector.subscription.get(5, TimeUnit.SECONDS).request(Long.MAX_VALUE);
      assertThatThrownBy(() -> collector.done.get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(RpcException.class).hasRootCauseMessage("UNAVAILABLE: model crashed part way");
      assertThat(collector.items).hasSize(1);
    }
  }

  private static final class Collector implements Flow.Subscriber<InferChunk> {
    final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
    final List<InferChunk> items = java.util.Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Void> done = new CompletableFuture<>();

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription.complete(s);
    }

    @Override
    public void onNext(InferChunk item) {
      items.add(item);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      done.complete(null);
    }
  }
}
