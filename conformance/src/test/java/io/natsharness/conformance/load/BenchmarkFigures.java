package io.natsharness.conformance.load;

import io.natsharness.conformance.load.generate.Tally;
import io.natsharness.conformance.load.requests.PayloadSizes;
import io.natsharness.conformance.load.transport.TransportKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.HdrHistogram.Histogram;

/** The markdown tables of BENCHMARKS.md from a benchmark's load report. */
final class BenchmarkFigures {

  private static final List<TransportKind> ORDER = List.of(TransportKind.NATS, TransportKind.GATEWAY,
      TransportKind.LEGACY, TransportKind.RAW);

  private BenchmarkFigures() {}

  static String markdown(LoadReport report, LoadReport saturation, long sloP99Micros, String environment) {
    StringBuilder md = new StringBuilder();
    md.append(environment).append('\n');
    maxRates(report, sloP99Micros, md);
    saturation(saturation, md);
    fixedRates(report, md);
    comparisons(report, md);
    precision(report, md);
    payloads(report, md);
    return md.toString();
  }

  private static void maxRates(LoadReport report, long sloP99Micros, StringBuilder md) {
    if (report.maxRates().isEmpty()) {
      return;
    }
    md.append("\n### Max sustainable rate (req/s)\n\nSustained: ").append(report.maxRates().get(0).criterion())
        .append(". In brackets: the highest probed rate whose p99 also stayed within ")
        .append(fmt(sloP99Micros / 1000.0)).append(" ms (the seed's SLO).\n\n| method | ");
    ORDER.forEach(k -> md.append(k.id()).append(" | "));
    md.append("\n|---|");
    ORDER.forEach(k -> md.append("---:|"));
    md.append('\n');
    for (String subject : subjects(report)) {
      md.append("| ").append(subject).append(" | ");
      for (TransportKind k : ORDER) {
        Optional<MaxRate> m = report.maxRates().stream().filter(r -> r.subject().equals(subject) && r.transport() == k)
            .findFirst();
        md.append(m.map(r -> (r.rate() == 0 ? "none" : (r.atLimit() ? "≥ " : "") + fmt(r.rate()))
            + " (" + withinSlo(r, sloP99Micros) + ")").orElse("-")).append(" | ");
      }
      md.append('\n');
    }
  }

  private static String withinSlo(MaxRate m, long p99Micros) {
    return m.probes().stream().filter(p -> p.counts().answered() > 0 && p.errorRate() <= 0.01
            && p.achievedRate() >= 0.95 * p.offeredRate() && p.response().getValueAtPercentile(99) <= p99Micros)
        .mapToDouble(LoadResult::offeredRate).max().stream().mapToObj(BenchmarkFigures::fmt).findFirst().orElse("none");
  }

  private static void saturation(LoadReport saturation, StringBuilder md) {
    md.append("\n### Throughput at saturation (").append(saturation.mode().label()).append(")\n\n")
        .append("Each caller sends its next request when its answer is in: the rate the stack serves flat out. ")
        .append("Latency here is not corrected, it only explains the rates.\n\n| method | ");
    ORDER.forEach(k -> md.append(k.id()).append(" req/s (p50 ms) | "));
    md.append("\n|---|");
    ORDER.forEach(k -> md.append("---:|"));
    md.append('\n');
    for (String subject : subjects(saturation)) {
      md.append("| ").append(subject).append(" | ");
      for (TransportKind k : ORDER) {
        md.append(saturation.results().stream().filter(r -> r.subject().equals(subject) && r.transport() == k).findFirst()
            .map(r -> fmt(r.achievedRate()) + " (" + ms(r, 50) + ")").orElse("-")).append(" | ");
      }
      md.append('\n');
    }
  }

  private static void fixedRates(LoadReport report, StringBuilder md) {
    md.append("\n### Latency at fixed rates (open loop, ms from the intended start)\n\n")
        .append("| method | rate | via | achieved/s | p50 | p90 | p99 | p99.9 | max | errors | late starts |\n")
        .append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (LoadResult r : report.results()) {
      md.append("| ").append(r.subject()).append(" | ").append(fmt(r.offeredRate())).append(" | ").append(r.transport().id())
          .append(" | ").append(fmt(r.achievedRate())).append(" | ").append(ms(r, 50)).append(" | ").append(ms(r, 90))
          .append(" | ").append(ms(r, 99)).append(" | ").append(ms(r, 99.9)).append(" | ").append(ms(r, 100))
          .append(" | ").append(r.counts().errorCount()).append(" | ").append(r.counts().lateStarts()).append(" |\n");
    }
  }

