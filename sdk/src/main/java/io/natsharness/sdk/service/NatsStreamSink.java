package io.natsharness.sdk.service;

import com.google.protobuf.Message;
import io.nats.client.impl.Headers;
import io.natsharness.sdk.internal.WireCodec;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;

/**
 * Sends a stream's chunks on the request's reply subject: {@code Nh-Stream-Seq} 1, 2, 3, … then
 * the end marker. Not thread-safe: a handler sends from one thread.
 */
final class NatsStreamSink implements io.natsharness.sdk.service.StreamSink<Message> {

  private final HostRuntime host;
  private final String replyTo;
  private final String requestId;
  private final String contentType;
  private final CallContext ctx;
  private long sequence;

  NatsStreamSink(HostRuntime host, String replyTo, String requestId, String contentType, CallContext ctx) {
    this.host = host;
    this.replyTo = replyTo;
    this.requestId = requestId;
    this.contentType = contentType;
    this.ctx = ctx;
  }

  @Override
  public void send(Message message) {
    checkOpen();
    if (message == null || !message.getDescriptorForType().equals(ctx.method().responseType())) {
      throw new IllegalArgumentException("stream of " + ctx.method().subject() + " sends "
          + ctx.method().responseType().getFullName() + ", not "
          + (message == null ? "null" : message.getDescriptorForType().getFullName()));
    }
    Headers headers = MethodEndpoint.replyHeaders(requestId, contentType);
    headers.put(WireHeaders.STREAM_SEQ, Long.toString(++sequence));
    publish(headers, WireCodec.encode(message, contentType));
  }

  @Override
  public boolean isCancelled() {
    return host.isStopping() || ctx.isExpired();
  }

  /**
   * Sends the end marker after the handler returned normally; a handler that returns after the
   * deadline ends the stream with DEADLINE_EXCEEDED instead (a stream never outlives it).
   */
  void end() {
    if (ctx.isExpired()) {
      throw RpcException.deadlineExceeded("deadline of the stream " + ctx.method().subject() + " passed");
    }
    Headers headers = MethodEndpoint.replyHeaders(requestId, contentType);
    headers.put(WireHeaders.STREAM_END, "true");
    publish(headers, new byte[0]);
  }

  private void checkOpen() {
    if (ctx.isExpired()) {
      throw RpcException.deadlineExceeded("deadline of the stream " + ctx.method().subject() + " passed");
    }
    if (host.isStopping()) {
      throw RpcException.cancelled("the service is stopping; stream " + ctx.method().subject() + " cancelled");
    }
  }

  private void publish(Headers headers, byte[] body) {
    if (replyTo != null && !replyTo.isEmpty()) {
      host.connection().publish(replyTo, headers, body);
    }
  }
}
