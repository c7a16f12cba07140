package io.natsharness.sdk.service;

import com.google.protobuf.Message;

/**
 * Serves one server-streaming method. Returning normally ends the stream with the end marker;
 * throwing ends it with the error headers (an RpcException keeps its code, anything else is
 * INTERNAL).
 *
 * <pre>{@code
 * StreamHandler<InferRequest, InferChunk> inferStream = (request, ctx, sink) -> {
 *   for (String token : tokens(request)) {
 *     if (sink.isCancelled()) return;
 *     sink.send(InferChunk.newBuilder().setText(token).build());
 *   }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface StreamHandler<Q extends Message, R extends Message> {

  void handle(Q request, CallContext context, StreamSink<R> sink) throws Exception;
}
