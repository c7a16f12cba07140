package io.natsharness.conformance.contract.infra.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.nats.client.Connection;
import io.nats.client.Subscription;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.proto.catalog.EventInfo;
import io.natsharness.sdk.status.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Watches one event subject {@code evt.<domain>.<service>.v1.<event>} with a plain NATS
 * subscription (a JetStream publish is a NATS publish on that subject, so every copy is seen), so a
 * check can count the events of the state changes it makes. Open it before the change, close it
 * after. One event per state change means one distinct {@code Nats-Msg-Id}: WIRE.md lets a
 * publisher repeat a publish with the same id, which JetStream stores once.
 *
 * <pre>{@code
 * try (EventSpy<QuestCompleted> completed = EventSpy.on(ctx, "quest_system", "quest_completed")) {
 *   quests.ok("report_progress", last);
 *   QuestCompleted event = completed.awaitOne(e -> e.getPlayerId().equals(player));
 * }
 * }</pre>
 *
 * @param <E> the event's payload type
 */
public final class EventSpy<E extends Message> implements AutoCloseable {

  /** How long to wait for an event that must come. */
  public static final Duration ARRIVAL = Duration.ofSeconds(5);
  /** How long to keep listening for a second copy that must not come. */
  public static final Duration SETTLE = Duration.ofMillis(400);

  private final EventInfo event;
  private final Subscription subscription;
  private final List<Seen<E>> seen = new ArrayList<>();

  private EventSpy(EventInfo event, Subscription subscription) {
    this.event = event;
    this.subscription = subscription;
  }

  /**
   * Subscribes to the subject of {@code eventName} of {@code service} (from the catalog).
   *
   * @throws IllegalArgumentException when the catalog does not list that event
   */
  public static <E extends Message> EventSpy<E> on(CheckContext ctx, String service, String eventName) {
    EventInfo event = ctx.catalog().service(service).orElseThrow(
            () -> new IllegalArgumentException("the catalog has no service '" + service + "'"))
        .events().stream().filter(e -> e.name().equals(eventName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(service + " has no event '" + eventName + "' in the catalog"));
    Connection nats = ctx.nats();
    Subscription subscription = nats.subscribe(event.subject());
    try {
      nats.flush(Duration.ofSeconds(2));
    } catch (TimeoutException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("could not subscribe to " + event.subject() + ": " + e, e);
    }
    return new EventSpy<>(event, subscription);
  }

  /**
   * Waits for the event matching {@code match}, keeps listening a moment, and asserts that exactly
   * one distinct event (by {@code Nats-Msg-Id}) matched.
   */
  public E awaitOne(Predicate<E> match) {
    List<Seen<E>> matching = await(match, 1, ARRIVAL);
    assertThat(matching).as("%s events matching the change (none within %d ms)", event.subject(),
        ARRIVAL.toMillis()).isNotEmpty();
    drain(SETTLE);
    List<Seen<E>> all = matching(match);
    assertThat(distinctIds(all)).as("distinct Nats-Msg-Id of the %s events of one change", event.subject())
        .hasSize(1);
    return all.get(0).payload();
  }

  /** Waits until {@code count} distinct matching events arrived (or the arrival time passed); returns them. */
  public List<E> awaitDistinct(Predicate<E> match, int count) {
    long end = System.nanoTime() + ARRIVAL.toNanos();
    while (distinctIds(matching(match)).size() < count && System.nanoTime() < end) {
      if (!receive(Duration.ofNanos(Math.max(1, end - System.nanoTime())))) {
        break;
      }
    }
    drain(SETTLE);
    List<E> distinct = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    for (Seen<E> s : matching(match)) {
      if (ids.add(s.eventId().orElse("#" + distinct.size()))) {
        distinct.add(s.payload());
      }
    }
    return distinct;
  }

  /** Listens for {@code quiet}, then returns every event received so far, in arrival order. */
  public List<E> received(Duration quiet) {
    drain(quiet);
    return seen.stream().map(Seen::payload).toList();
  }

  /** Listens for {@code quiet} and asserts that no event matching {@code match} came. */
  public void assertNone(Predicate<E> match, Duration quiet) {
    drain(quiet);
    assertThat(matching(match)).as("%s events where the contract says none", event.subject()).isEmpty();
  }

  /** Asserts that nothing more than the events already counted matched, after a settle time. */
  public void assertNoMoreThan(Predicate<E> match, int distinct) {
    drain(SETTLE);
    assertThat(distinctIds(matching(match))).as("distinct %s events", event.subject()).hasSizeLessThanOrEqualTo(distinct);
  }

  @Override
  public void close() {
    if (subscription.isActive()) {
      subscription.unsubscribe();
    }
  }

  private List<Seen<E>> await(Predicate<E> match, int count, Duration within) {
    long end = System.nanoTime() + within.toNanos();
    while (matching(match).size() < count && System.nanoTime() < end) {
      if (!receive(Duration.ofNanos(Math.max(1, end - System.nanoTime())))) {
        break;
      }
    }
    return matching(match);
  }

  private void drain(Duration quiet) {
    long end = System.nanoTime() + quiet.toNanos();
    while (System.nanoTime() < end) {
      receive(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
    }
  }

  private boolean receive(Duration wait) {
    try {
      io.nats.client.Message m = subscription.nextMessage(wait);
      if (m == null) {
        return false;
      }
      Optional<String> id = Optional.ofNullable(m.getHeaders()).map(h -> h.getFirst(WireHeaders.NATS_MSG_ID));
      assertThat(id).as("Nats-Msg-Id header of an event on %s (WIRE.md: published with the event's id)",
          event.subject()).isPresent();
      seen.add(new Seen<>(parse(m), id));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

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

  private List<Seen<E>> matching(Predicate<E> match) {
    return seen.stream().filter(s -> match.test(s.payload())).toList();
  }

  private static <E> Set<String> distinctIds(List<Seen<E>> events) {
    Set<String> ids = new LinkedHashSet<>();
    int i = 0;
    for (Seen<E> s : events) {
      ids.add(s.eventId().orElse("#" + i++));
    }
    return ids;
  }

  private record Seen<E>(E payload, Optional<String> eventId) {}
}
