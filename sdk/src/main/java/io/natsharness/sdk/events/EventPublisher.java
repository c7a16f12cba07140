package io.natsharness.sdk.events;

import com.google.protobuf.Message;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsharness.proto.catalog.EventInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.sdk.internal.Telemetry;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.util.Objects;

/**
 * Publishes events to JetStream with {@code Nats-Msg-Id} = the event id, so a repeat inside the
 * duplicate window (2 minutes) is stored once and reported as a duplicate. The domain's stream
 * {@code EVT_<DOMAIN>} (subjects {@code evt.<domain>.>}) is created on first use. Events carry the
 * current trace context. Failures surface as RpcException (UNAVAILABLE when JetStream cannot be
 * reached), so a handler that publishes answers them like any other error.
 *
 * <pre>{@code
 * EventPublisher events = EventPublisher.create(nats);
 * EventInfo settled = catalog.service("payment").orElseThrow().events().get(0);
 * PublishResult r = events.publish(settled, paymentSettled, "txn-0123");
 * r.duplicate(); // true when txn-0123 was published before, inside the window
 * }</pre>
 */
public final class EventPublisher {

  private final JetStream jetStream;
  private final EventStreams streams;
  private final Telemetry telemetry;

  private EventPublisher(Connection connection, OpenTelemetry openTelemetry) {
    try {
      this.jetStream = connection.jetStream();
    } catch (IOException e) {
      throw RpcException.unavailable("JetStream is not available: " + e.getMessage());
    }
    this.streams = new EventStreams(connection);
    this.telemetry = new Telemetry(openTelemetry, null);
  }

  /** A publisher on the connection, tracing with GlobalOpenTelemetry. */
  public static EventPublisher create(Connection connection) {
    return new EventPublisher(Objects.requireNonNull(connection, "connection"), null);
  }

  /** A publisher on the connection, tracing with the given OpenTelemetry. */
  public static EventPublisher create(Connection connection, OpenTelemetry openTelemetry) {
    return new EventPublisher(Objects.requireNonNull(connection, "connection"),
        Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /**
   * Publishes a catalog event.
   *
   * @throws IllegalArgumentException when the payload is not the event's type or the id is blank
   */
  public PublishResult publish(EventInfo event, Message payload, String eventId) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(payload, "payload");
    if (!payload.getDescriptorForType().equals(event.prototype().getDescriptorForType())) {
      throw new IllegalArgumentException("event " + event.name() + " carries "
          + event.prototype().getDescriptorForType().getFullName() + ", not "
          + payload.getDescriptorForType().getFullName());
    }
    return send(event.subject(), payload, eventId);
  }

  /**
   * Publishes to an event subject {@code evt.<domain>.…}; a catalog event's subject is checked
   * against its payload type.
   */
  public PublishResult publish(String subject, Message payload, String eventId) {
    Objects.requireNonNull(payload, "payload");
    EventStreams.domain(subject);
    for (EventInfo event : ServiceCatalog.load().events()) {
      if (event.subject().equals(subject)) {
        return publish(event, payload, eventId);
      }
    }
    return send(subject, payload, eventId);
  }

  private PublishResult send(String subject, Message payload, String eventId) {
    if (eventId == null || eventId.isBlank() || eventId.indexOf('\r') >= 0 || eventId.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("event id must be non-blank text without CR or LF: " + eventId);
    }
    String stream = streams.ensureFor(subject);
    Span span = telemetry.startEvent(SpanKind.PRODUCER, subject, Context.current());
    Headers headers = new Headers();
    headers.put(WireHeaders.NATS_MSG_ID, eventId);
    headers.put(WireHeaders.CONTENT_TYPE, WireHeaders.APPLICATION_PROTOBUF);
    telemetry.inject(Context.current().with(span), headers);
    try {
      PublishAck ack = jetStream.publish(NatsMessage.builder().subject(subject).headers(headers)
              .data(payload.toByteArray()).build(),
          PublishOptions.builder().messageId(eventId).expectedStream(stream).build());
      Telemetry.end(span, "OK", "");
      return new PublishResult(ack.getStream(), ack.getSeqno(), ack.isDuplicate());
    } catch (JetStreamApiException e) {
      Telemetry.end(span, "UNAVAILABLE", e.getErrorDescription());
      throw RpcException.unavailable("JetStream refused event " + eventId + " on " + subject + ": "
          + e.getErrorDescription());
    } catch (IOException e) {
      Telemetry.end(span, "UNAVAILABLE", String.valueOf(e.getMessage()));
      throw RpcException.unavailable("cannot publish event " + eventId + " on " + subject + ": " + e.getMessage());
    }
  }
}
