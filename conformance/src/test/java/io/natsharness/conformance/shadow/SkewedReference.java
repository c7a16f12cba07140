package io.natsharness.conformance.shadow;

import io.natsharness.harness.Implementation;
import io.natsharness.sdk.spi.ImplementationProvider;
import io.natsharness.services.host.ReferenceHost;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The reference services on a clock that runs a fixed amount ahead, as a deployment on another
 * host would: clocks of separate deployments are never exactly in step, which makes every
 * timestamp of the contract differ between sides on every request (on one machine they would
 * otherwise often fall in the same millisecond), so the tests see timestamp noise every time.
 */
final class SkewedReference implements ImplementationProvider {

  private final Duration skew;

  private SkewedReference(Duration skew) {
    this.skew = skew;
  }

  /** The reference implementation with its clock {@code skew} ahead. */
  static Implementation ahead(Duration skew) {
    return Implementation.provider(new SkewedReference(skew));
  }

  @Override
  public String name() {
    return "reference+" + skew.toMillis() + "ms";
  }

  @Override
  public Running start(Map<String, String> environment) {
    ReferenceHost host = ReferenceHost.builder().withEnvironment(environment)
        .withClock(Clock.offset(Clock.systemUTC(), skew)).start();
    return new Running() {
      @Override
      public List<String> services() {
        return host.services();
      }

      @Override
      public OptionalInt httpPort() {
        return OptionalInt.of(host.httpPort());
      }

      @Override
      public void close() {
        host.close();
      }
    };
  }
}
