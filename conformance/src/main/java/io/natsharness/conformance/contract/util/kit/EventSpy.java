package io.natsharness.conformance.contract.util.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Subscription;
import io.nats.client.api.StreamInfo;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.proto.catalog.EventInfo;
import io.natsharness.sdk.status.WireHeaders;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Watches one event subject {@code evt.<domain>.<service>.v1.<event>} with a plain NATS
 * subscription (a JetStream publish is a NATS publish on that subject, so every copy is seen).
 * Open it before the state change, close it after. "One event per state change" is counted in
 * distinct {@code Nats-Msg-Id}s, since WIRE.md lets a publisher repeat a publish with the same id
 * (JetStream stores it once).
 *
 * <pre>{@code
 * try (EventSpy<PaymentSettled> settled = EventSpy.on(ctx, "payment", "payment_settled")) {
 *   Transaction t = payment.ok("charge", request, key);
 *   settled.awaitOne(e -> e.getTransaction().getTransactionId().equals(t.getTransactionId()));
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

  /** Subscribes to the subject of {@code eventName} of {@code service}, as the catalog gives it. */
  public static <E extends Message> EventSpy<E> on(CheckContext ctx, String service, String eventName) {
    var info = ctx.catalog().service(service)
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
   * distinct event matched and that the domain's stream captures the subject, and returns it.
   */
  public Received<E> awaitOne(Predicate<E> match) {
    long end = System.nanoTime() + ARRIVAL.toNanos();
    while (matching(match).isEmpty() && System.nanoTime() < end) {
      receive(Duration.ofNanos(Math.max(1_000_000, end - System.nanoTime())));
    }
    assertThat(matching(match)).as("%s event of the change (none within %d ms)", event.subject(),
        ARRIVAL.toMillis()).isNotEmpty();
    drain(SETTLE);
    Map<String, Received<E>> distinct = distinct(matching(match));
    assertThat(distinct.keySet()).as("distinct Nats-Msg-Id of the %s events of one change", event.subject())
        .hasSize(1);
    assertStreamCaptures();
    return distinct.values().iterator().next();
  }

  /** Waits until {@code count} distinct matching events came, or the arrival time passed; returns them. */
  public List<Received<E>> awaitDistinct(Predicate<E> match, int count, Duration within) {
    long end = System.nanoTime() + within.toNanos();
    while (distinct(matching(match)).size() < count && System.nanoTime() < end) {
      receive(Duration.ofNanos(Math.max(1_000_000, end - System.nanoTime())));
    }
    drain(SETTLE);
    return List.copyOf(distinct(matching(match)).values());
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
    assertThat(matching(match)).as("%s events where the contract publishes none", event.subject()).isEmpty();
  }

  @Override
  public void close() {
    subscription.unsubscribe();
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
    for (int i = 0; i < list.size(); i++) {
      Received<E> r = list.get(i);
      byId.putIfAbsent(r.messageId().orElse("(no Nats-Msg-Id #" + i + ")"), r);
    }
    return byId;
  }

  private void drain(Duration quiet) {
    long end = System.nanoTime() + quiet.toNanos();
    while (System.nanoTime() < end) {
      receive(Duration.ofNanos(Math.max(1_000_000, end - System.nanoTime())));
    }
  }

  @SuppressWarnings("unchecked")
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
    try {
      E payload = (E) event.prototype().getParserForType().parseFrom(m.getData());
      Optional<String> id = Optional.ofNullable(m.getHeaders()).map(h -> h.getFirst(WireHeaders.NATS_MSG_ID));
      received.add(new Received<>(payload, id));
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("an event on " + event.subject() + " is not a "
          + event.prototype().getDescriptorForType().getFullName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * One event as it came.
   *
   * @param payload the decoded payload
   * @param messageId its {@code Nats-Msg-Id}, when it had one
   */
  public record Received<E extends Message>(E payload, Optional<String> messageId) {

    /**
     * Asserts that the {@code Nats-Msg-Id} is the event id the contract gives, allowing a
     * deployment's namespace in front of it (the reference prefixes its key prefix, so isolated
     * runs sharing one JetStream never drop each other's events as duplicates).
     */
    public Received<E> assertEventId(String eventId) {
      assertThat(messageId).as("Nats-Msg-Id of the event").hasValueSatisfying(id -> assertThat(id).endsWith(eventId));
      return this;
    }
  }
}
