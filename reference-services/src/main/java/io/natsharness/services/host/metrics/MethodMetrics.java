package io.natsharness.services.host.metrics;

import com.google.rpc.Code;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.status.RpcException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Per-method request, error and latency figures, the same for both transports.
 *
 * <ul>
 *   <li>{@code nh_server_requests_seconds} (timer: {@code _count}, {@code _sum}, {@code _max} and
 *       {@code _bucket}s from 1 ms to 10 s), tags {@code service}, {@code method},
 *       {@code transport} ({@code nats} or {@code http}) and {@code code} (the canonical status
 *       name, {@code OK} on success);
 *   <li>{@code nh_server_errors_total} (counter), same tags, only for codes other than OK.
 * </ul>
 *
 * <pre>{@code
 * MethodMetrics metrics = new MethodMetrics(registry);
 * long start = System.nanoTime();
 * ... handle ...
 * metrics.record(method, MethodMetrics.HTTP, Code.OK, System.nanoTime() - start);
 * }</pre>
 */
public final class MethodMetrics {

  /** Transport tag of requests served over NATS. */
  public static final String NATS = "nats";
  /** Transport tag of requests served over the legacy HTTP/JSON side. */
  public static final String HTTP = "http";

  private static final Duration[] BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(10)};

  private final MeterRegistry registry;

  public MethodMetrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Records one finished request. */
  public void record(MethodInfo method, String transport, Code code, long elapsedNanos) {
    String codeName = code.name();
    Timer.builder("nh.server.requests")
        .description("Requests served, by method, transport and status code")
        .tag("service", method.service())
        .tag("method", method.name())
        .tag("transport", transport)
        .tag("code", codeName)
        .serviceLevelObjectives(BUCKETS)
        .register(registry)
        .record(elapsedNanos, TimeUnit.NANOSECONDS);
    if (code != Code.OK) {
      Counter.builder("nh.server.errors")
          .description("Requests answered with an error, by method, transport and status code")
          .tag("service", method.service())
          .tag("method", method.name())
          .tag("transport", transport)
          .tag("code", codeName)
          .register(registry)
          .increment();
    }
  }

  /** The status code an exception leaving a handler becomes on the wire. */
  public static Code codeOf(Throwable error) {
    return error instanceof RpcException rpc ? rpc.code() : Code.INTERNAL;
  }
}
