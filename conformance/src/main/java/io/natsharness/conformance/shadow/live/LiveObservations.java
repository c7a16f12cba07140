package io.natsharness.conformance.shadow.live;

import io.natsharness.conformance.shadow.report.Observation;
import io.natsharness.conformance.shadow.report.ShadowTally;
import io.natsharness.gateway.traffic.ObservationFile;
import io.natsharness.gateway.traffic.ObservationLine;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway's SHADOW observations ({@code shadow.observations-file}) as the suite's
 * {@link Observation}s, so live traffic gives the same report as a run: legacy is the primary,
 * NATS the candidate, and the differences are the ones the gateway found with the shared engine.
 * There is no second primary behind live traffic, so no noise baseline: every difference counts.
 *
 * <pre>{@code
 * ShadowTally tally = LiveObservations.tally(Path.of("observations.ndjson"), ServiceCatalog.load(), Set.of());
 * ShadowReport report = tally.report(thresholds, LiveObservations.TARGET, "live …", LiveObservations.NOISE, started, List.of());
 * }</pre>
 */
public final class LiveObservations {

  /** The report's target line. */
  public static final String TARGET = "gateway SHADOW mode: legacy HTTP (primary) against NATS (candidate)";
  /** The report's noise line. */
  public static final String NOISE = "not measured: live traffic has no second primary, so every difference counts";

  private LiveObservations() {}

  /**
   * Reads the file and tallies its lines of the selected services (all when {@code services} is empty).
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming file and line of a malformed one
   */
  public static ShadowTally tally(Path file, ServiceCatalog catalog, Set<String> services) throws IOException {
    List<ObservationLine> lines = ObservationFile.read(file, catalog);
    ShadowTally tally = new ShadowTally();
    for (int i = 0; i < lines.size(); i++) {
      ObservationLine line = lines.get(i);
      MethodInfo method = catalog.method(line.route()).orElseThrow();
      if (services.isEmpty() || services.contains(method.service())) {
        tally.add(new Observation(method, "observation " + (i + 1), line.requestId(), line.request(), line.primary(),
            Optional.empty(), line.candidate(), line.differences(), Optional.empty()));
      }
    }
    return tally;
  }
}
