package io.natsharness.conformance.cli;

import io.natsharness.conformance.runner.RunResult;
import io.natsharness.conformance.shadow.ShadowConfig;
import io.natsharness.conformance.shadow.ShadowRun;
import io.natsharness.conformance.shadow.generate.RequestGenerators;
import io.natsharness.conformance.shadow.generate.Scenario;
import io.natsharness.conformance.shadow.live.LiveObservations;
import io.natsharness.conformance.shadow.report.MethodReport;
import io.natsharness.conformance.shadow.report.ShadowHtmlReport;
import io.natsharness.conformance.shadow.report.ShadowJsonReport;
import io.natsharness.conformance.shadow.report.ShadowReport;
import io.natsharness.conformance.shadow.report.ShadowRunResults;
import io.natsharness.conformance.shadow.report.ShadowTally;
import io.natsharness.conformance.shadow.sides.ShadowSide;
import io.natsharness.conformance.shadow.traffic.Replay;
import io.natsharness.conformance.target.HarnessTarget;
import io.natsharness.gateway.traffic.TrafficReader;
import io.natsharness.gateway.traffic.TrafficWriter;
import io.natsharness.harness.Backend;
import io.natsharness.harness.Implementation;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code natsharness shadow}: sends the same requests to the legacy HTTP/JSON side (the primary)
 * and to the NATS/protobuf side (the candidate), compares the answers field by field, cancels the
 * noise measured between two primaries, and exits non-zero when a method's mismatch rate is over
 * its threshold.
 *
 * <pre>
 * natsharness shadow                                   # three reference deployments, generated requests
 * natsharness shadow --candidate-command ./my-services # the reference against another implementation
 * natsharness shadow --primary http://legacy:8080 --secondary http://legacy-2:8080 \
 *     --candidate nats://staging:4222 --traffic recorded.ndjson --config shadow.json
 * natsharness shadow --observations observations.ndjson   # the gateway's live SHADOW comparisons
 * </pre>
 */
@Command(name = "shadow", mixinStandardHelpOptions = true,
    description = "Compares the answers of the NATS side with those of the legacy HTTP side, request by request.")
public final class ShadowCommand implements Callable<Integer> {

  @Option(names = "--primary", paramLabel = "URL",
      description = "The legacy side already running (http://…). Default: start a deployment of --impl.")
  URI primary;

  @Option(names = "--secondary", paramLabel = "URL",
      description = "A second legacy deployment with state of its own, for the noise baseline. Default: start one of "
          + "--impl when the primary is started here, else ask the primary twice (reads only).")
  URI secondary;

  @Option(names = "--no-secondary",
      description = "No second deployment: noise is measured by asking the primary twice, for reads only.")
  boolean noSecondary;

  @Option(names = "--candidate", paramLabel = "URL",
      description = "The side under test already running (nats://… or http://…). Default: start one.")
  URI candidate;

  static final class CandidateKind {
    @Option(names = "--candidate-impl", paramLabel = "NAME", description = "Start the candidate in-process (ServiceLoader name).")
    String provider;

    @Option(names = "--candidate-command", paramLabel = "CMD", arity = "1..*",
        description = "Start the candidate as a command in any language (NATS_URL, REDIS_URL, HTTP_PORT in its environment).")
    List<String> command;

    @Option(names = "--candidate-image", paramLabel = "IMAGE", description = "Start the candidate from a container image.")
    String image;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  CandidateKind candidateKind = new CandidateKind();

  @Option(names = "--impl", paramLabel = "NAME", defaultValue = "reference",
      description = "The in-process implementation of the deployments this command starts (default: ${DEFAULT-VALUE}).")
  String impl;

  @Option(names = "--backend", paramLabel = "BACKEND", defaultValue = "auto",
      description = "Where started deployments get NATS and Redis: auto, embedded, containers (default: ${DEFAULT-VALUE}).")
  String backend;

  @Option(names = "--traffic", paramLabel = "FILE", description = "Replay this NDJSON traffic file instead of generating requests.")
  Path traffic;

