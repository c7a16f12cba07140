package io.natsharness.conformance.check;

import io.nats.client.Connection;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.sdk.client.RpcClient;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a check can reach of the target: its NATS (raw and through the SDK), its legacy HTTP side
 * when given, and a way to start a second instance for queue-group checks.
 */
public interface CheckContext {

  /** A plain jnats connection to the target's NATS, for raw requests and discovery. */
  Connection nats();

  /** The SDK's typed client on the same connection. */
  RpcClient rpc();

  default ServiceCatalog catalog() {
    return ServiceCatalog.load();
  }

  /** Base URI of the implementation's legacy HTTP/JSON side, when the target has one. */
  Optional<URI> httpBaseUri();

  /** Starts one more instance of the implementation, when the target can. */
  Optional<InstanceControl> instances();

  /** Time a single request may take before the check fails. */
  default Duration requestTimeout() {
    return Duration.ofSeconds(5);
  }

  /**
   * A name unique to this run, so checks never collide with each other or with earlier runs on a
   * store that is not wiped (an external deployment).
   */
  String unique(String base);

  /** Starts further instances of the implementation under test. */
  interface InstanceControl {
    /** Starts another instance of {@code service}; closing the handle stops it. */
    AutoCloseable startAnother(String service) throws Exception;
  }

  /** Makes unique names from a run id and a counter. */
  final class UniqueNames {
    private final String runId;
    private final AtomicLong counter = new AtomicLong();

    public UniqueNames(String runId) {
      this.runId = runId;
    }

    public String next(String base) {
      return base + "-" + runId + "-" + counter.incrementAndGet();
    }
  }
}
