package io.natsharness.conformance.target;

import io.nats.client.Connection;
import io.natsharness.conformance.check.CheckContext;
import java.net.URI;
import java.util.Optional;

/**
 * An implementation under test, running and reachable: its NATS, its legacy HTTP side if any, and
 * whatever started it, which {@link #close()} stops.
 */
public interface Target extends AutoCloseable {

  /** What is being tested, in words, for reports: "reference services (in-process, embedded backend)". */
  String description();

  /** A connection to the NATS the implementation serves on. */
  Connection nats();

  /** Base URI of the legacy HTTP/JSON side, when known. */
  Optional<URI> httpBaseUri();

  /** Starts more instances, when the target can. */
  Optional<CheckContext.InstanceControl> instances();

  @Override
  void close() throws Exception;
}
