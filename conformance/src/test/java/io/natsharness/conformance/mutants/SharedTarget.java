package io.natsharness.conformance.mutants;

import io.nats.client.Connection;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.target.Target;
import io.natsharness.harness.Implementation;
import io.natsharness.harness.NatsHarness;
import java.net.URI;
import java.util.Optional;

/**
 * An implementation running on an environment that outlives it: many mutants, one after the
 * other, are tested on the same servers. Closing the target leaves the environment and the shared
 * connection alone; the caller stops the implementation.
 *
 * <pre>{@code
 * try (AutoCloseable running = env.startAnother(implementation)) {
 *   Target target = new SharedTarget(env, nats, implementation);
 * }
 * }</pre>
 */
record SharedTarget(NatsHarness env, Connection nats, Implementation implementation) implements Target {

  @Override
  public String description() {
    return implementation + " on a shared " + env.info().backend().name().toLowerCase() + " environment";
  }

  @Override
  public Optional<URI> httpBaseUri() {
    return Optional.empty();
  }

  @Override
  public Optional<CheckContext.InstanceControl> instances() {
    return Optional.of(service -> env.startAnother(implementation.services(service)));
  }

  @Override
  public void close() {
    // The environment and the connection belong to the caller.
  }
}
