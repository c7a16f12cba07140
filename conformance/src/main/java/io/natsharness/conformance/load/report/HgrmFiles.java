package io.natsharness.conformance.load.report;

import io.natsharness.conformance.load.LoadResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Writes each result's histograms as {@code .hgrm} files (HdrHistogram's percentile distribution,
 * in milliseconds, what HdrHistogram's online plotter reads): response time and service time.
 *
 * <pre>{@code
 * List<Path> files = HgrmFiles.write(report.results(), Path.of("reports/hgrm"));
 * // reports/hgrm/svc.util.settings.v1.get.nats.10000rps.response.hgrm, ….service.hgrm
 * }</pre>
 */
public final class HgrmFiles {

  private HgrmFiles() {}

  /** The base name of a result's files, e.g. {@code svc.util.settings.v1.get.nats.10000rps}. */
  public static String baseName(LoadResult r) {
    String load = r.mode().open() ? String.format(Locale.ROOT, "%.0frps", r.offeredRate())
        : "closed" + r.mode().callers();
    return r.subject() + "." + r.transport().id() + "." + load;
  }

  /** Writes two files per result into {@code dir} (created if needed); returns them in order. */
  public static List<Path> write(List<LoadResult> results, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    for (LoadResult r : results) {
      written.add(write(r.response(), dir.resolve(baseName(r) + ".response.hgrm")));
      written.add(write(r.service(), dir.resolve(baseName(r) + ".service.hgrm")));
    }
    return written;
  }

  static Path write(Histogram h, Path file) throws IOException {
    try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8)) {
      if (h.getTotalCount() == 0) {
        out.println("#[no samples: nothing was answered]");
      } else {
        // Values are µs; the scaling ratio prints them in ms.
        h.outputPercentileDistribution(out, 5, 1000.0);
      }
    }
    return file;
  }
}
