package io.natsharness.services.host.http;

import com.google.protobuf.Message;
import io.natsharness.sdk.http.HttpTranscoder;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.StreamSink;
import io.natsharness.sdk.status.RpcException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a server stream as Server-Sent Events. The response starts (200, text/event-stream) with
 * the first chunk, so an error before it is still an ordinary HTTP error with its status.
 *
 * <pre>
 * id: 1
 * event: message
 * data: {"text":"Hello"}
 *
 * event: end
 * data: {}
 * </pre>
 *
 * A failure after the first chunk ends the stream with {@code event: error} whose data is the
 * {@code google.rpc.Status} JSON.
 */
final class SseSink implements StreamSink<Message> {

  static final String EVENT_STREAM = "text/event-stream; charset=utf-8";

  private final HttpServerExchange exchange;
  private final HttpTranscoder transcoder;
  private final CallContext call;
  private OutputStream out;
  private long sequence;
  private volatile boolean cancelled;

  SseSink(HttpServerExchange exchange, HttpTranscoder transcoder, CallContext call) {
    this.exchange = exchange;
    this.transcoder = transcoder;
    this.call = call;
  }

  @Override
  public synchronized void send(Message message) {
    if (isCancelled()) {
      throw RpcException.cancelled("the HTTP client closed the stream");
    }
    if (call.isExpired()) {
      throw RpcException.deadlineExceeded("the stream's deadline has passed");
    }
    sequence++;
    write("id: " + sequence + "\nevent: message\n" + data(transcoder.encodeJson(message)));
  }

  @Override
  public boolean isCancelled() {
    return cancelled || !exchange.getConnection().isOpen();
  }

  /** Whether the response has started (at least one chunk was sent). */
  synchronized boolean started() {
    return out != null;
  }

  /** Number of chunks sent. */
  synchronized long chunks() {
    return sequence;
  }

  /** Ends the stream normally. */
  synchronized void end() {
    write("event: end\ndata: {}\n\n");
    closeQuietly();
  }

  /** Ends a started stream with an error event. */
  synchronized void fail(RpcException error) {
    try {
      write("event: error\n" + data(transcoder.errorJson(error)));
    } catch (RpcException ignored) {
      // the client is gone: nobody to tell
    }
    closeQuietly();
  }

  private void write(String event) {
    try {
      if (out == null) {
        exchange.setStatusCode(200);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, EVENT_STREAM);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        out = exchange.getOutputStream();
      }
      out.write(event.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      cancelled = true;
      throw RpcException.cancelled("the HTTP client closed the stream");
    }
  }

  private void closeQuietly() {
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException e) {
      cancelled = true;
    }
  }

  /** SSE data lines: a multi-line JSON document becomes several {@code data:} lines. */
  private static String data(String json) {
    StringBuilder lines = new StringBuilder();
    for (String line : json.split("\n", -1)) {
      lines.append("data: ").append(line).append('\n');
    }
    return lines.append('\n').toString();
  }
}
