package io.natsharness.services.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.infra.router.v1.GetRouteModeRequest;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.host.ReferenceHost;
import io.natsharness.services.testing.HttpTransport;
import io.natsharness.services.testing.TestHosts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Latency and throughput of one method served by the reference host over NATS (SDK client) and
 * over its legacy HTTP side (JDK HTTP client), side by side. Prints figures; asserts only that
 * every call succeeded. Run with:
 *
 * <pre>
 * ./mvnw -B -o test -pl reference-services -Dtest=HostLatencyBenchmark -Dnh.benchmark=true
 * </pre>
 */
@NatsHarnessTest
@EnabledIfSystemProperty(named = "nh.benchmark", matches = "true")
@DisplayName("host latency benchmark")
class HostLatencyBenchmark {

  private static final int WARMUP = 1000;
  private static final int CALLS = 5000;
  private static final int THREADS = 8;
  private static final MethodInfo METHOD = ServiceCatalog.load().method("svc.infra.router.v1.get_route_mode").orElseThrow();
  private static final GetRouteModeRequest REQUEST =
      GetRouteModeRequest.newBuilder().setSubject("svc.util.payment.v1.charge").build();
  private static ReferenceHost host;

  @BeforeAll
  static void startHost(HarnessRuntimeInfo info) {
    host = TestHosts.start(info, "router");
  }

  @AfterAll
  static void stopHost() {
    host.close();
  }

  @Test
  @DisplayName("get_route_mode (one Redis read): NATS vs HTTP, sequential and 8 concurrent callers")
  void compare(RpcClient client) throws Exception {
    HttpTransport http = new HttpTransport(host.httpUrl());
    Callable<Boolean> overNats = () -> client.call(METHOD, REQUEST, CallOptions.defaults()) != null;
    Callable<Boolean> overHttp = () -> http.send(METHOD, REQUEST, Map.of()).statusCode() == 200;
    System.out.printf("%nreference host, %s, %d calls after %d warm-up%n", METHOD.subject(), CALLS, WARMUP);
    System.out.printf("%-22s %10s %10s %10s %10s %12s%n", "transport", "p50 us", "p90 us", "p99 us", "max us", "calls/s");
    for (int threads : new int[] {1, THREADS}) {
      report("NATS, " + threads + " caller(s)", run(overNats, threads));
      report("HTTP, " + threads + " caller(s)", run(overHttp, threads));
    }
  }

  private record Result(Histogram latency, double perSecond) {}

  private static Result run(Callable<Boolean> call, int threads) throws Exception {
    for (int i = 0; i < WARMUP; i++) {
      assertThat(call.call()).isTrue();
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Histogram>> parts = new ArrayList<>();
      long start = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        parts.add(pool.submit(() -> {
          Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
          for (int i = 0; i < CALLS / threads; i++) {
            long begin = System.nanoTime();
            assertThat(call.call()).isTrue();
            h.recordValue(System.nanoTime() - begin);
          }
          return h;
        }));
      }
      Histogram all = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
      for (Future<Histogram> part : parts) {
        all.add(part.get());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result(all, all.getTotalCount() / seconds);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void report(String label, Result r) {
    Histogram h = r.latency();
    System.out.printf("%-22s %10d %10d %10d %10d %12.0f%n", label, h.getValueAtPercentile(50) / 1000,
        h.getValueAtPercentile(90) / 1000, h.getValueAtPercentile(99) / 1000, h.getMaxValue() / 1000, r.perSecond());
  }
}
