package io.natsharness.conformance.contract.infra.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.sdk.status.WireHeaders;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Watches the subject of a downstream hop with a plain (non-queue) subscription: NATS hands every
 * copy of a request to every such subscriber, so the spy sees each request the service under test
 * makes downstream without taking it from the real callee. Hops are told apart by the trace id of
 * their {@code traceparent}.
 *
 * <pre>{@code
 * Trace trace = HopSpy.newTrace();
 * try (HopSpy hops = HopSpy.on(ctx, "svc.ai.llm.v1.infer")) {
 *   router.call("infer").header("traceparent", trace.traceparent()).deadline(deadline).ok(request);
 *   hops.assertContinued(trace, deadline);
 * }
 * }</pre>
 */
public final class HopSpy implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String subject;
  private final Subscription subscription;
  private final List<Message> seen = new ArrayList<>();

  private HopSpy(String subject, Subscription subscription) {
    this.subject = subject;
    this.subscription = subscription;
  }

  /** Subscribes to {@code subject} (wildcards allowed) before the call that should make the hop. */
  public static HopSpy on(CheckContext ctx, String subject) {
    Connection nats = ctx.nats();
    Subscription subscription = nats.subscribe(subject);
    try {
      nats.flush(Duration.ofSeconds(2));
    } catch (TimeoutException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("could not subscribe to " + subject + ": " + e, e);
    }
    return new HopSpy(subject, subscription);
  }

  /** A fresh W3C trace context: random trace id and parent span id, sampled. */
  public static Trace newTrace() {
    byte[] traceId = new byte[16];
    byte[] spanId = new byte[8];
    RANDOM.nextBytes(traceId);
    RANDOM.nextBytes(spanId);
    traceId[0] |= 1; // never all zeros
    spanId[0] |= 1;
    return new Trace(HexFormat.of().formatHex(traceId), HexFormat.of().formatHex(spanId));
  }

  /** The hop requests that carry {@code trace}'s trace id, waiting up to {@code wait} for the first. */
  public List<Message> hopsOf(Trace trace, Duration wait) {
    long end = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < end) {
      if (!matching(trace).isEmpty()) {
        drain(Duration.ofMillis(200));
        break;
      }
      receive(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
    }
    return matching(trace);
  }

  /**
   * Asserts that at least one hop on the spied subject continued {@code trace} (same trace id, a
   * well-formed traceparent) and that each such hop carried an {@code Nh-Deadline} no later than
   * the caller's {@code deadline}.
   */
  public List<Message> assertContinued(Trace trace, Instant deadline) {
    List<Message> hops = hopsOf(trace, Duration.ofSeconds(3));
    assertThat(hops).as("requests on %s carrying the caller's trace id %s", subject, trace.traceId()).isNotEmpty();
    for (Message hop : hops) {
      String traceparent = hop.getHeaders().getFirst(WireHeaders.TRACEPARENT);
      assertThat(traceparent).as("traceparent of the hop on %s", hop.getSubject())
          .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
      Optional<String> hopDeadline = Optional.ofNullable(hop.getHeaders().getFirst(WireHeaders.NH_DEADLINE));
      assertThat(hopDeadline).as("Nh-Deadline of the hop on %s", hop.getSubject()).isPresent();
      assertThat(Long.parseLong(hopDeadline.get().strip()))
          .as("Nh-Deadline of the hop on %s (the caller's is %d)", hop.getSubject(), deadline.toEpochMilli())
          .isLessThanOrEqualTo(deadline.toEpochMilli());
    }
    return hops;
  }

  /**
   * Asserts that at least one hop on the spied subject continued {@code trace} (same trace id, a
   * well-formed traceparent), without a deadline rule: for work that may outlive the request.
   */
  public List<Message> assertTraceContinued(Trace trace) {
    List<Message> hops = hopsOf(trace, Duration.ofSeconds(3));
    assertThat(hops).as("requests on %s carrying the caller's trace id %s", subject, trace.traceId()).isNotEmpty();
    hops.forEach(hop -> assertThat(hop.getHeaders().getFirst(WireHeaders.TRACEPARENT))
        .as("traceparent of the hop on %s", hop.getSubject()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}"));
    return hops;
  }

  /** Every request seen so far, waiting up to {@code wait} for at least one. */
  public List<Message> all(Duration wait) {
    long end = System.nanoTime() + wait.toNanos();
    while (seen.isEmpty() && System.nanoTime() < end) {
      receive(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
    }
    drain(Duration.ofMillis(200));
    return List.copyOf(seen);
  }

  @Override
  public void close() {
    if (subscription.isActive()) {
      subscription.unsubscribe();
    }
  }

  private List<Message> matching(Trace trace) {
    return seen.stream().filter(m -> m.getHeaders() != null)
        .filter(m -> Optional.ofNullable(m.getHeaders().getFirst(WireHeaders.TRACEPARENT))
            .map(tp -> tp.contains("-" + trace.traceId() + "-")).orElse(false))
        .toList();
  }

  private void drain(Duration quiet) {
    long end = System.nanoTime() + quiet.toNanos();
    while (System.nanoTime() < end) {
      receive(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
    }
  }

  private void receive(Duration wait) {
    try {
      Message m = subscription.nextMessage(wait);
      if (m != null) {
        seen.add(m);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A W3C trace context a check sends, to find its hops again.
   *
   * @param traceId 32 lower-case hex digits
   * @param spanId 16 lower-case hex digits: the caller's span
   */
  public record Trace(String traceId, String spanId) {
    /** The {@code traceparent} header value: version 00, sampled. */
    public String traceparent() {
      return "00-" + traceId + "-" + spanId + "-01";
    }
  }
}
