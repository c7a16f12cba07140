package io.natsharness.harness;

import io.natsharness.harness.internal.Environment;
import io.natsharness.harness.internal.impl.RunningImplementation;
import io.natsharness.harness.internal.junit.Environments;
import java.time.Duration;
import java.util.List;
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
   * queue group); closing the handle stops that instance only.
   */
  public AutoCloseable startAnother(Implementation implementation) {
    return environment.startImplementation(implementation);
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
