package io.natsharness.sdk.events;

import com.google.protobuf.Message;
import io.nats.client.Connection;
import io.natsharness.proto.catalog.EventInfo;
import java.util.Objects;

/**
 * Publishes events to JetStream with {@code Nats-Msg-Id} = the event id, creating the domain's
 * stream {@code EVT_<DOMAIN>} (subjects {@code evt.<domain>.>}) on first use.
 *
 * <pre>{@code
 * EventPublisher events = EventPublisher.create(nats);
 * EventInfo settled = catalog.service("payment").orElseThrow().events().get(0);
 * PublishResult r = events.publish(settled, paymentSettled, "txn-0123");
 * }</pre>
 */
public final class EventPublisher {

  private final Connection connection;

  private EventPublisher(Connection connection) {
    this.connection = connection;
  }

  public static EventPublisher create(Connection connection) {
    return new EventPublisher(Objects.requireNonNull(connection, "connection"));
  }

  /** Publishes a catalog event. */
  public PublishResult publish(EventInfo event, Message payload, String eventId) {
    throw new UnsupportedOperationException("EventPublisher.publish is not implemented yet (issue 3, step 4)");
  }

  /** Publishes to an event subject {@code evt.<domain>.…}. */
  public PublishResult publish(String subject, Message payload, String eventId) {
    throw new UnsupportedOperationException("EventPublisher.publish is not implemented yet (issue 3, step 4)");
  }
}
