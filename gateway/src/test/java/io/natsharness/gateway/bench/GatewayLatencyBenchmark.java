package io.natsharness.gateway.bench;

import io.natsharness.gateway.support.GatewayEnv;
import io.natsharness.gateway.support.ScriptedLlm;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.ai.llm.v1.InferRequest;
import io.natsharness.proto.ai.llm.v1.InferResponse;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Gateway→NATS latency next to direct NATS calls of the same method on the same service, printed
 * as percentiles and as a ratio. Not a pass/fail test: it asserts nothing about speed.
 *
 * <pre>
 * ./mvnw -B -o test -pl gateway -Dtest=GatewayLatencyBenchmark -Dnatsharness.benchmark=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.requests=20000]
 * </pre>
 */
@NatsHarnessTest(redis = false, backend = Backend.EMBEDDED)
@EnabledIfSystemProperty(named = "natsharness.benchmark", matches = "true")
@DisplayName("Benchmark: gateway→NATS vs direct NATS")
class GatewayLatencyBenchmark {

  private static final int WARMUP = Integer.getInteger("bench.warmup", 2_000);
  private static final int REQUESTS = Integer.getInteger("bench.requests", 10_000);
  private static final String BODY = "{\"prompt\":\"benchmark prompt of moderate length\",\"model\":\"atlas-small\"}";

  @Test
  @DisplayName("prints p50/p90/p99/max and the gateway/direct ratio")
  void compare(HarnessRuntimeInfo info) throws Exception {
    try (GatewayEnv env = GatewayEnv.create(info);
         io.nats.client.Connection directNats = GatewayEnv.connect(info, "bench-direct");
         RpcClient direct = RpcClient.builder().connection(directNats).build()) {
      env.serve(new ScriptedLlm());
      env.gateway(c -> c.withDefaultDeadline(Duration.ofSeconds(5)));
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request = HttpRequest.newBuilder(env.gateway().uri("/v1/ai/llm/infer"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
      InferRequest natsRequest = InferRequest.newBuilder().setPrompt("benchmark prompt of moderate length")
          .setModel("atlas-small").build();
      CallOptions options = CallOptions.builder().timeout(Duration.ofSeconds(5)).build();

      Histogram viaGateway = new Histogram(3_600_000_000L, 3);
      Histogram viaNats = new Histogram(3_600_000_000L, 3);
      for (int i = 0; i < WARMUP; i++) {
        gatewayCall(client, request);
        InferResponse ignored = direct.call("svc.ai.llm.v1.infer", natsRequest, options);
      }
      // Interleaved, so that both see the same machine conditions.
      for (int i = 0; i < REQUESTS; i++) {
        long t0 = System.nanoTime();
        gatewayCall(client, request);
        long t1 = System.nanoTime();
        InferResponse ignored = direct.call("svc.ai.llm.v1.infer", natsRequest, options);
        long t2 = System.nanoTime();
        viaGateway.recordValue(t1 - t0);
        viaNats.recordValue(t2 - t1);
      }
      System.out.println();
      System.out.printf(Locale.ROOT, "gateway latency benchmark: %,d sequential requests each way (after %,d warm-up)%n",
          REQUESTS, WARMUP);
      System.out.printf(Locale.ROOT, "%-22s %9s %9s %9s %9s %9s%n", "path", "p50 µs", "p90 µs", "p99 µs", "max µs", "mean µs");
      row("HTTP → gateway → NATS", viaGateway);
      row("direct NATS (RpcClient)", viaNats);
      System.out.printf(Locale.ROOT, "%-22s %9.2f %9.2f %9.2f %9s %9.2f%n", "ratio gateway/direct",
          ratio(viaGateway, viaNats, 50), ratio(viaGateway, viaNats, 90), ratio(viaGateway, viaNats, 99), "",
          viaGateway.getMean() / viaNats.getMean());
    }
  }

  private static void gatewayCall(HttpClient client, HttpRequest request) throws Exception {
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("gateway answered " + r.statusCode() + ": " + r.body());
    }
  }

  private static void row(String name, Histogram h) {
    System.out.printf(Locale.ROOT, "%-22s %9.1f %9.1f %9.1f %9.1f %9.1f%n", name,
        h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3,
        h.getMaxValue() / 1e3, h.getMean() / 1e3);
  }

  private static double ratio(Histogram a, Histogram b, double percentile) {
    return (double) a.getValueAtPercentile(percentile) / b.getValueAtPercentile(percentile);
  }
}
