package io.natsharness.gateway.shadow;

import io.natsharness.gateway.config.GatewayConfig;
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
 * ({@code shadow.record-file}, the traffic format the shadow suite replays). A file that cannot be
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

  private ShadowFiles(Optional<TrafficWriter> traffic) {
    this.traffic = traffic;
  }

  /** No files. */
  public static ShadowFiles none() {
    return new ShadowFiles(Optional.empty());
  }

  /**
   * Opens the files the configuration names, appending to existing ones.
   *
   * @throws IllegalArgumentException naming the key and file when one cannot be opened
   */
  public static ShadowFiles open(GatewayConfig config) {
    return new ShadowFiles(config.shadowRecordFile().map(f -> open("shadow.record-file", f)));
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

  @Override
  public void close() {
    traffic.ifPresent(w -> {
      try {
        w.close();
      } catch (IOException e) {
        LOG.warn("closing the shadow recording {} failed: {}", w.file(), e.getMessage());
      }
    });
  }
}
