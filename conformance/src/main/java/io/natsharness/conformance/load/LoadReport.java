package io.natsharness.conformance.load;

import io.natsharness.conformance.load.requests.PayloadSizes;
import io.natsharness.conformance.load.transport.TransportKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything a load run found: the figures of each method and transport, the payload sizes, the
 * max-rate searches when asked for, and the SLO verdicts that decide the exit code. The raw echo
 * is the machine's ceiling, shown for comparison and never gated.
 *
 * <pre>{@code
 * LoadReport report = suite.run();
 * report.breaches(result);   // ["p99 7.210 ms > 5.000 ms"]
 * report.exitCode();         // 0 when every gated result met its SLO
 * }</pre>
 *
 * @param target what was loaded, in words
 * @param startedAt when the run began
 * @param took how long it ran
 * @param mode open or closed loop
 * @param generators generator processes
 * @param results each phase's figures, in run order
 * @param payloads payload sizes per method
 * @param maxRates max-rate searches (empty unless asked for)
 * @param slo the objectives
 * @param warnings what the user should know (a transport that could not run)
 */
public record LoadReport(String target, Instant startedAt, Duration took, LoadMode mode, int generators,
    List<LoadResult> results, List<PayloadSizes> payloads, List<MaxRate> maxRates, SloConfig slo,
    List<String> warnings) {

  public LoadReport {
    results = List.copyOf(results);
    payloads = List.copyOf(payloads);
    maxRates = List.copyOf(maxRates);
    warnings = List.copyOf(warnings);
  }

  /** Whether the result counts for the verdict (everything but the raw echo). */
  public static boolean gated(LoadResult result) {
    return result.transport() != TransportKind.RAW;
  }

  public Slo sloOf(LoadResult result) {
    return slo.forResult(result.subject(), result.transport());
  }

  /** The objectives a result misses; none for the raw echo. */
  public List<String> breaches(LoadResult result) {
    return gated(result) ? sloOf(result).breaches(result) : List.of();
  }

  public boolean passed() {
    return !results.isEmpty() && results.stream().allMatch(r -> breaches(r).isEmpty());
  }

  /** 0 when every gated result met its SLO, 1 otherwise (also when nothing ran). */
  public int exitCode() {
    return passed() ? 0 : 1;
  }

  /** E.g. "8 results, 6 met their SLO, 2 breached". */
  public String summary() {
    long gated = results.stream().filter(LoadReport::gated).count();
    long met = results.stream().filter(r -> gated(r) && breaches(r).isEmpty()).count();
    return results.size() + (results.size() == 1 ? " result, " : " results, ") + met + " of " + gated
        + " met their SLO" + (gated - met > 0 ? ", " + (gated - met) + " breached" : "");
  }
}
