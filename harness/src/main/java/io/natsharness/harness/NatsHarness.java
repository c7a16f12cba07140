package io.natsharness.harness;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsharness.harness.internal.Environment;
import io.natsharness.harness.internal.impl.ImplementationRunner;
import io.natsharness.harness.internal.impl.RunningImplementation;
import io.natsharness.harness.internal.junit.Environments;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.OptionalInt;

/**
 * An environment started outside JUnit, for command-line runners, benchmarks and demos: the same
 * servers, backends and implementation adapters as {@link NatsHarnessExtension}, configured with
 * the same builder, closed by you.
 *
 * <pre>{@code
 * try (NatsHarness env = NatsHarness.start(NatsHarnessExtension.builder()
 *         .withBackend(Backend.EMBEDDED)
 *         .withImplementation(Implementation.provider("reference")))) {
 *   Connection nats = Nats.connect(env.info().natsOptions().build());
 *   ...
 * }
 * }</pre>
 */
public final class NatsHarness implements AutoCloseable {

  private final Environment environment;

  private NatsHarness(Environment environment) {
    this.environment = environment;
  }

  /**
   * Chooses the backend, starts the servers and the implementation, and returns once every
   * selected service answers {@code $SRV.PING}.
   *
   * @throws HarnessException with a message that says what to install or change
   */
  public static NatsHarness start(NatsHarnessExtension.Builder configuration) {
    return new NatsHarness(Environments.start(configuration.spec()));
  }

  /** URLs, credentials, key prefix and the environment an implementation gets. */
  public HarnessRuntimeInfo info() {
    return environment.info();
  }

  /** Stop, kill, pause and restart each server. */
  public FaultSwitches faults() {
    return environment.faultSwitches();
  }

  /** How long start to ready took. */
  public Duration startup() {
    return environment.startup();
  }

  /** The legacy HTTP port of the implementation started with the environment, when it has one. */
  public OptionalInt implementationHttpPort() {
    return environment.implementation().map(RunningImplementation::httpPort).orElse(OptionalInt.empty());
  }

  /** The services of the implementation started with the environment that answered PING. */
  public List<String> implementationServices() {
    return environment.implementation().map(RunningImplementation::services).orElse(List.of());
  }

  /**
   * Starts one more instance of {@code implementation} against the same servers (it joins the
   * queue group) and returns once a new instance of each of its services answers
   * {@code $SRV.PING} (the ones already running answer too, so any answer is not enough);
   * closing the handle stops that instance only.
   *
   * @throws HarnessException when no new instance answers within 30 s
   */
  public AutoCloseable startAnother(Implementation implementation) {
    List<String> services = implementation.services();
    try (Connection nats = Nats.connect(info().natsOptions().maxReconnects(0).build())) {
      Map<String, Set<String>> before = new HashMap<>();
      for (String service : services) {
        before.put(service, ids(nats, service));
      }
      AutoCloseable started = environment.startImplementation(implementation);
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      for (String service : services) {
        while (before.get(service).containsAll(ids(nats, service))) {
          if (System.nanoTime() > end) {
            ImplementationRunner.closeQuietly(started);
            throw new HarnessException("a new instance of " + service + " did not answer $SRV.PING."
                + service + " within 30 s (instances already there: " + before.get(service) + ")");
          }
        }
      }
      return started;
    } catch (IOException e) {
      throw new HarnessException("cannot connect to NATS to watch the new instance start: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HarnessException("interrupted while starting another instance", e);
    }
  }

  private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

  /**
   * The ids of the instances answering {@code $SRV.PING.<service>} within half a second. Read
   * leniently (any reply with an id counts): the implementation under test may answer a PING that
   * jnats' strict Discovery would refuse, and that is for the suites to judge, not the harness.
   */
  private static Set<String> ids(Connection nats, String service) throws InterruptedException {
    Set<String> ids = new HashSet<>();
    String inbox = nats.createInbox();
    io.nats.client.Subscription sub = nats.subscribe(inbox);
    try {
      nats.publish("$SRV.PING." + service, inbox, new byte[0]);
      long end = System.nanoTime() + Duration.ofMillis(500).toNanos();
      while (System.nanoTime() < end) {
        io.nats.client.Message m = sub.nextMessage(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
        if (m != null && !m.isStatusMessage() && m.getData() != null) {
          java.util.regex.Matcher id = ID.matcher(new String(m.getData(), java.nio.charset.StandardCharsets.UTF_8));
          if (id.find()) {
            ids.add(id.group(1));
          }
        }
      }
    } finally {
      sub.unsubscribe();
    }
    return ids;
  }

  /** The tail of every server's log, for a report. */
  public String logTails(int lines) {
    return environment.logTails(lines);
  }

  @Override
  public void close() {
    environment.close();
  }
}
