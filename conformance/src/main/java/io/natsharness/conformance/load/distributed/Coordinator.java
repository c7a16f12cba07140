package io.natsharness.conformance.load.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.natsharness.conformance.load.LoadMode;
import io.natsharness.conformance.load.LoadPlan;
import io.natsharness.conformance.load.LoadResult;
import io.natsharness.conformance.load.Phase;
import io.natsharness.conformance.load.PhaseExecutor;
import io.natsharness.conformance.load.generate.Interval;
import io.natsharness.conformance.load.generate.IntervalListener;
import io.natsharness.conformance.load.generate.RunTotals;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs phases on generator processes ({@link Worker}s, on this host or others) coordinated over
 * NATS: it waits for the workers to announce themselves, hands each its share of a phase (the
 * rate divided among them), starts them all at one instant, and merges the histogram intervals
 * they stream back into one result, exactly (HdrHistogram buckets add). Workers' clocks must
 * agree (one host, or NTP) since the start instant is wall-clock time.
 *
 * <pre>{@code
 * try (Coordinator coordinator = Coordinator.await(control, "nh.load", 2, Duration.ofSeconds(30), remote)) {
 *   LoadResult merged = coordinator.run(phase, IntervalListener.NONE);
 * }
 * }</pre>
 */
public final class Coordinator implements PhaseExecutor {

  /** Time between the go message and the start: every worker has it before the instant. */
  private static final Duration LEAD = Duration.ofMillis(500);

  private final Connection control;
  private final String prefix;
  private final List<String> workers;
  private final RemoteEndpoints endpoints;
  private final String runId = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  private int phases;
  private boolean ownsConnection;

  private Coordinator(Connection control, String prefix, List<String> workers, RemoteEndpoints endpoints) {
    this.control = control;
    this.prefix = prefix;
    this.workers = List.copyOf(workers);
    this.endpoints = endpoints;
  }

