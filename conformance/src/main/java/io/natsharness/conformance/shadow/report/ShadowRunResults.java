package io.natsharness.conformance.shadow.report;

import io.natsharness.conformance.runner.CheckResult;
import io.natsharness.conformance.runner.CheckSelection;
import io.natsharness.conformance.runner.CheckStatus;
import io.natsharness.conformance.runner.KnownFailures;
import io.natsharness.conformance.runner.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A shadow report as the runner's {@link RunResult}: one check per method
 * ({@code shadow.<service>.<method>}) that passes when its mismatch rate is within its threshold,
 * so selection globs, known-failure lists, the JUnit XML and the exit code work as for conformance.
 *
 * <pre>{@code
 * RunResult result = ShadowRunResults.of(report, CheckSelection.all(), KnownFailures.none());
 * JUnitXmlReport.write(result, Path.of("reports/shadow-junit.xml"));
 * }</pre>
 */
public final class ShadowRunResults {

  private ShadowRunResults() {}

  public static RunResult of(ShadowReport report, CheckSelection selection, KnownFailures known) {
    List<CheckResult> results = new ArrayList<>();
    List<String> ids = report.methods().stream().map(MethodReport::checkId).toList();
    List<String> warnings = new ArrayList<>(report.warnings());
    known.unmatched(ids).forEach(p -> warnings.add("known-failure entry '" + p + "' matches no method"));
    for (MethodReport m : report.methods()) {
      if (!selection.selects(m.checkId())) {
        continue;
      }
      Optional<String> reason = known.reason(m.checkId());
      CheckStatus status;
      String message;
      if (m.passed()) {
        status = reason.isPresent() ? CheckStatus.UNEXPECTED_PASS : CheckStatus.PASSED;
        message = reason.map(r -> "listed as a known failure (" + r + ") but within its threshold: remove it")
            .orElse("");
      } else {
        status = reason.isPresent() ? CheckStatus.KNOWN_FAILURE : CheckStatus.FAILED;
        message = failure(m) + reason.map(r -> "\n(known failure: " + r + ")").orElse("");
      }
      results.add(new CheckResult(m.checkId(), m.service(), "answers over NATS as over legacy HTTP ("
          + m.compared() + " requests, threshold " + pct(m.threshold()) + ")", status, message,
          java.time.Duration.ZERO));
    }
    return new RunResult(report.suite(), report.target(), results, report.duration(), warnings);
  }

  /** E.g. "2 of 3 requests mismatched (66.7% > 0.0%): tokens_used VALUE (the primaries never differ here) ..." */
  static String failure(MethodReport m) {
    StringBuilder out = new StringBuilder().append(m.mismatched()).append(" of ").append(m.compared())
        .append(" requests mismatched (").append(pct(m.mismatchRate())).append(" > ").append(pct(m.threshold()))
        .append(')');
    for (FieldReport f : m.regressions()) {
      out.append("\n  ").append(f.field().isEmpty() ? "(answer)" : f.field()).append(' ').append(f.kinds().keySet())
          .append(": ").append(f.reason());
      f.samples().stream().findFirst()
          .ifPresent(s -> out.append("\n    e.g. ").append(s.requestId()).append(": ").append(s.difference()));
    }
    return out.toString();
  }

  private static String pct(double rate) {
    return String.format(Locale.ROOT, "%.1f%%", rate * 100);
  }
}
