package io.natsharness.gateway.support;

import com.google.rpc.Code;
import io.natsharness.proto.ai.llm.v1.EmbedRequest;
import io.natsharness.proto.ai.llm.v1.EmbedResponse;
import io.natsharness.proto.ai.llm.v1.FinishReason;
import io.natsharness.proto.ai.llm.v1.Generation;
import io.natsharness.proto.ai.llm.v1.GetGenerationRequest;
import io.natsharness.proto.ai.llm.v1.InferChunk;
import io.natsharness.proto.ai.llm.v1.InferRequest;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.service.StreamSink;
import io.natsharness.sdk.status.RpcException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test {@code ai_integration} whose behaviour the prompt chooses, so a test can force each
 * outcome through the gateway: {@code fail:NOT_FOUND} throws that code, {@code crash} throws a
 * plain exception, {@code sleep:800} answers late, {@code block} waits for {@link #release()},
 * anything else answers {@code "echo " + prompt} with {@code tokens_used = prompt length +
 * divergence}. For {@code infer_stream}: one chunk per word, {@code endless} sends until the
 * stream can no longer be delivered, {@code fail-after:2} fails after two chunks.
 */
public final class ScriptedLlm implements NatsService {

  private final int divergence;
  public final AtomicInteger calls = new AtomicInteger();
  public final AtomicInteger blocked = new AtomicInteger();
  public final AtomicReference<CallContext> lastContext = new AtomicReference<>();
  public final AtomicReference<InferRequest> lastInfer = new AtomicReference<>();
  /** Set when an endless stream stopped: the reason, e.g. "cancelled: ..." or "deadline: ...". */
  public final AtomicReference<String> endlessStopped = new AtomicReference<>();
  public final AtomicInteger endlessSent = new AtomicInteger();
  private volatile CountDownLatch gate = new CountDownLatch(1);

  public ScriptedLlm() {
    this(0);
  }

  /** A deliberately divergent implementation: tokens_used is off by {@code divergence}. */
  public ScriptedLlm(int divergence) {
    this.divergence = divergence;
  }

  @Override
  public String name() {
    return "ai_integration";
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.<InferRequest, InferResponse>unary("infer", this::infer)
        .<InferRequest, InferChunk>stream("infer_stream", this::inferStream)
        .<EmbedRequest, EmbedResponse>unary("embed", this::embed)
        .<GetGenerationRequest, Generation>unary("get_generation", this::getGeneration);
  }

  private EmbedResponse embed(EmbedRequest q, CallContext ctx) throws InterruptedException {
    lastContext.set(ctx);
    if (q.getText().equals("block")) {
      block();
    }
    String model = q.getModel().isEmpty() ? "atlas-small" : q.getModel();
    // The divergent implementation names its model differently: one field differs, nothing else.
    return EmbedResponse.newBuilder().addVector(0.6f).addVector(0.8f)
        .setModel(divergence == 0 ? model : model + "-next").build();
  }

  private void block() throws InterruptedException {
    blocked.incrementAndGet();
    try {
      gate.await(10, TimeUnit.SECONDS);
    } finally {
      blocked.decrementAndGet();
    }
  }

  /** Lets every blocked call go on and re-arms the gate. */
  public void release() {
    CountDownLatch old = gate;
    gate = new CountDownLatch(1);
    old.countDown();
  }

  private InferResponse infer(InferRequest q, CallContext ctx) throws Exception {
    calls.incrementAndGet();
    lastContext.set(ctx);
    lastInfer.set(q);
    String p = q.getPrompt();
    if (p.startsWith("fail:")) {
      throw new RpcException(Code.valueOf(p.substring(5)), "forced " + p.substring(5));
    }
    if (p.equals("crash")) {
      throw new IllegalStateException("secret internal detail at com.example.Hidden");
    }
    if (p.startsWith("sleep:")) {
      Thread.sleep(Long.parseLong(p.substring(6)));
    }
    if (p.equals("block")) {
      block();
    }
    return answer(q);
  }

  /** The answer this service gives to a prompt (what a test expects back). */
  public InferResponse answer(InferRequest q) {
    return InferResponse.newBuilder()
        .setGenerationId("gen-" + Integer.toHexString(q.getPrompt().hashCode()))
        .setOutput("echo " + q.getPrompt())
        .setTokensUsed(q.getPrompt().length() + divergence)
        .setFinishReason(FinishReason.STOP)
        .setModel(q.getModel().isEmpty() ? "atlas-small" : q.getModel())
        .build();
  }

  private void inferStream(InferRequest q, CallContext ctx, StreamSink<InferChunk> sink) throws Exception {
    calls.incrementAndGet();
    lastContext.set(ctx);
    String p = q.getPrompt();
    if (p.startsWith("fail:")) {
      throw new RpcException(Code.valueOf(p.substring(5)), "forced " + p.substring(5));
    }
    if (p.equals("endless")) {
      endless(ctx, sink);
      return;
    }
    int failAfter = p.startsWith("fail-after:") ? Integer.parseInt(p.substring(11)) : -1;
    String[] words = failAfter >= 0 ? new String[] {"a", "b", "c", "d", "e"} : p.split(" ");
    for (int i = 0; i < words.length; i++) {
      if (i == failAfter) {
        throw RpcException.aborted("forced failure after " + failAfter + " chunks");
      }
      InferChunk.Builder chunk = InferChunk.newBuilder().setText(words[i]).setIndex(i);
      if (i == words.length - 1) {
        chunk.setGenerationId("gen-stream").setFinishReason(FinishReason.STOP);
      }
      sink.send(chunk.build());
    }
  }

  private void endless(CallContext ctx, StreamSink<InferChunk> sink) throws InterruptedException {
    endlessStopped.set(null);
    endlessSent.set(0);
    int i = 0;
    while (true) {
      if (sink.isCancelled()) {
        endlessStopped.set(ctx.isExpired() ? "deadline" : "cancelled");
        return;
      }
      try {
        sink.send(InferChunk.newBuilder().setText("t" + i).setIndex(i).build());
        endlessSent.incrementAndGet();
      } catch (RpcException e) {
        endlessStopped.set(e.code().name());
        throw e;
      }
      i++;
      Thread.sleep(20);
    }
  }

  private Generation getGeneration(GetGenerationRequest q, CallContext ctx) {
    lastContext.set(ctx);
    if (!q.getGenerationId().equals("gen-known")) {
      throw RpcException.notFound("no generation " + q.getGenerationId());
    }
    InferRequest request = InferRequest.newBuilder().setPrompt("known").build();
    return Generation.newBuilder().setGenerationId("gen-known").setRequest(request).setResponse(answer(request)).build();
  }
}
