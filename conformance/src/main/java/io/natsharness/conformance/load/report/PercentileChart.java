package io.natsharness.conformance.load.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A latency-by-percentile chart in the HdrHistogram style (x: log10 of 1/(1-p), labelled 90%,
 * 99%, 99.9%…; y: milliseconds on a log axis, so sub-millisecond and second-long series both
 * read), one line per series, e.g. one per transport so HTTP and NATS sit on one chart. Drawn by
 * XChart, as PNG.
 *
 * <pre>{@code
 * byte[] png = PercentileChart.png("svc.util.settings.v1.get", Map.of("nats", natsHistogram, "gateway", gwHistogram));
 * }</pre>
 */
public final class PercentileChart {

  static {
    // Charts are drawn off-screen, also on machines with no display.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Values below this (ms) are drawn at it: a log axis has no zero. */
  static final double MIN_MILLIS = 0.001;

  private PercentileChart() {}

  /**
   * @param series histograms (µs) by series name, in legend order; empty ones are left out
   * @throws IOException when the image cannot be encoded
   */
  public static byte[] png(String title, Map<String, Histogram> series) throws IOException {
    XYChart chart = new XYChartBuilder().width(960).height(440).title(title)
        .xAxisTitle("percentile").yAxisTitle("response time (ms)").build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setxAxisTickLabelsFormattingFunction(PercentileChart::percentLabel);
    int added = 0;
    for (Map.Entry<String, Histogram> e : series.entrySet()) {
      if (e.getValue().getTotalCount() == 0) {
        continue;
      }
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      points(e.getValue(), x, y);
      XYSeries s = chart.addSeries(e.getKey(), x, y);
      s.setMarker(SeriesMarkers.NONE);
      added++;
    }
    if (added == 0) {
      chart.addSeries("no answers", new double[] {0, 1}, new double[] {MIN_MILLIS, MIN_MILLIS}).setMarker(SeriesMarkers.NONE);
    }
    return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
  }

  /**
   * The points of HdrHistogram's percentile output (5 ticks per half distance); the last one (100%)
   * at the resolution of the sample count, 1 - 1/N, where a finite x exists.
   */
  static void points(Histogram h, List<Double> x, List<Double> y) {
    Map<Double, Double> byX = new LinkedHashMap<>();
    double last = 100 * (1 - 1.0 / Math.max(2, h.getTotalCount()));
    for (HistogramIterationValue v : h.percentiles(5)) {
      double p = Math.min(v.getPercentileLevelIteratedTo(), last);
      byX.put(Math.log10(1 / (1 - p / 100)), Math.max(MIN_MILLIS, v.getValueIteratedTo() / 1000.0));
    }
    byX.forEach((k, v) -> {
      x.add(k);
      y.add(v);
    });
  }

  /** "90%" at x = 1, "99%" at 2, "99.9%" at 3 …; nothing between whole numbers. */
  static String percentLabel(Double x) {
    if (Math.abs(x - Math.rint(x)) > 1e-9) {
      return "";
    }
    double p = 100 * (1 - Math.pow(10, -Math.rint(x)));
    String text = String.format(Locale.ROOT, "%.6f", p).replaceAll("0+$", "").replaceAll("\\.$", "");
    return text + "%";
  }
}
