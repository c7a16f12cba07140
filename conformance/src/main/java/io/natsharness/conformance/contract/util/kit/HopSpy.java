package io.natsharness.conformance.contract.util.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.sdk.status.WireHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Spies on downstream subjects with a plain (non-queue) subscription, which sees every copy of a
 * hop's request, to check what the service under test passes on: the caller's trace and a deadline
 * no later than the caller's. Hops are kept in arrival order, across subjects.
 *
 * <pre>{@code
 * Trace trace = Trace.random();
 * try (HopSpy spy = HopSpy.on(ctx, "svc.ai.llm.v1.infer")) {
 *   ... send next_beat with trace.traceparent() and deadline d ...
 *   HopSpy.assertPropagated(spy.await(trace, 1), trace, d);
 * }
 * }</pre>
 */
public final class HopSpy implements AutoCloseable {

  private static final Duration ARRIVAL = Duration.ofSeconds(5);

  private final Connection nats;
  private final Dispatcher dispatcher;
  private final List<Hop> hops = new ArrayList<>();

  private HopSpy(Connection nats) {
    this.nats = nats;
    this.dispatcher = nats.createDispatcher(m -> {
      var headers = m.getHeaders();
      Optional<String> traceparent = Optional.ofNullable(headers).map(h -> h.getFirst(WireHeaders.TRACEPARENT));
      Optional<Long> deadline = Optional.ofNullable(headers).map(h -> h.getFirst(WireHeaders.NH_DEADLINE))
          .flatMap(HopSpy::parseLong);
      synchronized (hops) {
        hops.add(new Hop(m.getSubject(), traceparent, deadline, m.getData() == null ? new byte[0] : m.getData()));
        hops.notifyAll();
      }
    });
  }

  /** Starts spying on {@code subjects}. */
  public static HopSpy on(CheckContext ctx, String... subjects) {
    HopSpy spy = new HopSpy(ctx.nats());
    for (String subject : subjects) {
      spy.dispatcher.subscribe(subject);
    }
    try {
      ctx.nats().flush(Duration.ofSeconds(2));
    } catch (TimeoutException e) {
      spy.close();
      throw new IllegalStateException("could not subscribe to the downstream subjects: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      spy.close();
      throw new IllegalStateException("interrupted while subscribing", e);
    }
    return spy;
  }

  /** Waits until at least {@code count} hops carry the trace (or 5 s pass); returns those seen. */
  public List<Hop> await(Trace trace, int count) {
    long end = System.nanoTime() + ARRIVAL.toNanos();
    synchronized (hops) {
      while (of(trace).size() < count && System.nanoTime() < end) {
        try {
          hops.wait(Math.max(1, (end - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return of(trace);
    }
  }

  /** Every hop seen so far, of any trace, in arrival order. */
  public List<Hop> all() {
    synchronized (hops) {
      return List.copyOf(hops);
    }
  }

  /**
   * Asserts that at least one hop was seen, that each carries {@code trace}'s trace id, and an
   * Nh-Deadline no later than the caller's.
   */
  public static void assertPropagated(List<Hop> hops, Trace trace, long callerDeadlineMillis) {
    assertThat(hops).as("downstream requests carrying trace id %s", trace.traceId()).isNotEmpty();
    for (Hop hop : hops) {
      assertThat(hop.traceparent().flatMap(Trace::traceId)).as("trace id of the hop on %s", hop.subject())
          .contains(trace.traceId());
      assertThat(hop.deadline()).as("Nh-Deadline of the hop on %s", hop.subject())
          .hasValueSatisfying(d -> assertThat(d).as("hop deadline vs the caller's %d", callerDeadlineMillis)
              .isLessThanOrEqualTo(callerDeadlineMillis));
    }
  }

  @Override
  public void close() {
    nats.closeDispatcher(dispatcher);
  }

  private List<Hop> of(Trace trace) {
    return hops.stream().filter(h -> h.traceparent().flatMap(Trace::traceId).filter(trace.traceId()::equals)
        .isPresent()).toList();
  }

  private static Optional<Long> parseLong(String value) {
    try {
      return Optional.of(Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * One request seen on a downstream subject.
   *
   * @param subject where it was sent
   * @param traceparent its traceparent header
   * @param deadline its Nh-Deadline, epoch ms
   * @param body its protobuf body
   */
  public record Hop(String subject, Optional<String> traceparent, Optional<Long> deadline, byte[] body) {}
}