  /**
   * Waits until {@code count} workers have announced themselves on {@code <prefix>.announce}.
   *
   * @throws TimeoutException naming those that came when fewer did within {@code wait}
   */
  public static Coordinator await(Connection control, String prefix, int count, Duration wait, RemoteEndpoints endpoints)
      throws TimeoutException, InterruptedException {
    if (count < 1) {
      throw new IllegalArgumentException("a coordinator needs at least 1 worker, not " + count);
    }
    Set<String> seen = new LinkedHashSet<>();
    Dispatcher d = control.createDispatcher(m -> {
      synchronized (seen) {
        if (seen.size() < count) {
          seen.add(Messages.read(m.getData()).path("worker").asText());
        }
        seen.notifyAll();
      }
    });
    d.subscribe(prefix + ".announce");
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      synchronized (seen) {
        while (seen.size() < count) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new TimeoutException("only " + seen.size() + " of " + count + " load workers announced themselves on "
                + prefix + ".announce within " + wait.toMillis() + " ms" + (seen.isEmpty() ? "" : ": " + seen));
          }
          seen.wait(Math.max(1, left / 1_000_000));
        }
      }
    } finally {
      control.closeDispatcher(d);
    }
    return new Coordinator(control, prefix, new ArrayList<>(seen), endpoints);
  }

  /** Makes {@link #close()} close the control connection too (one opened for this coordinator only). */
  public Coordinator closingConnection() {
    ownsConnection = true;
    return this;
  }

  /** The workers, in the order they announced themselves. */
  public List<String> workers() {
    return workers;
  }

  @Override
  public int generators() {
    return workers.size();
  }

  @Override
  public LoadResult run(Phase phase, IntervalListener progress) throws Exception {
    int number = ++phases;
    String intervals = prefix + ".run." + runId + ".intervals";
    RunTotals totals = new RunTotals();
    AtomicReference<String> endpoint = new AtomicReference<>(phase.transport().description());
    Dispatcher d = control.createDispatcher(m -> {
      JsonNode n = Messages.read(m.getData());
      boolean ours = n.path("phase").asInt() == number;
      if (ours) {
        Interval interval = Messages.interval(n);
        synchronized (totals) {
          if (totals.add(interval)) {
            endpoint.set(n.path("endpoint").asText(endpoint.get()));
            progress.interval(interval);
          }
        }
      }
      // Acknowledge before waking the run: once it returns, the connection may close.
      if (m.getReplyTo() != null) {
        control.publish(m.getReplyTo(), "ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      }
      if (ours) {
        synchronized (totals) {
          totals.notifyAll();
        }
      }
    });
    d.subscribe(intervals);
    try {
      control.flush(Duration.ofSeconds(5));
      for (String w : workers) {
        ask(w, phaseMessage(phase, number, intervals), "prepare phase " + number);
      }
      Instant start = Instant.now().plus(LEAD);
      ObjectNode go = Messages.JSON.createObjectNode().put("type", "go").put("phase", number)
          .put("startEpochMicros", start.getEpochSecond() * 1_000_000 + start.getNano() / 1_000);
      for (String w : workers) {
        ask(w, go, "start phase " + number);
      }
      LoadPlan plan = phase.plan();
      long deadline = System.nanoTime() + LEAD.toNanos() + plan.warmup().toNanos() + plan.duration().toNanos()
          + 2 * plan.timeout().toNanos() + Duration.ofSeconds(30).toNanos();
      synchronized (totals) {
        while (totals.finished().size() < workers.size()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            Set<String> missing = new TreeSet<>(workers);
            missing.removeAll(totals.finished());
            throw new TimeoutException("load workers " + missing + " sent no last interval of phase " + number + " ("
                + phase.label() + ")");
          }
          totals.wait(Math.max(1, left / 1_000_000));
        }
      }
      return LoadResult.of(phase.subject(), phase.transport(), endpoint.get(), plan, workers.size(), totals);
    } finally {
      control.closeDispatcher(d);
    }
  }

  private ObjectNode phaseMessage(Phase phase, int number, String intervals) {
    ObjectNode n = Messages.JSON.createObjectNode();
    n.put("type", "phase");
    n.put("phase", number);
    n.put("subject", phase.subject());
    n.put("transport", phase.transport().id());
    n.put("intervals", intervals);
    n.set("endpoints", endpoints.toJson());
    n.set("plan", Messages.plan(share(phase.plan())));
    ArrayNode bodies = n.putArray("requests");
    for (Message m : phase.requests().messages()) {
      bodies.add(Base64.getEncoder().encodeToString(m.toByteArray()));
    }
    n.put("origin", phase.requests().origin());
    return n;
  }

  /** One worker's share: the rate divided by the workers, callers and request bound too (rounded up). */
  LoadPlan share(LoadPlan plan) {
    int n = workers.size();
    LoadPlan.Builder b = plan.toBuilder().withRate(plan.rate().scaled(1.0 / n));
    if (!plan.mode().open()) {
      b.withMode(LoadMode.closedLoop((plan.mode().callers() + n - 1) / n));
    }
    if (plan.maxRequests() != Long.MAX_VALUE) {
      b.withMaxRequests((plan.maxRequests() + n - 1) / n);
    }
    return b.build();
  }

  private void ask(String worker, ObjectNode message, String what) throws IOException, InterruptedException {
    io.nats.client.Message reply;
    try {
      reply = control.request(prefix + ".worker." + worker, Messages.bytes(message), Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      throw new IOException("load worker " + worker + " did not answer to " + what + ": " + e.getMessage(), e);
    }
    if (reply == null || reply.isStatusMessage()) {
      throw new IOException("load worker " + worker + " did not answer to " + what + " within 30 s");
    }
    JsonNode answer = Messages.read(reply.getData());
    if (!answer.path("ok").asBoolean()) {
      throw new IOException("load worker " + worker + " could not " + what + ": " + answer.path("error").asText());
    }
  }

  /** Tells every worker the run is over (they exit). */
  @Override
  public void close() {
    byte[] finish = Messages.bytes(Messages.JSON.createObjectNode().put("type", "finish"));
    for (String w : workers) {
      control.publish(prefix + ".worker." + w, finish);
    }
    try {
      control.flush(Duration.ofSeconds(2));
    } catch (Exception e) {
      // The workers stop on their own after their idle limit.
    }
    if (ownsConnection) {
      try {
        control.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
