package io.natsharness.conformance.load.report;

import io.natsharness.conformance.load.LoadResult;
import io.natsharness.conformance.load.Phase;
import io.natsharness.conformance.load.PhaseListener;
import io.natsharness.conformance.load.generate.IntervalListener;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on the console for each phase: how far through warm-up and measurement it is,
 * answers and errors so far, and the last interval's p99. On a terminal it redraws one line; into
 * a file or pipe it prints a line every few seconds instead.
 *
 * <pre>{@code
 * suite.withListener(new ProgressBar(System.out, System.console() != null));
 * }</pre>
 */
public final class ProgressBar implements PhaseListener {

  private static final int WIDTH = 30;
  private static final long PIPE_EVERY_NANOS = 5_000_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private long started;
  private long expected;
  private long ok;
  private long errors;
  private long lastPrinted;

  public ProgressBar(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public synchronized IntervalListener started(Phase phase, int index, int total) {
    started = System.nanoTime();
    expected = phase.plan().warmup().toNanos() + phase.plan().duration().toNanos();
    ok = 0;
    errors = 0;
    lastPrinted = started;
    String position = total > 0 ? "[" + index + "/" + total + "] " : "[probe " + index + "] ";
    out.println(position + phase.label() + ": " + phase.plan());
    return interval -> update(interval.counts().ok(), interval.counts().errorCount(),
        interval.response().getTotalCount() == 0 ? 0 : interval.response().getValueAtPercentile(99));
  }

  private synchronized void update(long newOk, long newErrors, long p99Micros) {
    ok += newOk;
    errors += newErrors;
    long now = System.nanoTime();
    if (!terminal && now - lastPrinted < PIPE_EVERY_NANOS) {
      return;
    }
    lastPrinted = now;
    double done = Math.min(1.0, (double) (now - started) / Math.max(1, expected));
    int filled = (int) Math.round(done * WIDTH);
    String line = String.format(Locale.ROOT, "  [%s%s] %3.0f%%  %d ok  %d errors  last p99 %s ms",
        "#".repeat(filled), "-".repeat(WIDTH - filled), done * 100, ok, errors, Figures.ms(p99Micros / 1000.0));
    if (terminal) {
      out.print("\r" + line);
    } else {
      out.println(line);
    }
    out.flush();
  }

  @Override
  public synchronized void finished(Phase phase, LoadResult r) {
    if (terminal) {
      out.print("\r" + " ".repeat(WIDTH + 60) + "\r");
    }
    out.printf(Locale.ROOT, "  done: %s req/s achieved, p50 %s ms, p99 %s ms, max %s ms, %d errors, %d late starts%n",
        Figures.rate(r.achievedRate()), Figures.ms(r.response(), 50), Figures.ms(r.response(), 99),
        Figures.ms(r.response(), 100), r.counts().errorCount(), r.counts().lateStarts());
  }
}
