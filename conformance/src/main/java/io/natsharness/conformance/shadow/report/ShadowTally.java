package io.natsharness.conformance.shadow.report;

import io.natsharness.conformance.shadow.noise.NoiseJudge;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects observations as a run goes and turns them into a {@link ShadowReport}. Thread safe.
 *
 * <pre>{@code
 * ShadowTally tally = new ShadowTally();
 * tally.add(observation);                  // for every request
 * ShadowReport report = tally.report(Thresholds.strict(), "primary …, candidate …", "generated, seed 42",
 *     "secondary", started, List.of());
 * }</pre>
 */
public final class ShadowTally {

  /** Example requests kept per field. */
  public static final int SAMPLES_PER_FIELD = 3;

  private final Map<String, List<Observation>> bySubject = new LinkedHashMap<>();

  public synchronized void add(Observation observation) {
    bySubject.computeIfAbsent(observation.method().subject(), k -> new ArrayList<>()).add(observation);
  }

  public synchronized int size() {
    return bySubject.values().stream().mapToInt(List::size).sum();
  }

  /** Judges every method seen, in catalog order. */
  public synchronized ShadowReport report(Thresholds thresholds, String target, String source, String noiseSource,
      Instant startedAt, List<String> warnings) {
    List<MethodReport> methods = new ArrayList<>();
    for (MethodInfo m : ServiceCatalog.load().methods()) {
      List<Observation> seen = bySubject.get(m.subject());
      if (seen != null) {
        methods.add(NoiseJudge.judge(m, seen, thresholds.of(m.subject()), SAMPLES_PER_FIELD));
      }
    }
    return new ShadowReport("shadow", target, source, noiseSource, startedAt,
        Duration.between(startedAt, Instant.now()), methods, warnings);
  }
}
