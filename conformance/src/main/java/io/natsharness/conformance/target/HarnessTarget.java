package io.natsharness.conformance.target;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.harness.Backend;
import io.natsharness.harness.Implementation;
import io.natsharness.harness.NatsHarness;
import io.natsharness.harness.NatsHarnessExtension;
import java.io.PrintStream;
import java.net.URI;
import java.util.Optional;

/**
 * An implementation started by the harness (in-process, a command or an image) on servers of a
 * harness backend; closing it stops both.
 */
public final class HarnessTarget implements Target {

  private final NatsHarness harness;
  private final Implementation implementation;
  private final Connection connection;
  private final Optional<URI> http;

  private HarnessTarget(NatsHarness harness, Implementation implementation, Connection connection,
      Optional<URI> http) {
    this.harness = harness;
    this.implementation = implementation;
    this.connection = connection;
    this.http = http;
  }

  /**
   * Starts servers on {@code backend} and the implementation on them.
   *
   * @param http the legacy HTTP base URI when known; otherwise the implementation's HTTP port
   */
  public static HarnessTarget start(Backend backend, Implementation implementation, Optional<URI> http,
      PrintStream out) throws Exception {
    NatsHarness harness = NatsHarness.start(NatsHarnessExtension.builder()
        .withBackend(backend)
        .withImplementation(implementation));
    try {
      out.printf("environment: %s backend (%s), ready in %d ms%n", harness.info().backend().name().toLowerCase(),
          harness.info().backendReason(), harness.startup().toMillis());
      Connection connection = Nats.connect(harness.info().natsOptions().reportNoResponders().build());
      Optional<URI> httpUri = http.or(() -> {
        var port = harness.implementationHttpPort();
        return port.isPresent() ? Optional.of(URI.create("http://127.0.0.1:" + port.getAsInt())) : Optional.empty();
      });
      return new HarnessTarget(harness, implementation, connection, httpUri);
    } catch (Exception e) {
      harness.close();
      throw e;
    }
  }

  @Override
  public String description() {
    return implementation + " on the " + harness.info().backend().name().toLowerCase() + " backend";
  }

  @Override
  public Connection nats() {
    return connection;
  }

  @Override
  public Optional<URI> httpBaseUri() {
    return http;
  }

  @Override
  public Optional<CheckContext.InstanceControl> instances() {
    return Optional.of(service -> harness.startAnother(implementation.services(service)));
  }

  /** The harness behind the target, for suites that need its servers. */
  public NatsHarness harness() {
    return harness;
  }

  @Override
  public void close() throws Exception {
    try {
      connection.close();
    } finally {
      harness.close();
    }
  }
}
