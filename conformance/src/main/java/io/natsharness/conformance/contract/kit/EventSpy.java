package io.natsharness.conformance.contract.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Subscription;
import io.nats.client.api.StreamInfo;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.proto.catalog.EventInfo;
import io.natsharness.proto.catalog.ServiceInfo;
import io.natsharness.sdk.status.WireHeaders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Watches one event subject {@code evt.<domain>.<service>.v1.<event>} with a plain NATS
 * subscription (a JetStream publish is a NATS publish on that subject, so every copy is seen), so a
 * check can count the events of the state changes it makes. Open it before the change, close it
 * after. Every event must carry a {@code Nats-Msg-Id}, and "one event per state change" is counted
 * in distinct ids, since WIRE.md lets a publisher repeat a publish with the same id (JetStream
 * stores it once).
 *
 * <pre>{@code
 * try (EventSpy<PaymentSettled> settled = EventSpy.on(ctx, "payment", "payment_settled")) {
 *   Transaction t = payment.call("charge").idempotencyKey(key).ok(request);
 *   PaymentSettled event = settled.awaitOneWithEventId(
 *       e -> e.getTransaction().getTransactionId().equals(t.getTransactionId()), t.getTransactionId());
 * }
 * }</pre>
 *
 * @param <E> the event's payload type
 */
public final class EventSpy<E extends Message> implements AutoCloseable {

  /** How long an event that must come may take. */
  public static final Duration ARRIVAL = Duration.ofSeconds(5);
  /** How long to keep listening for a copy that must not come. */
  public static final Duration SETTLE = Duration.ofMillis(400);

  private final CheckContext ctx;
  private final EventInfo event;
  private final String stream;
  private final Subscription subscription;
  private final List<Received<E>> received = new ArrayList<>();

  private EventSpy(CheckContext ctx, EventInfo event, String stream, Subscription subscription) {
    this.ctx = ctx;
    this.event = event;
    this.stream = stream;
    this.subscription = subscription;
  }

