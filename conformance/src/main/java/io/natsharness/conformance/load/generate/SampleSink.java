package io.natsharness.conformance.load.generate;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Receives every recorded response time (µs) besides the histograms: an audit trail that lets a
 * test rebuild one histogram of all samples and compare it with the merged one. Off by default;
 * writing every sample costs time at high rates.
 *
 * <pre>{@code
 * try (SampleSink.FileSink sink = SampleSink.toFile(Path.of("target/samples-w1.txt"))) {
 *   Tally tally = new Tally("w1", sink);
 * }
 * }</pre>
 */
public interface SampleSink {

  SampleSink NONE = micros -> { };

  void responseMicros(long micros);

  /** One value per line in {@code file} (created or truncated). */
  static FileSink toFile(Path file) {
    return new FileSink(file);
  }

  /** A sink writing to a file; close it to flush. */
  final class FileSink implements SampleSink, AutoCloseable {
    private final BufferedWriter writer;

    private FileSink(Path file) {
      try {
        writer = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write samples to " + file + ": " + e.getMessage(), e);
      }
    }

    @Override
    public synchronized void responseMicros(long micros) {
      try {
        writer.write(Long.toString(micros));
        writer.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public synchronized void close() {
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
