package io.natsharness.conformance.load.report;

import io.natsharness.conformance.load.LoadResult;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Number formats shared by the console table, the HTML and the JSON reports. */
final class Figures {

  static final double[] PERCENTILES = {50, 90, 99, 99.9};
  static final String[] NAMES = {"p50", "p90", "p99", "p99.9"};

  private Figures() {}

  /** Milliseconds with three decimals (microsecond resolution). */
  static String ms(double millis) {
    return String.format(Locale.ROOT, "%.3f", millis);
  }

  static String ms(Histogram h, double percentile) {
    if (h.getTotalCount() == 0) {
      return "-";
    }
    long v = percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
    return ms(v / 1000.0);
  }

  static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%.0f", perSecond);
  }

  static String percent(double share) {
    return String.format(Locale.ROOT, "%.2f%%", share * 100);
  }

  /** "open 10000/s" or "closed 8". */
  static String load(LoadResult r) {
    return r.mode().open() ? "open " + rate(r.offeredRate()) + "/s" : "closed " + r.mode().callers();
  }
}