  @Option(names = "--record", paramLabel = "FILE", description = "Write the generated requests (as the primary got them) to an NDJSON traffic file.")
  Path record;

  @Option(names = "--observations", paramLabel = "FILE",
      description = "Report on the gateway's live SHADOW observations (shadow.observations-file) instead of sending "
          + "requests: no deployment is started, and there is no noise baseline.")
  Path observations;

  @Option(names = "--config", paramLabel = "FILE", description = "Comparison rules and per-method thresholds (JSON, see README-shadow.md).")
  Path config;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the generated requests (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
      description = "How many times each service's scenario runs, with seeds N, N+1, … (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--namespace", paramLabel = "NS", defaultValue = "nh",
      description = "Lower-case letters and digits in every generated name, to keep runs apart on a store that is not wiped (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Mixin SelectionOptions selection;
  @Mixin ReportOptions reports;

  private final PrintStream out;

  public ShadowCommand(PrintStream out) {
    this.out = out;
  }

  @Override
  public Integer call() throws Exception {
    if (rounds < 1) {
      throw new IllegalArgumentException("--rounds must be at least 1, not " + rounds);
    }
    ServiceCatalog catalog = ServiceCatalog.load();
    ShadowConfig settings = config == null ? ShadowConfig.defaults() : ShadowConfig.readOverContract(config, catalog);
    if (observations != null) {
      return fromObservations(catalog, settings);
    }
    List<Scenario> scenarios = new ArrayList<>();
    if (traffic == null) {
      RequestGenerators generators = new RequestGenerators(catalog);
      for (int r = 0; r < rounds; r++) {
        scenarios.addAll(generators.scenarios(selection.services(), seed + r, namespace));
      }
    }
    Replay replay = traffic == null ? null : Replay.plan(TrafficReader.read(traffic), catalog);
    List<AutoCloseable> started = new ArrayList<>();
    Instant startedAt = Instant.now();
    try {
      // Sides given by URL first: an unreachable one fails before any deployment is started.
      Optional<ShadowSide> givenPrimary = given(primary, started);
      Optional<ShadowSide> givenSecondary = given(secondary, started);
      Optional<ShadowSide> givenCandidate = given(candidate, started);
      ShadowSide primarySide = givenPrimary.isPresent() ? givenPrimary.get() : startedLegacy("primary", started);
      Optional<ShadowSide> secondarySide;
      if (noSecondary) {
        secondarySide = Optional.empty();
      } else if (givenSecondary.isPresent()) {
        secondarySide = givenSecondary;
      } else if (primary == null) {
        secondarySide = Optional.of(startedLegacy("secondary", started));
      } else {
        // a copy of someone else's deployment cannot be started here: ask the primary twice instead
        out.println("note: no --secondary for the given --primary: noise is measured by asking the primary twice (reads only)");
        secondarySide = Optional.empty();
      }
      ShadowSide candidateSide = givenCandidate.isPresent() ? givenCandidate.get() : startedCandidate(started);
      TrafficWriter recorder = record == null ? null : TrafficWriter.create(record, false);
      if (recorder != null) {
        started.add(recorder);
      }
      ShadowRun.Builder builder = ShadowRun.builder().withPrimary(primarySide).withCandidate(candidateSide)
          .withRules(settings.rules()).withProgress(line -> out.println("  " + line));
      secondarySide.ifPresent(builder::withSecondary);
      if (recorder != null) {
        builder.withRecorder(recorder);
      }
      ShadowReport report;
      try (ShadowRun run = builder.build()) {
        out.println("target: " + run.target());
        ShadowTally tally = replay != null ? run.replayed(replay) : run.generated(scenarios);
        String source = replay != null ? "replay of " + traffic + " (" + replay.items().size() + " records)"
            : "generated, seed " + seed + ", " + rounds + (rounds == 1 ? " round" : " rounds");
        report = tally.report(settings.thresholds(), run.target(), source, run.noise().description(), startedAt,
            run.warnings());
      }
      return finish(report);
    } finally {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception e) {
          out.println("warning: could not stop " + started.get(i) + ": " + e.getMessage());
        }
      }
    }
  }

