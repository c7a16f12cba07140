package io.natsharness.conformance.cli;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsharness.conformance.load.DurationText;
import io.natsharness.conformance.load.LoadEnvironment;
import io.natsharness.conformance.load.LoadMode;
import io.natsharness.conformance.load.LoadPlan;
import io.natsharness.conformance.load.LoadReport;
import io.natsharness.conformance.load.LoadSuite;
import io.natsharness.conformance.load.LocalExecutor;
import io.natsharness.conformance.load.MaxRateSearch;
import io.natsharness.conformance.load.PhaseExecutor;
import io.natsharness.conformance.load.RateProfile;
import io.natsharness.conformance.load.SloConfig;
import io.natsharness.conformance.load.distributed.Coordinator;
import io.natsharness.conformance.load.distributed.WorkerCommand;
import io.natsharness.conformance.load.report.HgrmFiles;
import io.natsharness.conformance.load.report.LoadHtmlReport;
import io.natsharness.conformance.load.report.LoadJsonReport;
import io.natsharness.conformance.load.report.LoadRunResults;
import io.natsharness.conformance.load.report.ProgressBar;
import io.natsharness.conformance.load.report.ResultTable;
import io.natsharness.conformance.load.requests.GeneratedRequests;
import io.natsharness.conformance.load.requests.RequestSource;
import io.natsharness.conformance.load.transport.TransportKind;
import io.natsharness.conformance.shadow.generate.RequestGenerators;
import io.natsharness.conformance.target.HarnessTarget;
import io.natsharness.conformance.target.Target;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.sdk.client.RpcClient;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code natsharness load}: open-loop load on catalog methods over NATS direct, HTTP through the
 * gateway, the legacy HTTP side and a raw NATS echo, side by side; percentiles corrected for
 * coordinated omission, {@code .hgrm} files, an HTML report with percentile charts, and an exit
 * code from the SLOs (default: p99 under 5 ms at 10 000 req/s, errors at most 0.1%).
 *
 * <pre>
 * natsharness load                                              # settings.get, reference services, 10K req/s
 * natsharness load --method svc.ai.llm.v1.infer --rate 1000,5000 --duration 20s
 * natsharness load --nats-url nats://staging:4222 --http-url http://staging:8080 --slo slo.properties
 * natsharness load --workers 2 &amp; natsharness load worker --control nats://127.0.0.1:4222 (twice)
 * </pre>
 */
@Command(name = "load", mixinStandardHelpOptions = true, subcommands = WorkerCommand.class,
    description = "Open-loop load with honest percentiles, HTTP and NATS side by side, gated by SLOs.")
public final class LoadCommand implements Callable<Integer> {

  @Mixin TargetOptions target;
  @Mixin ReportOptions reports;

  @Option(names = "--method", split = ",", paramLabel = "SUBJECT", defaultValue = "svc.util.settings.v1.get",
      description = "Catalog methods to load: subject or service.method, comma separated (default: ${DEFAULT-VALUE}).")
  List<String> methods;

  @Option(names = "--services", split = ",", paramLabel = "NAME",
      description = "More services to start beside the methods' own (for methods whose requests need them).")
  List<String> services = new ArrayList<>();

  @Option(names = "--transports", split = ",", paramLabel = "NAME", defaultValue = "nats,gateway,legacy,raw",
      description = "nats, gateway, legacy, raw (default: ${DEFAULT-VALUE}).")
  List<String> transports;

  @Option(names = "--rate", split = ",", paramLabel = "REQ/S",
      description = "Offered rates, each run over every transport (default: the SLO's rate).")
  List<Double> rates = new ArrayList<>();

  @Option(names = "--ramp-from", paramLabel = "REQ/S", description = "Ramp from this rate up to --rate ...")
  Double rampFrom;

  @Option(names = "--ramp-over", paramLabel = "DURATION", converter = DurationText.class,
      description = "... over this time (e.g. 30s), then hold.")
  Duration rampOver;