  private static void comparisons(LoadReport report, StringBuilder md) {
    md.append("\n### Gateway overhead, NATS vs HTTP, stack over the raw echo\n\n")
        .append("Differences and ratios of the percentiles above, at each rate.\n\n")
        .append("| method | rate | gateway − nats p50 / p99 (ms) | legacy HTTP ÷ nats p50 / p99 | gateway ÷ nats p50 / p99 | nats − raw p50 / p99 (ms) | nats ÷ raw p50 |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|\n");
    Map<String, Map<TransportKind, LoadResult>> byRun = new LinkedHashMap<>();
    for (LoadResult r : report.results()) {
      byRun.computeIfAbsent(r.subject() + "|" + fmt(r.offeredRate()), k -> new LinkedHashMap<>()).put(r.transport(), r);
    }
    byRun.forEach((key, m) -> {
      LoadResult nats = m.get(TransportKind.NATS);
      if (nats == null) {
        return;
      }
      String[] parts = key.split("\\|");
      md.append("| ").append(parts[0]).append(" | ").append(parts[1]).append(" | ")
          .append(diff(m.get(TransportKind.GATEWAY), nats)).append(" | ").append(ratio(m.get(TransportKind.LEGACY), nats))
          .append(" | ").append(ratio(m.get(TransportKind.GATEWAY), nats)).append(" | ")
          .append(diff(nats, m.get(TransportKind.RAW))).append(" | ")
          .append(m.get(TransportKind.RAW) == null ? "-" : x(p(nats, 50) / p(m.get(TransportKind.RAW), 50))).append(" |\n");
    });
  }

  private static void precision(LoadReport report, StringBuilder md) {
    Histogram lag = Tally.newHistogram();
    long late = 0;
    long sent = 0;
    int phases = 0;
    List<LoadResult> all = new ArrayList<>(report.results());
    report.maxRates().forEach(m -> all.addAll(m.probes()));
    for (LoadResult r : all) {
      // Phases where the target held the generator back (every in-flight slot taken) measure the
      // target, not the scheduler: left out here, and shown as late starts in their own rows.
      if (r.counts().inFlightWaits() == 0) {
        lag.add(r.lag());
        late += r.counts().lateStarts();
        sent += r.counts().sent();
        phases++;
      }
    }
    md.append("\n### Scheduling precision of the generator\n\nHow late requests left after their intended start, over the ")
        .append(sent).append(" measured requests of the ").append(phases).append(" of ").append(all.size())
        .append(" open-loop phases (fixed rates and probes) where no request had to wait for an in-flight slot: p50 ")
        .append(ms(lag, 50)).append(" ms, p90 ")
        .append(ms(lag, 90)).append(" ms, p99 ").append(ms(lag, 99)).append(" ms, p99.9 ").append(ms(lag, 99.9))
        .append(" ms, max ").append(ms(lag, 100)).append(" ms; ").append(late).append(" (")
        .append(String.format(Locale.ROOT, "%.2f", sent == 0 ? 0 : 100.0 * late / sent))
        .append("%) left more than 1 ms late (counted as late starts; their latency still counts from the intended start).\n");
  }

  private static void payloads(LoadReport report, StringBuilder md) {
    md.append("\n### Payload sizes (bytes)\n\n| method | request protobuf | request JSON | response protobuf | response JSON |\n")
        .append("|---|---:|---:|---:|---:|\n");
    for (PayloadSizes p : report.payloads()) {
      md.append("| ").append(p.subject()).append(" | ").append(fmt(p.requestProtobuf())).append(" | ")
          .append(fmt(p.requestJson())).append(" | ")
          .append(p.responseProtobuf().isPresent() ? String.valueOf(p.responseProtobuf().getAsLong()) : "-").append(" | ")
          .append(p.responseJson().isPresent() ? String.valueOf(p.responseJson().getAsLong()) : "-").append(" |\n");
    }
  }

  private static Set<String> subjects(LoadReport report) {
    Set<String> s = new LinkedHashSet<>();
    report.results().forEach(r -> s.add(r.subject()));
    report.maxRates().forEach(r -> s.add(r.subject()));
    return s;
  }

  private static double p(LoadResult r, double percentile) {
    return r.response().getTotalCount() == 0 ? Double.NaN
        : (percentile >= 100 ? r.response().getMaxValue() : r.response().getValueAtPercentile(percentile)) / 1000.0;
  }

  private static String diff(LoadResult a, LoadResult b) {
    if (a == null || b == null) {
      return "-";
    }
    return String.format(Locale.ROOT, "%+.3f / %+.3f", p(a, 50) - p(b, 50), p(a, 99) - p(b, 99));
  }

  private static String ratio(LoadResult a, LoadResult b) {
    if (a == null || b == null) {
      return "-";
    }
    return x(p(a, 50) / p(b, 50)) + " / " + x(p(a, 99) / p(b, 99));
  }

  private static String x(double v) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%.2f×", v);
  }

  private static String ms(LoadResult r, double percentile) {
    return ms(r.response(), percentile);
  }

  private static String ms(Histogram h, double percentile) {
    if (h.getTotalCount() == 0) {
      return "-";
    }
    long v = percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
    return String.format(Locale.ROOT, "%.3f", v / 1000.0);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }
}
