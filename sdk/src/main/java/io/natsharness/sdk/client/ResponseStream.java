package io.natsharness.sdk.client;

import java.util.Iterator;
import java.util.concurrent.Flow;

/**
 * The caller's side of a server-streaming call: an iterator over the chunks with a bounded buffer
 * (a slow reader stops the flow instead of growing memory). {@code next()} and {@code hasNext()}
 * throw {@link io.natsharness.sdk.status.RpcException} when the stream fails (error end message,
 * idle timeout, deadline); {@link #close()} cancels it.
 *
 * <pre>{@code
 * try (ResponseStream<InferChunk> chunks = client.stream(subject, request, CallOptions.defaults())) {
 *   while (chunks.hasNext()) {
 *     System.out.print(chunks.next().getText());
 *   }
 * }
 * }</pre>
 */
public interface ResponseStream<R> extends Iterator<R>, AutoCloseable {

  /**
   * The same stream as a {@link Flow.Publisher} for a single subscriber; demand is honoured (no
   * chunk is delivered before it is requested).
   */
  Flow.Publisher<R> asPublisher();

  /** Cancels the stream; idempotent. */
  @Override
  void close();
}
