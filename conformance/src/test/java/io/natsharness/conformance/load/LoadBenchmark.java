package io.natsharness.conformance.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsharness.conformance.load.report.HgrmFiles;
import io.natsharness.conformance.load.report.LoadHtmlReport;
import io.natsharness.conformance.load.report.LoadJsonReport;
import io.natsharness.conformance.load.report.ProgressBar;
import io.natsharness.conformance.load.report.ResultTable;
import io.natsharness.conformance.load.requests.GeneratedRequests;
import io.natsharness.conformance.load.transport.TransportKind;
import io.natsharness.conformance.shadow.generate.RequestGenerators;
import io.natsharness.harness.Backend;
import io.natsharness.harness.Implementation;
import io.natsharness.harness.NatsHarness;
import io.natsharness.harness.NatsHarnessExtension;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.sdk.client.RpcClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The figures of BENCHMARKS.md: the reference services (settings for a light method,
 * ai_integration for a heavy one) on the embedded backend, each method over NATS direct, the
 * gateway, the legacy HTTP side and the raw echo: latency at fixed open-loop rates, a max-rate
 * search per transport, then throughput at saturation (closed loop, 8 callers). Prints markdown
 * tables; asserts only that the run produced them.
 *
 * <pre>
 * ./mvnw -B test -pl conformance -am -Dtest=LoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dnatsharness.benchmark=true
 * </pre>
 */
@EnabledIfSystemProperty(named = "natsharness.benchmark", matches = "true")
@DisplayName("Benchmark: the reference system under load, HTTP and NATS side by side")
class LoadBenchmark {

  private static final List<Double> RATES = Arrays.stream(System.getProperty("bench.rates", "500,1000,2000").split(","))
      .map(Double::parseDouble).toList();
  private static final Duration WARMUP = new DurationText().convert(System.getProperty("bench.warmup", "2s"));
  private static final Duration DURATION = new DurationText().convert(System.getProperty("bench.duration", "5s"));
  private static final Duration PROBE = new DurationText().convert(System.getProperty("bench.probe", "3s"));
  private static final double LIMIT = Double.parseDouble(System.getProperty("bench.limit", "32000"));
  /** What "keeping up" allows at p99 in the search: a backlog grows far beyond it. */
  private static final long SEARCH_P99_MICROS = 50_000;
  private static final long SLO_P99_MICROS = 5_000;
  private static final int CALLERS = 8;

  @Test
  @DisplayName("prints max rates, latency at fixed rates, gateway overhead, NATS/HTTP ratio and the stack's overhead over a raw echo")
  void reference() throws Exception {
    Path out = Path.of("target", "load-benchmark");
    Files.createDirectories(out);
    String loadBefore = loadAverage();
    ServiceCatalog catalog = ServiceCatalog.load();
    List<MethodInfo> methods = List.of(catalog.method("svc.util.settings.v1.get").orElseThrow(),
        catalog.method("svc.ai.llm.v1.infer").orElseThrow());
    try (NatsHarness env = NatsHarness.start(NatsHarnessExtension.builder().withBackend(Backend.EMBEDDED)
            .withImplementation(Implementation.provider("reference").services("settings", "ai_integration")));
         Connection nats = Nats.connect(env.info().natsOptions().build());
         RpcClient probe = RpcClient.builder().connection(nats).build();
         LoadEnvironment load = LoadEnvironment.open(() -> env.info().natsOptions(), env.info().natsUrl(),
             Optional.of(URI.create("http://127.0.0.1:" + env.implementationHttpPort().getAsInt())), Optional.empty(),
             true, Duration.ofSeconds(5), 256);
         LocalExecutor executor = new LocalExecutor(load.endpoints())) {
      LoadPlan.Builder base = LoadPlan.builder().withWarmup(WARMUP).withDuration(DURATION).withTimeout(Duration.ofSeconds(5));
      List<LoadPlan> plans = RATES.stream().map(r -> base.withRate(RateProfile.constant(r)).build()).toList();
      LoadPlan probePlan = base.withRate(RateProfile.constant(1)).withWarmup(Duration.ofSeconds(1)).withDuration(PROBE).build();
      LoadReport report = LoadSuite.builder().withMethods(methods)
          .withTransports(List.of(TransportKind.NATS, TransportKind.GATEWAY, TransportKind.LEGACY, TransportKind.RAW))
          .withPlans(plans).withRequests(new GeneratedRequests(RequestGenerators.create(), nats, 42, 2))
          .withExecutor(executor).withProbeClient(probe).withListener(new ProgressBar(System.out, false))
          .withMaxRateSearch(MaxRateSearch.builder().withStart(250).withLimit(LIMIT).withRefinements(2)
              .withLatencyLimitMicros(SEARCH_P99_MICROS).build(), probePlan)
          .withTarget("reference services settings + ai_integration, embedded backend (nats-server, redis-server, "
              + "services, gateway and generator on this machine)")
          .build().run();
      ResultTable.print(report, System.out);
      LoadReport saturation = LoadSuite.builder().withMethods(methods)
          .withTransports(List.of(TransportKind.NATS, TransportKind.GATEWAY, TransportKind.LEGACY, TransportKind.RAW))
          .withPlans(List.of(base.withWarmup(Duration.ofSeconds(2)).withDuration(PROBE).withClosedLoop(CALLERS).build()))
          .withRequests(new GeneratedRequests(RequestGenerators.create(), nats, 43, 2))
          .withExecutor(executor).withListener(new ProgressBar(System.out, false))
          .withTarget(report.target()).build().run();
      ResultTable.print(saturation, System.out);
      HgrmFiles.write(report.results(), out.resolve("hgrm"));
      LoadJsonReport.write(report, out.resolve("load.json"));
      LoadHtmlReport.write(report, out.resolve("load-latency.html"));
      String md = BenchmarkFigures.markdown(report, saturation, SLO_P99_MICROS, environment(loadBefore, report, saturation));
      Files.writeString(out.resolve("figures.md"), md, StandardCharsets.UTF_8);
      System.out.println("\n----- figures for BENCHMARKS.md (also in " + out.resolve("figures.md") + ") -----\n" + md);
      assertThat(report.results()).hasSize(methods.size() * RATES.size() * 4);
      assertThat(report.maxRates()).hasSize(methods.size() * 4);
    }
  }

  private static String environment(String loadBefore, LoadReport report, LoadReport saturation) {
    return String.format("Run %s, %.0f s. Machine: %d CPUs seen by the JVM, shared by the generator, nats-server, "
            + "redis-server, the reference services and the gateway (all on loopback; other developers' builds may "
            + "run too). Load average before: %s; after: %s. Java %s; %s; %s.%n",
        Instant.now().toString().substring(0, 16).replace('T', ' '),
        (report.took().toMillis() + saturation.took().toMillis()) / 1000.0,
        Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(), System.getProperty("java.version"),
        version("nats-server", "--version"), version("redis-server", "--version"));
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String version(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor(5, TimeUnit.SECONDS);
      return text.lines().findFirst().orElse(command[0]);
    } catch (IOException | InterruptedException e) {
      return command[0] + " (version unknown)";
    }
  }
}