  @Option(names = "--closed-loop", paramLabel = "CALLERS",
      description = "Closed loop with this many callers instead of open loop (hides stalls; labelled so).")
  Integer closedLoop;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "10s", converter = DurationText.class,
      description = "Measured time per phase (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "2s", converter = DurationText.class,
      description = "Unrecorded warm-up per phase (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--max-requests", paramLabel = "N", description = "Most measured requests per phase.")
  Long maxRequests;

  @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "256",
      description = "Most requests out at once per generator, like wrk2's connections (default: ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationText.class,
      description = "A request unanswered after this is an error (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--bodies", paramLabel = "SOURCE", defaultValue = "generated",
      description = "generated (the shadow suite's generators, with setup) or populated (every field set, no setup).")
  String bodies;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the request bodies.")
  long seed;

  @Option(names = "--slo", paramLabel = "FILE", description = "SLOs per method and transport (properties, see README-load.md).")
  Path sloFile;

  @Option(names = "--slo-p99", paramLabel = "DURATION", description = "Default p99 limit, e.g. 5ms.")
  String sloP99;

  @Option(names = "--slo-rate", paramLabel = "REQ/S", description = "Default rate the SLO holds at.")
  String sloRate;

  @Option(names = "--slo-error-rate", paramLabel = "SHARE", description = "Default largest error share, e.g. 0.001 or 0.1%.")
  String sloErrorRate;

  @Option(names = "--find-max", description = "Also search each method and transport's max sustainable rate.")
  boolean findMax;

  @Option(names = "--find-max-limit", paramLabel = "REQ/S", defaultValue = "64000",
      description = "Highest rate the search probes (default: ${DEFAULT-VALUE}).")
  double findMaxLimit;

  @Option(names = "--gateway-url", paramLabel = "URL", description = "A gateway already running (default: start the reference gateway).")
  URI gatewayUrl;

  @Option(names = "--workers", paramLabel = "N",
      description = "Generate load on N worker processes (natsharness load worker) coordinated over NATS.")
  Integer workers;

  @Option(names = "--control-url", paramLabel = "URL", description = "The NATS the workers connect to (default: the target's).")
  String controlUrl;

  @Option(names = "--worker-wait", paramLabel = "SECONDS", defaultValue = "60",
      description = "How long to wait for the workers to announce themselves (default: ${DEFAULT-VALUE}).")
  int workerWait;

  private final PrintStream out;

  public LoadCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    ServiceCatalog catalog = ServiceCatalog.load();
    List<MethodInfo> selected = methods(catalog);
    List<TransportKind> kinds = transports.stream().map(TransportKind::parse).distinct().toList();
    SloConfig slo = slo(catalog);
    List<LoadPlan> plans = plans(slo);
    Set<String> hosted = new LinkedHashSet<>();
    selected.forEach(m -> hosted.add(m.service()));
    hosted.addAll(services);
    try (Target t = target.open(hosted, out);
         LoadEnvironment env = LoadEnvironment.open(natsOptions(t), t.nats().getConnectedUrl(), t.httpBaseUri(),
             Optional.ofNullable(gatewayUrl), kinds.contains(TransportKind.GATEWAY), timeout, maxInFlight);
         RpcClient probe = RpcClient.builder().connection(t.nats()).build();
         PhaseExecutor executor = executor(t, env)) {
      out.println("target: " + t.description());
      LoadSuite.Builder suite = LoadSuite.builder().withMethods(selected).withPlans(plans).withSlo(slo)
          .withTarget(t.description()).withExecutor(executor).withProbeClient(probe)
          .withRequests(requests(t)).withListener(new ProgressBar(out, System.console() != null));
      List<TransportKind> usable = new ArrayList<>();
      for (TransportKind k : kinds) {
        if (env.endpoints().supports(k)) {
          usable.add(k);
        } else {
          suite.withWarning("transport '" + k.id() + "' left out: " + (k == TransportKind.LEGACY
              ? "the target has no legacy HTTP side (give --http-url)" : "no gateway"));
        }
      }
      if (usable.isEmpty()) {
        throw new IllegalArgumentException("none of the transports " + transports + " can reach this target");
      }
      suite.withTransports(usable);
      if (findMax) {
        suite.withMaxRateSearch(MaxRateSearch.builder().withLimit(findMaxLimit)
            .withLatencyLimitMicros(slo.defaultSlo().latencyMicros().getOrDefault("p99", 5_000L)).build());
      }
      LoadReport report = suite.build().run();
      write(report);
      return report.exitCode();
    }
  }

  private void write(LoadReport report) throws java.io.IOException {
    ResultTable.print(report, out);
    Path dir = reports.reportDir;
    HgrmFiles.write(report.results(), dir.resolve("hgrm"));
    LoadJsonReport.write(report, dir.resolve("load.json"));
    LoadHtmlReport.write(report, dir.resolve("load-latency.html"));
    reports.write(LoadRunResults.of(report), out);
    out.println("load reports: " + dir.resolve("load-latency.html") + ", " + dir.resolve("load.json") + ", "
        + dir.resolve("hgrm") + "/");
    out.println(report.summary());
  }

  private List<MethodInfo> methods(ServiceCatalog catalog) {
    List<MethodInfo> found = new ArrayList<>();
    for (String name : methods) {
      String n = name.trim();
      Optional<MethodInfo> m = catalog.method(n);
      int dot = n.lastIndexOf('.');
      if (m.isEmpty() && dot > 0) {
        m = catalog.service(n.substring(0, dot)).flatMap(s -> s.method(n.substring(dot + 1)));
      }
      found.add(m.orElseThrow(() -> new IllegalArgumentException("no catalog method '" + n
          + "': give a subject (svc.util.settings.v1.get) or service.method (settings.get)")));
    }
    return found;
  }

  private SloConfig slo(ServiceCatalog catalog) throws java.io.IOException {
    SloConfig slo = sloFile == null ? SloConfig.defaults() : SloConfig.read(sloFile, catalog);
    if (sloP99 != null) {
      slo = slo.with("p99", sloP99, catalog);
    }
    if (sloRate != null) {
      slo = slo.with("rate", sloRate, catalog);
    }
    if (sloErrorRate != null) {
      slo = slo.with("error-rate", sloErrorRate, catalog);
    }
    return slo;
  }

  private List<LoadPlan> plans(SloConfig slo) {
    List<Double> offered = rates.isEmpty() ? List.of(slo.defaultSlo().rate() > 0 ? slo.defaultSlo().rate() : 1000) : rates;
    if ((rampFrom == null) != (rampOver == null)) {
      throw new IllegalArgumentException("--ramp-from and --ramp-over go together");
    }
    List<LoadPlan> plans = new ArrayList<>();
    for (double rate : offered) {
      LoadPlan.Builder b = LoadPlan.builder().withWarmup(warmup).withDuration(duration).withTimeout(timeout)
          .withMaxInFlight(maxInFlight)
          .withRate(rampFrom != null ? RateProfile.ramp(rampFrom, rate, rampOver) : RateProfile.constant(rate));
      if (closedLoop != null) {
        b.withMode(LoadMode.closedLoop(closedLoop));
      }
      if (maxRequests != null) {
        b.withMaxRequests(maxRequests);
      }
      plans.add(b.build());
      if (closedLoop != null) {
        break;
      }
    }
    return plans;
  }

  private RequestSource requests(Target t) {
    return switch (bodies.toLowerCase(Locale.ROOT)) {
      case "generated" -> new GeneratedRequests(RequestGenerators.create(), t.nats(), seed, 2);
      case "populated" -> RequestSource.populated(seed);
      default -> throw new IllegalArgumentException("--bodies is generated or populated, not '" + bodies + "'");
    };
  }

  private static Supplier<Options.Builder> natsOptions(Target t) {
    if (t instanceof HarnessTarget h) {
      return () -> h.harness().info().natsOptions();
    }
    String url = t.nats().getConnectedUrl();
    return () -> new Options.Builder().server(url);
  }

  private PhaseExecutor executor(Target t, LoadEnvironment env) throws Exception {
    if (workers == null) {
      return new LocalExecutor(env.endpoints());
    }
    Connection control = controlUrl == null ? t.nats() : Nats.connect(controlUrl);
    out.println("waiting for " + workers + " load workers on " + control.getConnectedUrl() + " (nh.load.announce)");
    Coordinator coordinator;
    try {
      coordinator = Coordinator.await(control, "nh.load", workers, Duration.ofSeconds(workerWait), env.remote());
    } catch (Exception e) {
      closeOwn(control, t);
      throw e;
    }
    out.println("workers: " + coordinator.workers());
    return control == t.nats() ? coordinator : coordinator.closingConnection();
  }

  /** Closes the control connection when it is not the target's own. */
  private static void closeOwn(Connection control, Target t) {
    if (control != t.nats()) {
      try {
        control.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