  /**
   * Subscribes to the subject of {@code eventName} of {@code service} (from the catalog).
   *
   * @throws IllegalArgumentException when the catalog does not list that event
   */
  public static <E extends Message> EventSpy<E> on(CheckContext ctx, String service, String eventName) {
    ServiceInfo info = ctx.catalog().service(service)
        .orElseThrow(() -> new IllegalArgumentException("the catalog has no service '" + service + "'"));
    EventInfo event = info.events().stream().filter(e -> e.name().equals(eventName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(service + " has no event '" + eventName + "' in the catalog"));
    Connection nats = ctx.nats();
    Subscription subscription = nats.subscribe(event.subject());
    try {
      nats.flush(Duration.ofSeconds(2));
    } catch (TimeoutException e) {
      throw new IllegalStateException("could not subscribe to " + event.subject() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while subscribing to " + event.subject(), e);
    }
    return new EventSpy<>(ctx, event, info.eventStream(), subscription);
  }

  /**
   * Waits for an event matching {@code match}, listens a moment longer, asserts that exactly one
   * distinct event (by {@code Nats-Msg-Id}) matched and that the domain's JetStream stream captures
   * the subject, and returns its payload.
   */
  public E awaitOne(Predicate<E> match) {
    return awaitOneReceived(match).payload();
  }

  /**
   * As {@link #awaitOne}, and asserts that the event's {@code Nats-Msg-Id} is {@code eventId}, the
   * id the contract gives the event (see {@link Received#assertEventId}).
   */
  public E awaitOneWithEventId(Predicate<E> match, String eventId) {
    return awaitOneReceived(match).assertEventId(eventId).payload();
  }

  /** Waits until {@code count} distinct matching events came, or {@code within} passed; returns them. */
  public List<Received<E>> awaitDistinct(Predicate<E> match, int count, Duration within) {
    long end = System.nanoTime() + within.toNanos();
    while (distinct(matching(match)).size() < count && System.nanoTime() < end) {
      receive(Duration.ofNanos(Math.max(1_000_000, end - System.nanoTime())));
    }
    drain(SETTLE);
    return List.copyOf(distinct(matching(match)).values());
  }

  /** Listens for {@code quiet}, then returns every event received so far, in arrival order. */
  public List<E> received(Duration quiet) {
    drain(quiet);
    return received.stream().map(Received::payload).toList();
  }

  /**
   * Listens for {@code quiet} and asserts that the events matching {@code match} so far are
   * exactly {@code count} distinct ones (a repeat that must publish nothing adds none).
   */
  public void assertDistinct(Predicate<E> match, int count, Duration quiet) {
    drain(quiet);
    assertThat(distinct(matching(match)).keySet())
        .as("distinct Nats-Msg-Id of the %s events so far", event.subject()).hasSize(count);
  }

  /** Listens for {@code quiet} and asserts that no event matching {@code match} came. */
  public void assertNone(Predicate<E> match, Duration quiet) {
    drain(quiet);
    assertThat(matching(match)).as("%s events where the contract says none", event.subject()).isEmpty();
  }

  @Override
  public void close() {
    if (subscription.isActive()) {
      subscription.unsubscribe();
    }
  }

  private Received<E> awaitOneReceived(Predicate<E> match) {
    long end = System.nanoTime() + ARRIVAL.toNanos();
    while (matching(match).isEmpty() && System.nanoTime() < end) {
      receive(Duration.ofNanos(Math.max(1_000_000, end - System.nanoTime())));
    }
    assertThat(matching(match)).as("%s events matching the change (none within %d ms)", event.subject(),
        ARRIVAL.toMillis()).isNotEmpty();
    drain(SETTLE);
    Map<String, Received<E>> distinct = distinct(matching(match));
    assertThat(distinct.keySet()).as("distinct Nats-Msg-Id of the %s events of one change", event.subject())
        .hasSize(1);
    assertStreamCaptures();
    return distinct.values().iterator().next();
  }

  private void assertStreamCaptures() {
    try {
      StreamInfo info = ctx.nats().jetStreamManagement().getStreamInfo(stream);
      assertThat(info.getConfiguration().getSubjects())
          .as("subjects of JetStream stream %s", stream)
          .anySatisfy(filter -> assertThat(Subjects.matches(filter, event.subject())).isTrue());
    } catch (JetStreamApiException e) {
      throw new AssertionError("JetStream stream " + stream + " that stores " + event.subject()
          + " is missing: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new AssertionError("could not read JetStream stream " + stream + ": " + e, e);
    }
  }

  private List<Received<E>> matching(Predicate<E> match) {
    return received.stream().filter(r -> match.test(r.payload())).toList();
  }

  private static <E extends Message> Map<String, Received<E>> distinct(List<Received<E>> list) {
    Map<String, Received<E>> byId = new LinkedHashMap<>();
    list.forEach(r -> byId.putIfAbsent(r.messageId(), r));
    return byId;
  }

  private void drain(Duration quiet) {
    long end = System.nanoTime() + quiet.toNanos();
    while (System.nanoTime() < end) {
      receive(Duration.ofNanos(Math.max(1_000_000, end - System.nanoTime())));
    }
  }

  private void receive(Duration wait) {
    io.nats.client.Message m;
    try {
      m = subscription.nextMessage(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + event.subject());
    }
    if (m == null) {
      return;
    }
    String id = m.getHeaders() == null ? null : m.getHeaders().getFirst(WireHeaders.NATS_MSG_ID);
    assertThat(id).as("Nats-Msg-Id header of an event on %s (WIRE.md: published with the event's id)",
        event.subject()).isNotNull();
    received.add(new Received<>(parse(m), id));
  }

  /** The payload in the encoding its Content-Type names: protobuf, or proto3 JSON (WIRE.md's two). */
  @SuppressWarnings("unchecked")
  private E parse(io.nats.client.Message m) {
    byte[] data = m.getData() == null ? new byte[0] : m.getData();
    String type = m.getHeaders() == null ? null : m.getHeaders().getFirst(WireHeaders.CONTENT_TYPE);
    try {
      if (type != null && type.startsWith(WireHeaders.APPLICATION_JSON)) {
        Message.Builder builder = event.prototype().newBuilderForType();
        JsonFormat.parser().ignoringUnknownFields().merge(new String(data, StandardCharsets.UTF_8), builder);
        return (E) builder.build();
      }
      return (E) event.prototype().getParserForType().parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("an event on " + event.subject() + " is not a "
          + event.prototype().getDescriptorForType().getFullName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * One event as it came.
   *
   * @param payload the decoded payload
   * @param messageId its {@code Nats-Msg-Id}
   */
  public record Received<E extends Message>(E payload, String messageId) {

    /**
     * Asserts that the {@code Nats-Msg-Id} is the event id the contract gives, allowing a
     * deployment's namespace in front of it (the reference prefixes its key prefix, so isolated
     * runs sharing one JetStream never drop each other's events as duplicates).
     */
    public Received<E> assertEventId(String eventId) {
      assertThat(messageId).as("Nats-Msg-Id of the event").endsWith(eventId);
      return this;
    }
  }
}
