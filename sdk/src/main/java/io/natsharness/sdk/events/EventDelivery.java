package io.natsharness.sdk.events;

import com.google.protobuf.Message;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.StorageType;
import io.natsharness.proto.catalog.EventInfo;
import io.natsharness.sdk.internal.Telemetry;
import io.natsharness.sdk.internal.WireCodec;
import io.natsharness.sdk.internal.WireErrors;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an {@link EventConsumer} does with each delivery: skip an id already handled, decode,
 * run the handler in the event's trace, record the id, ack; nak with a growing delay on failure.
 */
final class EventDelivery {

  private static final Logger LOG = LoggerFactory.getLogger(EventConsumer.class);
  /** KV bucket of handled event ids, one key per (durable, event id); entries expire with the bucket's TTL. */
  static final String DEDUPE_BUCKET = "NH_EVENTS_HANDLED";
  private static final Pattern PLAIN_KEY = Pattern.compile("[-_=A-Za-z0-9]{1,200}");

  /** What a consumer reports. */
  static final class Counters {
    final AtomicLong handled = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
  }

  private final EventInfo event;
  private final String durable;
  private final EventHandler<?> handler;
  private final int maxDeliver;
  private final Duration redeliveryDelay;
  private final KeyValue handledIds;
  private final Telemetry telemetry;
  private final Counters counters;

  EventDelivery(EventInfo event, String durable, EventHandler<?> handler, int maxDeliver, Duration redeliveryDelay,
      KeyValue handledIds, Telemetry telemetry, Counters counters) {
    this.event = event;
    this.durable = durable;
    this.handler = handler;
    this.maxDeliver = maxDeliver;
    this.redeliveryDelay = redeliveryDelay;
    this.handledIds = handledIds;
    this.telemetry = telemetry;
    this.counters = counters;
  }

  void onMessage(io.nats.client.Message msg) {
    String eventId = WireErrors.first(msg.getHeaders(), WireHeaders.NATS_MSG_ID)
        .orElseGet(() -> "seq-" + msg.metaData().streamSequence());
    String key = durable + "." + key(eventId);
    try {
      if (handledIds.get(key) != null) {
        counters.duplicates.incrementAndGet();
        msg.ack();
        return;
      }
    } catch (IOException | JetStreamApiException e) {
      // Cannot tell whether it was handled: let JetStream deliver it again later.
      LOG.warn("cannot check event {} of {}: {}", eventId, durable, e.toString());
      msg.nakWithDelay(Duration.ofSeconds(1));
      return;
    }
    Message payload;
    try {
      String type = WireCodec.contentType(WireErrors.first(msg.getHeaders(), WireHeaders.CONTENT_TYPE).orElse(null));
      payload = WireCodec.decode(event.prototype(), type, msg.getData());
    } catch (RpcException e) {
      LOG.error("event {} on {} cannot be decoded, dropped: {}", eventId, msg.getSubject(), e.statusMessage());
      msg.term();
      return;
    }
    if (!handle(msg, eventId, payload)) {
      return;
    }
    try {
      handledIds.put(key, Long.toString(msg.metaData().streamSequence()));
    } catch (IOException | JetStreamApiException e) {
      LOG.warn("cannot record event {} of {} as handled; a redelivery would run it again: {}",
          eventId, durable, e.toString());
    }
    msg.ack();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private boolean handle(io.nats.client.Message msg, String eventId, Message payload) {
    Context parent = telemetry.extract(Context.root(), msg.getHeaders());
    Span span = telemetry.startEvent(SpanKind.CONSUMER, msg.getSubject(), parent);
    try (Scope ignored = parent.with(span).makeCurrent()) {
      ((EventHandler) handler).handle(new ReceivedEvent<>(eventId, msg.getSubject(), payload,
          msg.metaData().streamSequence(), msg.metaData().deliveredCount()));
      counters.handled.incrementAndGet();
      Telemetry.end(span, "OK", "");
      return true;
    } catch (Exception | LinkageError | AssertionError e) {
      counters.failures.incrementAndGet();
      long delivered = msg.metaData().deliveredCount();
      LOG.warn("handler of {} failed on event {} (delivery {} of {})", durable, eventId, delivered,
          maxDeliver, e);
      Telemetry.end(span, "INTERNAL", e.toString());
      msg.nakWithDelay(redeliveryDelay.multipliedBy(Math.min(delivered, 10)));
      return false;
    }
  }

  static KeyValue handledIds(Connection connection, Duration rememberHandled) throws IOException, JetStreamApiException {
    KeyValueManagement kvm = connection.keyValueManagement();
    try {
      kvm.getStatus(DEDUPE_BUCKET);
    } catch (JetStreamApiException e) {
      kvm.create(KeyValueConfiguration.builder().name(DEDUPE_BUCKET).storageType(StorageType.File)
          .maxHistoryPerKey(1).ttl(rememberHandled).build());
    }
    return connection.keyValue(DEDUPE_BUCKET);
  }

  /** A KV-safe key for an event id: the id itself when it is plain, else its URL-safe Base64. */
  static String key(String eventId) {
    if (PLAIN_KEY.matcher(eventId).matches()) {
      return "p" + eventId;
    }
    return "b" + Base64.getUrlEncoder().withoutPadding().encodeToString(eventId.getBytes(StandardCharsets.UTF_8));
  }
}
