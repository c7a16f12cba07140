package io.natsharness.sdk.events;

import com.google.protobuf.Message;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.impl.Headers;
import io.natsharness.sdk.internal.Telemetry;
import io.natsharness.sdk.internal.WireCodec;
import io.natsharness.sdk.internal.WireErrors;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plain NATS publish/subscribe of protobuf messages, for what needs no persistence: at most once,
 * to whoever listens now. A queue group shares the messages among its members (each message to
 * one of them). Trace context travels in the headers.
 *
 * <pre>{@code
 * PubSub pubsub = PubSub.create(nats);
 * try (PubSub.Subscription s = pubsub.subscribeQueue("game.ticks", "workers", Tick.getDefaultInstance(),
 *     tick -> process(tick))) {
 *   pubsub.publish("game.ticks", tick);
 * }
 * }</pre>
 */
public final class PubSub {

  private static final Logger LOG = LoggerFactory.getLogger(PubSub.class);

  private final Connection connection;
  private final Telemetry telemetry;

  private PubSub(Connection connection, OpenTelemetry openTelemetry) {
    this.connection = connection;
    this.telemetry = new Telemetry(openTelemetry, null);
  }

  public static PubSub create(Connection connection) {
    return new PubSub(Objects.requireNonNull(connection, "connection"), null);
  }

  public static PubSub create(Connection connection, OpenTelemetry openTelemetry) {
    return new PubSub(Objects.requireNonNull(connection, "connection"), Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /** Publishes one message (protobuf); nobody listening is not an error. */
  public void publish(String subject, Message message) {
    Objects.requireNonNull(message, "message");
    Span span = telemetry.startEvent(SpanKind.PRODUCER, subject, Context.current());
    Headers headers = new Headers();
    headers.put(WireHeaders.CONTENT_TYPE, WireHeaders.APPLICATION_PROTOBUF);
    telemetry.inject(Context.current().with(span), headers);
    try {
      connection.publish(subject, headers, message.toByteArray());
      Telemetry.end(span, "OK", "");
    } catch (IllegalStateException | IllegalArgumentException e) {
      Telemetry.end(span, "UNAVAILABLE", e.getMessage());
      throw RpcException.unavailable("cannot publish on " + subject + ": " + e.getMessage());
    }
  }

  /** Every message on {@code subject} (wildcards allowed) goes to {@code handler}. */
  public <M extends Message> Subscription subscribe(String subject, M prototype, Consumer<M> handler) {
    return subscribe(subject, null, prototype, handler);
  }

  /** Each message on {@code subject} goes to one member of the queue group. */
  public <M extends Message> Subscription subscribeQueue(String subject, String queue, M prototype, Consumer<M> handler) {
    if (queue == null || queue.isBlank()) {
      throw new IllegalArgumentException("queue group must not be blank");
    }
    return subscribe(subject, queue, prototype, handler);
  }

  private <M extends Message> Subscription subscribe(String subject, String queue, M prototype, Consumer<M> handler) {
    Objects.requireNonNull(prototype, "prototype");
    Objects.requireNonNull(handler, "handler");
    Dispatcher dispatcher = connection.createDispatcher(msg -> {
      M decoded;
      try {
        String type = WireCodec.contentType(WireErrors.first(msg.getHeaders(), WireHeaders.CONTENT_TYPE).orElse(null));
        decoded = WireCodec.decode(prototype, type, msg.getData());
      } catch (RpcException e) {
        LOG.warn("message on {} dropped: {}", msg.getSubject(), e.statusMessage());
        return;
      }
      Context parent = telemetry.extract(Context.root(), msg.getHeaders());
      Span span = telemetry.startEvent(SpanKind.CONSUMER, msg.getSubject(), parent);
      try (Scope ignored = parent.with(span).makeCurrent()) {
        handler.accept(decoded);
        Telemetry.end(span, "OK", "");
      } catch (RuntimeException e) {
        LOG.warn("handler of {} failed", msg.getSubject(), e);
        Telemetry.end(span, "INTERNAL", e.toString());
      }
    });
    if (queue == null) {
      dispatcher.subscribe(subject);
    } else {
      dispatcher.subscribe(subject, queue);
    }
    return new Subscription(connection, dispatcher);
  }

  /** A live subscription; {@link #close()} drains what has arrived and stops. */
  public static final class Subscription implements AutoCloseable {
    private final Connection connection;
    private final Dispatcher dispatcher;

    private Subscription(Connection connection, Dispatcher dispatcher) {
      this.connection = connection;
      this.dispatcher = dispatcher;
    }

    /** Waits until the server has registered the interest (so a publish right after reaches it). */
    public Subscription awaitReady(java.time.Duration timeout) {
      try {
        connection.flush(timeout);
      } catch (java.util.concurrent.TimeoutException e) {
        throw RpcException.unavailable("subscription not confirmed within " + timeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw RpcException.cancelled("interrupted while waiting for the subscription");
      }
      return this;
    }

    @Override
    public void close() {
      if (dispatcher.isActive()) {
        connection.closeDispatcher(dispatcher);
      }
    }
  }
}
