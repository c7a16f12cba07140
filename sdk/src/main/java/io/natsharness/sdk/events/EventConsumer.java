package io.natsharness.sdk.events;

import com.google.protobuf.Message;
import io.nats.client.Connection;
import io.natsharness.proto.catalog.EventInfo;
import java.time.Duration;
import java.util.Objects;

/**
 * A durable, explicit-ack JetStream consumer of one catalog event whose handler sees each event
 * once in effect, even when JetStream redelivers it (processed ids are remembered by
 * {@code Nats-Msg-Id}).
 *
 * <pre>{@code
 * try (EventConsumer consumer = EventConsumer.builder(settledEvent)
 *     .connection(nats)
 *     .durable("ledger")
 *     .handler((ReceivedEvent<PaymentSettled> e) -> ledger.record(e.payload()))
 *     .build()) {
 *   consumer.start();
 * }
 * }</pre>
 */
public final class EventConsumer implements AutoCloseable {

  private final Builder<?> config;

  private EventConsumer(Builder<?> config) {
    this.config = config;
  }

  /** A builder for a consumer of {@code event}. */
  public static <M extends Message> Builder<M> builder(EventInfo event) {
    return new Builder<>(Objects.requireNonNull(event, "event"));
  }

  /** Creates the stream and the durable consumer if needed and starts delivering. */
  public EventConsumer start() {
    throw new UnsupportedOperationException("EventConsumer.start is not implemented yet (issue 3, step 4)");
  }

  /** Stops delivering; the durable consumer stays on the server. */
  @Override
  public void close() {
    throw new UnsupportedOperationException("EventConsumer.close is not implemented yet (issue 3, step 4)");
  }

  /** Builds an {@link EventConsumer}; connection, durable name and handler are required. */
  public static final class Builder<M extends Message> {
    private final EventInfo event;
    private Connection connection;
    private String durable;
    private EventHandler<M> handler;
    private Duration ackWait = Duration.ofSeconds(30);
    private int maxDeliver = 10;

    private Builder(EventInfo event) {
      this.event = event;
    }

    public Builder<M> connection(Connection connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
      return this;
    }

    /** The durable consumer name: letters, digits, '-' and '_'. */
    public Builder<M> durable(String durable) {
      if (durable == null || !durable.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException("durable name must be letters, digits, '-' or '_': " + durable);
      }
      this.durable = durable;
      return this;
    }

    public Builder<M> handler(EventHandler<M> handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** How long JetStream waits for an ack before redelivering (default 30 s). */
    public Builder<M> ackWait(Duration ackWait) {
      if (ackWait == null || ackWait.isNegative() || ackWait.isZero()) {
        throw new IllegalArgumentException("ackWait must be positive: " + ackWait);
      }
      this.ackWait = ackWait;
      return this;
    }

    /** How many times an event is delivered at most (default 10). */
    public Builder<M> maxDeliver(int maxDeliver) {
      if (maxDeliver < 1) {
        throw new IllegalArgumentException("maxDeliver must be at least 1: " + maxDeliver);
      }
      this.maxDeliver = maxDeliver;
      return this;
    }

    public EventConsumer build() {
      if (connection == null) {
        throw new IllegalStateException("EventConsumer needs a connection: call connection(..) before build()");
      }
      if (durable == null) {
        throw new IllegalStateException("EventConsumer needs a durable name: call durable(..) before build()");
      }
      if (handler == null) {
        throw new IllegalStateException("EventConsumer needs a handler: call handler(..) before build()");
      }
      return new EventConsumer(this);
    }
  }
}
