package io.natsharness.conformance.contract.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.impl.Headers;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.sdk.status.WireHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Watches the subjects of downstream hops with a plain (non-queue) subscription: NATS hands every
 * copy of a request to every such subscriber, so the spy sees each request the service under test
 * makes downstream without taking it from the real callee. Hops are kept in arrival order, across
 * subjects, and told apart by the trace id of their {@code traceparent}.
 *
 * <pre>{@code
 * Trace trace = Trace.random();
 * try (HopSpy hops = HopSpy.on(ctx, "svc.ai.llm.v1.infer")) {
 *   Call call = router.call("infer").header("traceparent", trace.traceparent());
 *   call.ok(request);
 *   hops.assertContinued(trace, call.deadline());
 * }
 * }</pre>
 */
public final class HopSpy implements AutoCloseable {

  /** How long the hops a check waits for may take. */
  private static final Duration ARRIVAL = Duration.ofSeconds(3);
  /** How long to keep listening, once the hops waited for came, for copies of them. */
  private static final Duration SETTLE = Duration.ofMillis(200);

  private final Connection nats;
  private final List<String> subjects;
  private final Dispatcher dispatcher;
  private final List<Hop> hops = new ArrayList<>();

  private HopSpy(Connection nats, List<String> subjects) {
    this.nats = nats;
    this.subjects = subjects;
    this.dispatcher = nats.createDispatcher(m -> {
      Hop hop = new Hop(m.getSubject(), firstValues(m.getHeaders()), m.getData() == null ? new byte[0] : m.getData());
      synchronized (hops) {
        hops.add(hop);
        hops.notifyAll();
      }
    });
  }

  /** Subscribes to {@code subjects} (wildcards allowed) before the call that should make the hops. */
  public static HopSpy on(CheckContext ctx, String... subjects) {
    HopSpy spy = new HopSpy(ctx.nats(), List.of(subjects));
    for (String subject : subjects) {
      spy.dispatcher.subscribe(subject);
    }
    try {
      ctx.nats().flush(Duration.ofSeconds(2));
    } catch (TimeoutException e) {
      spy.close();
      throw new IllegalStateException("could not subscribe to " + spy.subjects + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      spy.close();
      throw new IllegalStateException("interrupted while subscribing to " + spy.subjects, e);
    }
    return spy;
  }

  /**
   * The hops that carry {@code trace}'s trace id, in arrival order: waits until {@code count} came
   * (or {@code within} passed), then listens a moment longer for copies.
   */
  public List<Hop> hopsOf(Trace trace, int count, Duration within) {
    if (!waitFor(() -> of(trace).size() >= count, within)) {
      return of(trace);
    }
    pause(SETTLE);
    return of(trace);
  }

  /**
   * Asserts that at least one hop continued {@code trace} (same trace id, a well-formed
   * traceparent) and that each such hop carried an {@code Nh-Deadline} no later than the caller's
   * {@code deadline}.
   */
  public List<Hop> assertContinued(Trace trace, Instant deadline) {
    return assertContinued(trace, 1, deadline);
  }

  /** As {@link #assertContinued(Trace, Instant)}, waiting for {@code count} hops; returns those seen. */
  public List<Hop> assertContinued(Trace trace, int count, Instant deadline) {
    List<Hop> continued = assertTraceContinued(trace, count);
    for (Hop hop : continued) {
      assertThat(hop.deadline()).as("Nh-Deadline of the hop on %s", hop.subject()).isPresent();
      assertThat(hop.deadline().get())
          .as("Nh-Deadline of the hop on %s (the caller's is %d)", hop.subject(), deadline.toEpochMilli())
          .isLessThanOrEqualTo(deadline.toEpochMilli());
    }
    return continued;
  }

  /**
   * Asserts that at least one hop continued {@code trace} (same trace id, a well-formed
   * traceparent), without a deadline rule: for work that may outlive the request.
   */
  public List<Hop> assertTraceContinued(Trace trace) {
    return assertTraceContinued(trace, 1);
  }

  /** Every hop seen so far, of any trace: waits up to {@code wait} for the first, then a moment more. */
  public List<Hop> all(Duration wait) {
    waitFor(() -> !hops.isEmpty(), wait);
    pause(SETTLE);
    synchronized (hops) {
      return List.copyOf(hops);
    }
  }

  @Override
  public void close() {
    nats.closeDispatcher(dispatcher);
  }

  private List<Hop> assertTraceContinued(Trace trace, int count) {
    List<Hop> continued = hopsOf(trace, count, ARRIVAL);
    assertThat(continued).as("requests on %s carrying the caller's trace id %s", String.join(", ", subjects),
        trace.traceId()).isNotEmpty();
    for (Hop hop : continued) {
      assertThat(hop.traceparent().orElse("")).as("traceparent of the hop on %s", hop.subject())
          .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
    }
    return continued;
  }

  /** Waits until {@code condition} holds or {@code within} passed; whether it holds. */
  private boolean waitFor(BooleanSupplier condition, Duration within) {
    long end = System.nanoTime() + within.toNanos();
    synchronized (hops) {
      while (!condition.getAsBoolean()) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          hops.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return condition.getAsBoolean();
        }
      }
      return true;
    }
  }

  private static void pause(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<Hop> of(Trace trace) {
    synchronized (hops) {
      return hops.stream().filter(h -> h.carries(trace)).toList();
    }
  }

  private static Map<String, String> firstValues(Headers headers) {
    Map<String, String> first = new LinkedHashMap<>();
    if (headers != null) {
      headers.keySet().forEach(name -> first.put(name, headers.getFirst(name)));
    }
    return first;
  }

  /**
   * One request seen on a downstream subject.
   *
   * @param subject where it was sent
   * @param headers its headers (the first value of each)
   * @param body its protobuf body
   */
  public record Hop(String subject, Map<String, String> headers, byte[] body) {

    public Hop {
      headers = Map.copyOf(headers);
    }

    /** The value of header {@code name}. */
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name));
    }

    public Optional<String> traceparent() {
      return header(WireHeaders.TRACEPARENT);
    }

    /** Its Nh-Deadline, epoch ms; empty when absent or not a number. */
    public Optional<Long> deadline() {
      try {
        return header(WireHeaders.NH_DEADLINE).map(d -> Long.parseLong(d.strip()));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }

    /**
     * Whether its traceparent holds {@code trace}'s trace id, in any case: a hop that carries the id
     * but is malformed still counts, so that the assertions on it fail instead of missing it.
     */
    boolean carries(Trace trace) {
      return traceparent().map(tp -> tp.toLowerCase(Locale.ROOT).contains("-" + trace.traceId() + "-"))
          .orElse(false);
    }
  }
}
