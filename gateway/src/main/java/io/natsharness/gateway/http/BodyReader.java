package io.natsharness.gateway.http;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelListener;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSourceChannel;

/**
 * Reads a request body without blocking, counting bytes as they arrive (so a chunked body is
 * refused as soon as it passes the limit, not after it was buffered) and giving up on a client
 * that sends too slowly. Exactly one of the three callbacks runs, on the IO thread.
 *
 * <p>Undertow's own MAX_ENTITY_SIZE answers 500 or drops the connection; this reader lets the
 * gateway answer 413 itself.
 */
final class BodyReader {

  /** What happens once the body is in, too large, too slow, or the client went away. */
  interface Callback {
    void complete(HttpServerExchange exchange, byte[] body);

    void tooLarge(HttpServerExchange exchange, long limit);

    void tooSlow(HttpServerExchange exchange, Duration timeout);

    void failed(HttpServerExchange exchange, IOException e);
  }

  private BodyReader() {}

  /** Starts reading; call from the handler (IO thread). */
  static void read(HttpServerExchange exchange, long limit, Duration timeout, Callback callback) {
    if (exchange.isRequestComplete()) {
      callback.complete(exchange, new byte[0]);
      return;
    }
    new State(exchange, limit, timeout, callback).start();
  }

  /** Puts a body back so that the next reader of the exchange (the proxy) reads it again. */
  static void unread(HttpServerExchange exchange, byte[] body) {
    if (body.length == 0) {
      Connectors.resetRequestChannel(exchange);
      return;
    }
    int size = exchange.getConnection().getByteBufferPool().getBufferSize();
    int count = (body.length + size - 1) / size;
    PooledByteBuffer[] buffers = new PooledByteBuffer[count];
    for (int i = 0; i < count; i++) {
      buffers[i] = exchange.getConnection().getByteBufferPool().allocate();
      ByteBuffer b = buffers[i].getBuffer();
      b.clear();
      b.put(body, i * size, Math.min(size, body.length - i * size));
      b.flip();
    }
    Connectors.ungetRequestBytes(exchange, buffers);
    Connectors.resetRequestChannel(exchange);
  }

  private static final class State implements ChannelListener<StreamSourceChannel> {
    private final HttpServerExchange exchange;
    private final long limit;
    private final Duration timeout;
    private final Callback callback;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final StreamSourceChannel channel;
    private XnioExecutor.Key timer;
    // Every callback runs on the connection's IO thread, so a plain flag decides who goes first.
    private boolean finished;

    State(HttpServerExchange exchange, long limit, Duration timeout, Callback callback) {
      this.exchange = exchange;
      this.limit = limit;
      this.timeout = timeout;
      this.callback = callback;
      this.channel = exchange.getRequestChannel();
    }

    void start() {
      if (!pump(false)) {
        timer = exchange.getIoThread().executeAfter(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
        channel.getReadSetter().set(this);
        channel.resumeReads();
      }
    }

    @Override
    public void handleEvent(StreamSourceChannel ignored) {
      pump(true);
    }

    /** Reads what is available; true when a callback ran. */
    private boolean pump(boolean async) {
      if (finished) {
        return true;
      }
      try (PooledByteBuffer pooled = exchange.getConnection().getByteBufferPool().allocate()) {
        ByteBuffer buffer = pooled.getBuffer();
        while (true) {
          buffer.clear();
          int n = channel.read(buffer);
          if (n == -1) {
            byte[] bytes = body.toByteArray();
            finish(async, ex -> callback.complete(ex, bytes));
            return true;
          }
          if (n == 0) {
            return false;
          }
          if (body.size() + (long) n > limit) {
            finish(async, ex -> callback.tooLarge(ex, limit));
            return true;
          }
          buffer.flip();
          byte[] chunk = new byte[n];
          buffer.get(chunk);
          body.write(chunk, 0, n);
        }
      } catch (IOException e) {
        finish(async, ex -> callback.failed(ex, e));
        return true;
      }
    }

    private void expire() {
      if (!finished) {
        finish(true, ex -> callback.tooSlow(ex, timeout));
      }
    }

    private void finish(boolean async, io.undertow.server.HttpHandler then) {
      finished = true;
      if (timer != null) {
        timer.remove();
      }
      channel.getReadSetter().set(null);
      channel.suspendReads();
      if (async) {
        Connectors.executeRootHandler(then, exchange);
      } else {
        try {
          then.handleRequest(exchange);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
