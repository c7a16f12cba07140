package io.natsharness.gateway.http;

import com.google.protobuf.Message;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.ResponseStream;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.status.RpcException;
import io.opentelemetry.context.Scope;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.sse.ServerSentEventConnection;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a server-streaming method as Server-Sent Events: one event per chunk ({@code id} = the
 * chunk's sequence number, {@code data} = the chunk as JSON), then {@code event: end} or
 * {@code event: error} with a {@code google.rpc.Status}. The HTTP status waits for the first
 * signal, so a stream that fails before its first chunk is answered with a plain error status.
 * Demand is one chunk at a time (the next is requested once the previous is written), so a slow
 * client slows the stream instead of filling memory; a client that goes away closes the stream,
 * which cancels it upstream.
 */
final class SseForwarder {

  private static final Logger LOG = LoggerFactory.getLogger(SseForwarder.class);

  private final RpcClient client;
  private final Responses responses;
  private final Duration keepAlive;

  SseForwarder(RpcClient client, Responses responses, Duration keepAlive) {
    this.client = client;
    this.responses = responses;
    this.keepAlive = keepAlive;
  }

  void forward(HttpServerExchange ex, RequestContext rc, RouteRuntime route, Message request, CallOptions options) {
    rc.upstream = "nats";
    ex.getResponseHeaders().put(Responses.UPSTREAM, "nats");
    ResponseStream<Message> stream;
    try (Scope ignored = rc.trace.makeCurrent()) {
      stream = client.stream(route.method(), request, options);
    } catch (RuntimeException e) {
      responses.error(ex, NatsForwarder.asRpc(e, rc));
      return;
    }
    Relay relay = new Relay(ex, rc, stream);
    ex.addExchangeCompleteListener((exchange, next) -> {
      relay.cancel("exchange ended");
      next.proceed();
    });
    ex.dispatch(SameThreadExecutor.INSTANCE, () -> stream.asPublisher().subscribe(relay));
  }

  /**
   * Moves signals from the NATS stream to the SSE connection. Every signal is handled on the
   * exchange's IO thread, one at a time, so the state below needs no locks.
   */
  private final class Relay implements Flow.Subscriber<Message> {
    private final HttpServerExchange ex;
    private final RequestContext rc;
    private final ResponseStream<Message> stream;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile Flow.Subscription subscription;
    private ServerSentEventConnection connection;
    private long sequence;

    Relay(HttpServerExchange ex, RequestContext rc, ResponseStream<Message> stream) {
      this.ex = ex;
      this.rc = rc;
      this.stream = stream;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      this.subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(Message chunk) {
      String json = singleLine(responses.transcoder().encodeJson(chunk));
      onIoThread(() -> deliver(c -> c.send(json, null, Long.toString(++sequence), new Sent())));
    }

    @Override
    public void onError(Throwable error) {
      RpcException e = NatsForwarder.asRpc(error, rc);
      onIoThread(() -> {
        finished.set(true);
        if (connection == null) {
          // Nothing sent yet: a plain HTTP error is more useful than a stream with one event.
          responses.resume(ex, x -> responses.error(x, e));
          return;
        }
        String status = singleLine(responses.transcoder().errorJson(e));
        deliver(c -> {
          c.send(status, "error", null, null);
          c.shutdown();
        });
      });
    }

    @Override
    public void onComplete() {
      onIoThread(() -> {
        finished.set(true);
        deliver(c -> {
          c.send("{}", "end", null, null);
          c.shutdown();
        });
      });
    }

    /** Stops the upstream stream unless it already ended; idempotent. */
    void cancel(String why) {
      if (finished.compareAndSet(false, true)) {
        LOG.debug("stream {} of request {} cancelled: {}", rc.route, rc.requestId, why);
        // The publisher's cancel closes the stream on its own terms; without a subscriber yet, close it here.
        Flow.Subscription s = subscription;
        if (s != null) {
          s.cancel();
        } else {
          stream.close();
        }
      }
    }

    private void deliver(Consumer<ServerSentEventConnection> action) {
      if (connection == null) {
        open();
      }
      action.accept(connection);
    }

    /** Commits 200 and the event-stream headers (on the IO thread, outside any handler call). */
    private void open() {
      ex.setStatusCode(200);
      ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/event-stream; charset=UTF-8");
      ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
      ex.setPersistent(false);
      connection = new ServerSentEventConnection(ex, ex.getResponseChannel());
      connection.addCloseTask(closed -> cancel("client disconnected"));
      if (!keepAlive.isZero()) {
        connection.setKeepAliveTime(keepAlive.toMillis());
      }
    }

    private void onIoThread(Runnable r) {
      ex.getIoThread().execute(r);
    }

    private final class Sent implements ServerSentEventConnection.EventCallback {
      @Override
      public void done(ServerSentEventConnection c, String data, String event, String id) {
        subscription.request(1);
      }

      @Override
      public void failed(ServerSentEventConnection c, String data, String event, String id, IOException e) {
        cancel("write failed: " + e.getMessage());
      }
    }
  }

  /** SSE data must be one line; JSON's raw line breaks are insignificant whitespace. */
  static String singleLine(String json) {
    return json.indexOf('\n') < 0 && json.indexOf('\r') < 0 ? json : json.replace("\r", "").replace("\n", "");
  }
}
