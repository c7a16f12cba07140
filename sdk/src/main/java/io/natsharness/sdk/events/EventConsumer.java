package io.natsharness.sdk.events;

import com.google.protobuf.Message;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.MessageConsumer;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.natsharness.proto.catalog.EventInfo;
import io.natsharness.sdk.internal.Telemetry;
import io.natsharness.sdk.status.RpcException;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, explicit-ack JetStream consumer of one catalog event whose handler sees each event
 * once in effect, even when JetStream redelivers it: after the handler returns, the event's
 * {@code Nats-Msg-Id} is recorded in a JetStream KV bucket ({@value #DEDUPE_BUCKET}, per durable
 * name) before the ack, and a delivery of a recorded id is acknowledged without calling the
 * handler. A handler that throws gets the event again later (up to maxDeliver). The one window
 * left is a crash between the handler's return and the record: handlers with external side
 * effects should still be idempotent for it. Deliveries run one at a time, in stream order.
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

  private static final Logger LOG = LoggerFactory.getLogger(EventConsumer.class);
  /** KV bucket of handled event ids, one key per (durable, event id); entries expire with the bucket's TTL. */
  static final String DEDUPE_BUCKET = EventDelivery.DEDUPE_BUCKET;

  private final Builder<?> config;
  private final Telemetry telemetry;
  private final EventDelivery.Counters counters = new EventDelivery.Counters();
  private MessageConsumer consumer;
  private boolean closed;

  private EventConsumer(Builder<?> config) {
    this.config = config;
    this.telemetry = new Telemetry(config.openTelemetry, null);
  }

  /** A builder for a consumer of {@code event}. */
  public static <M extends Message> Builder<M> builder(EventInfo event) {
    return new Builder<>(Objects.requireNonNull(event, "event"));
  }

  /**
   * Creates the stream, the durable consumer and the bucket of handled ids if needed, and starts
   * delivering.
   *
   * @throws RpcException UNAVAILABLE when JetStream refuses or cannot be reached
   * @throws IllegalStateException when already started or closed
   */
  public synchronized EventConsumer start() {
    if (consumer != null || closed) {
      throw new IllegalStateException("EventConsumer " + config.durable + " can start once");
    }
    Connection connection = config.connection;
    String stream = new EventStreams(connection).ensureFor(config.event.subject());
    try {
      JetStreamManagement jsm = connection.jetStreamManagement();
      jsm.addOrUpdateConsumer(stream, ConsumerConfiguration.builder()
          .durable(config.durable)
          .filterSubject(config.event.subject())
          .ackPolicy(AckPolicy.Explicit)
          .ackWait(config.ackWait)
          .maxDeliver(config.maxDeliver)
          .deliverPolicy(DeliverPolicy.All)
          .build());
      EventDelivery delivery = new EventDelivery(config.event, config.durable, config.handler, config.maxDeliver,
          config.redeliveryDelay, EventDelivery.handledIds(connection, config.rememberHandled), telemetry, counters);
      consumer = connection.getStreamContext(stream).getConsumerContext(config.durable).consume(delivery::onMessage);
    } catch (JetStreamApiException e) {
      throw RpcException.unavailable("cannot start consumer " + config.durable + " on " + stream + ": "
          + e.getErrorDescription());
    } catch (IOException e) {
      throw RpcException.unavailable("cannot reach JetStream for consumer " + config.durable + ": " + e.getMessage());
    }
    return this;
  }

  /** Events whose handler returned (each counted once). */
  public long handled() {
    return counters.handled.get();
  }

  /** Deliveries of events already handled, acknowledged without calling the handler again. */
  public long duplicatesSkipped() {
    return counters.duplicates.get();
  }

  /** Handler failures (each leads to a redelivery, up to maxDeliver). */
  public long failures() {
    return counters.failures.get();
  }

  /** Stops delivering; the durable consumer stays on the server and resumes where it left off. */
  @Override
  public synchronized void close() {
    closed = true;
    if (consumer != null) {
      try {
        consumer.stop();
        consumer.close();
      } catch (Exception e) {
        LOG.debug("closing consumer {} failed: {}", config.durable, e.toString());
      }
    }
  }

  /** Builds an {@link EventConsumer}; connection, durable name and handler are required. */
  public static final class Builder<M extends Message> {
    private final EventInfo event;
    private Connection connection;
    private String durable;
    private EventHandler<M> handler;
    private Duration ackWait = Duration.ofSeconds(30);
    private int maxDeliver = 10;
    private Duration redeliveryDelay = Duration.ofSeconds(1);
    private Duration rememberHandled = Duration.ofHours(24);
    private OpenTelemetry openTelemetry;

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

    /** The wait before a failed event is delivered again, times the delivery count (default 1 s). */
    public Builder<M> redeliveryDelay(Duration delay) {
      if (delay == null || delay.isNegative()) {
        throw new IllegalArgumentException("redeliveryDelay must not be negative: " + delay);
      }
      this.redeliveryDelay = delay;
      return this;
    }

    /**
     * How long handled event ids are remembered (default 24 h; the TTL of the shared bucket, set
     * by whoever creates it first). A redelivery later than that would run the handler again.
     */
    public Builder<M> rememberHandled(Duration ttl) {
      if (ttl == null || ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("rememberHandled must be positive: " + ttl);
      }
      this.rememberHandled = ttl;
      return this;
    }

    /** Traces handling with this OpenTelemetry (default GlobalOpenTelemetry). */
    public Builder<M> openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
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
