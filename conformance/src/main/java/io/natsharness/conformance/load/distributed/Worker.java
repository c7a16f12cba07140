package io.natsharness.conformance.load.distributed;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.natsharness.conformance.load.LoadPlan;
import io.natsharness.conformance.load.LocalExecutor;
import io.natsharness.conformance.load.Phase;
import io.natsharness.conformance.load.generate.Caller;
import io.natsharness.conformance.load.generate.Interval;
import io.natsharness.conformance.load.generate.LoadGenerator;
import io.natsharness.conformance.load.generate.SampleSink;
import io.natsharness.conformance.load.generate.Tally;
import io.natsharness.conformance.load.requests.LoadRequests;
import io.natsharness.conformance.load.transport.TransportKind;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A generator process under a {@link Coordinator}: it announces itself on
 * {@code <prefix>.announce} until given a phase, prepares the phase's transport and caller, starts
 * at the coordinator's instant, and streams every interval (compressed histograms and counters)
 * back, each acknowledged. It serves phases until the coordinator says finish, or nothing comes
 * for the idle limit.
 *
 * <pre>{@code
 * try (Worker worker = Worker.start(control, "nh.load", "w1", SampleSink.NONE)) {
 *   worker.serve(Duration.ofSeconds(60), Duration.ofMinutes(2));
 * }
 * }</pre>
 */
public final class Worker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
  private static final ServiceCatalog CATALOG = ServiceCatalog.load();

  private final Connection control;
  private final String prefix;
  private final String id;
  private final SampleSink sink;
  private final BlockingQueue<io.nats.client.Message> inbox = new LinkedBlockingQueue<>();
  private final Dispatcher dispatcher;
  private LocalExecutor executor;
  private JsonNode executorEndpoints;
  private volatile boolean engaged;

  private Worker(Connection control, String prefix, String id, SampleSink sink) {
    this.control = control;
    this.prefix = prefix;
    this.id = id;
    this.sink = sink;
    this.dispatcher = control.createDispatcher(inbox::add);
    dispatcher.subscribe(prefix + ".worker." + id);
  }

  /**
   * Subscribes to its own subject; {@link #serve} does the work.
   *
   * @throws IllegalArgumentException when {@code id} is not a single subject token
   */
  public static Worker start(Connection control, String prefix, String id, SampleSink sink) {
    if (!id.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException("a worker id is letters, digits, '-' and '_', not '" + id + "'");
    }
    return new Worker(control, prefix, id, sink);
  }

  /**
   * Serves phases until told to finish.
   *
   * @param firstWait how long to announce itself before giving up on a coordinator
   * @param idle how long to wait for the next message once engaged
   * @return true when the coordinator said finish, false when a wait ran out
   */
  public boolean serve(Duration firstWait, Duration idle) throws InterruptedException {
    Thread announcer = announcer();
    try {
      io.nats.client.Message m = inbox.poll(firstWait.toMillis(), TimeUnit.MILLISECONDS);
      while (m != null) {
        engaged = true;
        JsonNode n = Messages.read(m.getData());
        switch (n.path("type").asText()) {
          case "finish" -> {
            reply(m, null);
            return true;
          }
          case "phase" -> phase(m, n, idle);
          default -> reply(m, "unexpected message '" + n.path("type").asText() + "'");
        }
        m = inbox.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
      }
      return false;
    } finally {
      announcer.interrupt();
    }
  }

  private void phase(io.nats.client.Message request, JsonNode n, Duration idle) throws InterruptedException {
    int number = n.path("phase").asInt();
    Caller caller;
    LoadPlan plan;
    String endpoint;
    try {
      plan = Messages.plan(n.required("plan"));
      Phase phase = new Phase(requests(n), TransportKind.parse(n.required("transport").asText()), plan);
      var transport = executor(n.required("endpoints")).transport(phase);
      caller = transport.caller(phase.requests());
      endpoint = transport.description();
    } catch (Exception e) {
      reply(request, e.getMessage() == null ? e.toString() : e.getMessage());
      return;
    }
    reply(request, null);
    io.nats.client.Message go = inbox.poll(idle.toMillis(), TimeUnit.MILLISECONDS);
    JsonNode g = go == null ? null : Messages.read(go.getData());
    if (g == null || !"go".equals(g.path("type").asText()) || g.path("phase").asInt() != number) {
      if (go != null) {
        reply(go, "expected the go of phase " + number);
      }
      LOG.warn("worker {}: phase {} was prepared but never started", id, number);
      return;
    }
    reply(go, null);
    long startNanos = nanosAt(g.required("startEpochMicros").asLong());
    String intervals = n.required("intervals").asText();
    LoadGenerator.run(plan, caller, new Tally(id, sink), i -> send(intervals, i, number, endpoint), startNanos);
  }

  private LocalExecutor executor(JsonNode endpoints) {
    if (executor == null || !endpoints.equals(executorEndpoints)) {
      if (executor != null) {
        executor.close();
      }
      executor = new LocalExecutor(RemoteEndpoints.fromJson(endpoints).local(), sink);
      executorEndpoints = endpoints;
    }
    return executor;
  }

  private static LoadRequests requests(JsonNode n) throws InvalidProtocolBufferException {
    String subject = n.required("subject").asText();
    MethodInfo method = CATALOG.method(subject).orElseThrow(() -> new IllegalArgumentException(
        "no catalog method answers on '" + subject + "'"));
    List<Message> bodies = new ArrayList<>();
    for (JsonNode b : n.required("requests")) {
      bodies.add(method.requestPrototype().getParserForType().parseFrom(Base64.getDecoder().decode(b.asText())));
    }
    return LoadRequests.of(method, bodies, n.path("origin").asText("coordinator"));
  }

  /** Sends an interval and waits for the coordinator's ack (three tries), so none is lost unnoticed. */
  private void send(String subject, Interval interval, int phase, String endpoint) {
    byte[] data = Messages.bytes(Messages.interval(interval, phase, endpoint));
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        io.nats.client.Message ack = control.request(subject, data, Duration.ofSeconds(5));
        if (ack != null && !ack.isStatusMessage()) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.debug("worker {}: interval {} not acknowledged: {}", id, interval.sequence(), e.toString());
      }
    }
    LOG.warn("worker {}: the coordinator did not acknowledge interval {} of phase {}", id, interval.sequence(), phase);
  }

  private Thread announcer() {
    byte[] hello = Messages.bytes(Messages.JSON.createObjectNode().put("worker", id));
    Thread t = new Thread(() -> {
      while (!engaged && !Thread.currentThread().isInterrupted()) {
        control.publish(prefix + ".announce", hello);
        try {
          Thread.sleep(250);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "nh-load-announce");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void reply(io.nats.client.Message request, String error) {
    if (request.getReplyTo() == null) {
      return;
    }
    var answer = Messages.JSON.createObjectNode().put("ok", error == null);
    if (error != null) {
      answer.put("error", error);
    }
    control.publish(request.getReplyTo(), Messages.bytes(answer));
  }

  private static long nanosAt(long epochMicros) {
    Instant now = Instant.now();
    long nowNanos = System.nanoTime();
    long nowMicros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    return nowNanos + (epochMicros - nowMicros) * 1_000;
  }

  @Override
  public void close() {
    control.closeDispatcher(dispatcher);
    if (executor != null) {
      executor.close();
    }
  }
}
