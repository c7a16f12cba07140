package io.natsharness.conformance.shadow.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The result of a shadow run: every method with its mismatch rate, threshold and fields.
 *
 * @param suite always "shadow"
 * @param target what was compared, in words ("primary http://…, candidate nats://…")
 * @param source where the requests came from ("generated, seed 42, 2 rounds" or a traffic file)
 * @param noiseSource how noise was measured ("secondary", "primary twice (reads only)", "none")
 * @param startedAt when the run started
 * @param duration how long it took
 * @param methods one entry per method that got requests, in catalog order
 * @param warnings things to know that are not failures
 */
public record ShadowReport(String suite, String target, String source, String noiseSource, Instant startedAt,
    Duration duration, List<MethodReport> methods, List<String> warnings) {

  public ShadowReport {
    methods = List.copyOf(methods);
    warnings = List.copyOf(warnings);
  }

  public boolean passed() {
    return methods.stream().allMatch(MethodReport::passed);
  }

  /** 0 when every method is within its threshold, 1 otherwise (as the conformance suite). */
  public int exitCode() {
    return passed() ? 0 : 1;
  }

  public int requests() {
    return methods.stream().mapToInt(MethodReport::compared).sum();
  }

  /** E.g. "84 methods, 412 requests, 2 methods over their threshold (3 regressions)". */
  public String summary() {
    long failed = methods.stream().filter(m -> !m.passed()).count();
    long regressions = methods.stream().mapToLong(m -> m.regressions().size()).sum();
    return methods.size() + (methods.size() == 1 ? " method, " : " methods, ") + requests() + " requests, "
        + (failed == 0 ? "all within their thresholds" : failed + (failed == 1 ? " method" : " methods")
            + " over the threshold")
        + " (" + regressions + (regressions == 1 ? " field" : " fields") + " with regressions)";
  }
}