  /** The report of the gateway's live observations: nothing is started, nothing is sent. */
  private int fromObservations(ServiceCatalog catalog, ShadowConfig settings) throws Exception {
    Map<String, Object> sending = new LinkedHashMap<>();
    sending.put("--primary", primary);
    sending.put("--secondary", secondary);
    sending.put("--candidate", candidate);
    sending.put("--traffic", traffic);
    sending.put("--record", record);
    List<String> conflicting = sending.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey)
        .toList();
    if (!conflicting.isEmpty()) {
      throw new IllegalArgumentException("--observations reports on traffic the gateway already compared: it takes no "
          + String.join(", ", conflicting));
    }
    Instant startedAt = Instant.now();
    ShadowTally tally = LiveObservations.tally(observations, catalog, selection.services());
    out.println("target: " + LiveObservations.TARGET);
    out.println("note: no noise baseline for live traffic: every difference counts");
    ShadowReport report = tally.report(settings.thresholds(), LiveObservations.TARGET,
        "live traffic of the gateway's SHADOW mode: " + observations + " (" + tally.size() + " observations)",
        LiveObservations.NOISE, startedAt, List.of());
    return finish(report);
  }

  private int finish(ShadowReport report) throws Exception {
    RunResult result = ShadowRunResults.of(report, selection.selection(), selection.knownFailures());
    print(report);
    reports.write(result, out);
    Path json = reports.reportDir.resolve("shadow.json");
    Path html = reports.reportDir.resolve("shadow-comparison.html");
    ShadowJsonReport.write(report, json);
    ShadowHtmlReport.write(report, html);
    out.println("comparison: " + json + ", " + html);
    out.println(report.summary());
    return result.exitCode();
  }

  private static Optional<ShadowSide> given(URI url, List<AutoCloseable> started) throws Exception {
    return url == null ? Optional.empty() : Optional.of(keep(ShadowSide.open(url), started));
  }

  /** The HTTP side of a deployment of --impl started here, on servers of its own. */
  private ShadowSide startedLegacy(String role, List<AutoCloseable> started) throws Exception {
    HarnessTarget target = keep(HarnessTarget.start(backend(), Implementation.provider(impl), Optional.empty(), out), started);
    URI http = target.httpBaseUri().orElseThrow(() -> new IllegalStateException("the " + role + " deployment of '"
        + impl + "' has no HTTP side: give --" + role + " http://…"));
    return keep(ShadowSide.open(http), started);
  }

  /** The NATS side of a candidate deployment started here, on servers of its own. */
  private ShadowSide startedCandidate(List<AutoCloseable> started) throws Exception {
    Implementation implementation = candidateKind.command != null
        ? Implementation.command(candidateKind.command.toArray(String[]::new))
        : candidateKind.image != null ? Implementation.image(candidateKind.image)
        : Implementation.provider(candidateKind.provider != null ? candidateKind.provider : impl);
    HarnessTarget target = keep(HarnessTarget.start(backend(), implementation, Optional.empty(), out), started);
    return keep(ShadowSide.nats(target.nats(), target.description()), started);
  }

  private Backend backend() {
    return Backend.valueOf(backend.toUpperCase(Locale.ROOT));
  }

  private static <T extends AutoCloseable> T keep(T resource, List<AutoCloseable> started) {
    started.add(resource);
    return resource;
  }

  private void print(ShadowReport report) {
    report.warnings().forEach(w -> out.println("warning: " + w));
    for (MethodReport m : report.methods()) {
      if (!m.passed()) {
        out.println("FAILED " + m.subject() + ": " + m.mismatched() + " of " + m.compared() + " requests mismatched");
        m.regressions().forEach(f -> out.println("  " + (f.field().isEmpty() ? "(answer)" : f.field()) + " "
            + f.kinds().keySet() + ": " + f.reason()));
      }
    }
  }
}
