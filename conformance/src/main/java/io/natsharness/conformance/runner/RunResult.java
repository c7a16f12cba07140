package io.natsharness.conformance.runner;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * All results of a run, with the summary line and the exit code a release gate uses.
 *
 * @param suite the suite's name, e.g. "conformance"
 * @param target what was tested, in words
 * @param results every result, in run order
 * @param duration wall-clock time of the run
 * @param warnings things the user should know that are not failures (stale known-failure entries)
 */
public record RunResult(String suite, String target, List<CheckResult> results, Duration duration,
    List<String> warnings) {

  public RunResult {
    results = List.copyOf(results);
    warnings = List.copyOf(warnings);
  }

  public long count(CheckStatus status) {
    return results.stream().filter(r -> r.status() == status).count();
  }

  /** True when no check failed and no known failure passed. */
  public boolean passed() {
    return results.stream().noneMatch(r -> r.status().failsRun());
  }

  /** 0 when the run passed, 1 otherwise. */
  public int exitCode() {
    return passed() ? 0 : 1;
  }

  /** The services that at least one check was about. */
  public Map<String, List<CheckResult>> byService() {
    return results.stream().collect(Collectors.groupingBy(
        r -> r.service().isEmpty() ? "(system)" : r.service(), TreeMap::new, Collectors.toList()));
  }

  /** E.g. "412 checks, 410 passed, 2 known failures" (other counts appear when not zero). */
  public String summary() {
    StringBuilder line = new StringBuilder()
        .append(results.size()).append(results.size() == 1 ? " check, " : " checks, ")
        .append(count(CheckStatus.PASSED)).append(" passed");
    append(line, count(CheckStatus.FAILED), "failed", "failed");
    append(line, count(CheckStatus.KNOWN_FAILURE), "known failure", "known failures");
    append(line, count(CheckStatus.UNEXPECTED_PASS), "known failure passed", "known failures passed");
    append(line, count(CheckStatus.SKIPPED), "skipped", "skipped");
    return line.toString();
  }

  private static void append(StringBuilder line, long n, String one, String many) {
    if (n > 0) {
      line.append(", ").append(n).append(' ').append(n == 1 ? one : many);
    }
  }
}
