package io.natsharness.gateway.shadow;

import io.natsharness.gateway.config.GatewayConfig;
import io.natsharness.gateway.traffic.ObservationFile;
import io.natsharness.gateway.traffic.ObservationLine;
import io.natsharness.gateway.traffic.TrafficRecord;
import io.natsharness.gateway.traffic.TrafficWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files SHADOW mode writes besides its metrics: the recording of mirrored requests
 * ({@code shadow.record-file}, the traffic format the shadow suite replays) and the observations
 * of compared requests ({@code shadow.observations-file}, from which the suite builds its report).
 * A file that cannot be
 * written costs a WARN log line, never the request: the caller's answer comes from legacy.
 *
 * <pre>{@code
 * try (ShadowFiles files = ShadowFiles.open(config)) {
 *   files.record(new TrafficRecord(Instant.now(), "req-1", "POST", "/v1/ai/llm/embed", "",
 *       Map.of("Content-Type", "application/json"), "{\"text\":\"hi\"}"));
 * }
 * }</pre>
 */
public final class ShadowFiles implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ShadowFiles.class);

  private final Optional<TrafficWriter> traffic;
  private final Optional<ObservationFile> observations;

  private ShadowFiles(Optional<TrafficWriter> traffic, Optional<ObservationFile> observations) {
    this.traffic = traffic;
    this.observations = observations;
  }

  /** No files. */
  public static ShadowFiles none() {
    return new ShadowFiles(Optional.empty(), Optional.empty());
  }

  /**
   * Opens the files the configuration names, appending to existing ones.
   *
   * @throws IllegalArgumentException naming the key and file when one cannot be opened
   */
  public static ShadowFiles open(GatewayConfig config) {
    Optional<TrafficWriter> traffic = config.shadowRecordFile().map(f -> open("shadow.record-file", f));
    try {
      return new ShadowFiles(traffic, config.shadowObservationsFile().map(ShadowFiles::observations));
    } catch (IllegalArgumentException e) {
      closeAll(traffic, Optional.empty());
      throw e;
    }
  }

  private static ObservationFile observations(Path file) {
    try {
      return ObservationFile.append(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("shadow.observations-file: cannot open " + file + " for appending: "
          + e.getMessage(), e);
    }
  }

  private static TrafficWriter open(String key, Path file) {
    try {
      // Never Authorization: a recording of bearer tokens would be a file of credentials.
      return TrafficWriter.append(file, false);
    } catch (IOException e) {
      throw new IllegalArgumentException(key + ": cannot open " + file + " for appending: " + e.getMessage(), e);
    }
  }

  /** True when mirrored requests are recorded. */
  public boolean recording() {
    return traffic.isPresent();
  }

  /** Appends a mirrored request to the recording, if there is one. */
  public void record(TrafficRecord request) {
    traffic.ifPresent(w -> {
      try {
        w.write(request);
      } catch (UncheckedIOException e) {
        LOG.warn("shadow recording failed for request_id={}: {}", request.requestId(), e.getMessage());
      }
    });
  }

  /** True when compared requests are written as observations. */
  public boolean observing() {
    return observations.isPresent();
  }

  /** Appends a compared request to the observations file, if there is one. */
  public void observe(ObservationLine line) {
    observations.ifPresent(w -> {
      try {
        w.write(line);
      } catch (UncheckedIOException | IllegalStateException e) {
        LOG.warn("shadow observation failed for request_id={}: {}", line.requestId(), e.getMessage());
      }
    });
  }

  @Override
  public void close() {
    closeAll(traffic, observations);
  }

  private static void closeAll(Optional<TrafficWriter> t, Optional<ObservationFile> o) {
    t.ifPresent(w -> {
      try {
        w.close();
      } catch (IOException e) {
        LOG.warn("closing the shadow recording {} failed: {}", w.file(), e.getMessage());
      }
    });
    o.ifPresent(w -> {
      try {
        w.close();
      } catch (IOException e) {
        LOG.warn("closing the shadow observations {} failed: {}", w.file(), e.getMessage());
      }
    });
  }
}
