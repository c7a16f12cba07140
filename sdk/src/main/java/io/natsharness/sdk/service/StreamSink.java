package io.natsharness.sdk.service;

/**
 * Where a {@link StreamHandler} sends its chunks; each one goes out with the next sequence number.
 *
 * <pre>{@code
 * while (!sink.isCancelled() && more()) {
 *   sink.send(next());
 * }
 * }</pre>
 */
public interface StreamSink<R> {

  /**
   * Sends one chunk.
   *
   * @throws io.natsharness.sdk.status.RpcException CANCELLED when the stream was cancelled, or
   *     DEADLINE_EXCEEDED when the request's deadline has passed: the chunk cannot be delivered
   */
  void send(R message);

  /** Whether sending more is pointless (the stream was cancelled or its deadline passed). */
  boolean isCancelled();
}
