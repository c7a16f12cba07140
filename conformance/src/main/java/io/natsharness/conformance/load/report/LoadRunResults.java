package io.natsharness.conformance.load.report;

import io.natsharness.conformance.load.LoadReport;
import io.natsharness.conformance.load.LoadResult;
import io.natsharness.conformance.runner.CheckResult;
import io.natsharness.conformance.runner.CheckStatus;
import io.natsharness.conformance.runner.RunResult;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.util.ArrayList;
import java.util.List;

/**
 * A load report as the runner's {@link RunResult}: one check per method, transport and load
 * ({@code load.<subject>.<transport>.<load>}) that passes when the result met its SLO, so the
 * JUnit XML and the exit code work as for the other suites. The raw echo is a skipped check.
 *
 * <pre>{@code
 * RunResult run = LoadRunResults.of(report);
 * JUnitXmlReport.write(run, Path.of("reports/load-junit.xml"));
 * }</pre>
 */
public final class LoadRunResults {

  private static final ServiceCatalog CATALOG = ServiceCatalog.load();

  private LoadRunResults() {}

  public static RunResult of(LoadReport report) {
    List<CheckResult> checks = new ArrayList<>();
    for (LoadResult r : report.results()) {
      String id = "load." + HgrmFiles.baseName(r);
      String service = CATALOG.method(r.subject()).map(MethodInfo::service).orElse("");
      String description = r.label() + " meets " + report.sloOf(r).describe();
      java.time.Duration took = java.time.Duration.ofMillis(Math.round(r.windowSeconds() * 1000));
      if (!LoadReport.gated(r)) {
        checks.add(new CheckResult(id, service, r.label() + " (the ceiling)", CheckStatus.SKIPPED,
            "the raw echo is measured for comparison, not gated", took));
        continue;
      }
      List<String> breaches = report.breaches(r);
      checks.add(new CheckResult(id, service, description, breaches.isEmpty() ? CheckStatus.PASSED : CheckStatus.FAILED,
          String.join("\n", breaches), took));
    }
    if (checks.isEmpty()) {
      checks.add(new CheckResult("load.nothing", "", "at least one phase ran", CheckStatus.FAILED, "no phase ran",
          java.time.Duration.ZERO));
    }
    return new RunResult("load", report.target(), checks, report.took(), report.warnings());
  }
}
