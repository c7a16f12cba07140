package io.natsharness.conformance.runner;

import java.io.PrintStream;

/**
 * Prints a line per service as it completes and every failure as it happens, so a long run shows
 * where it is without burying the failures.
 */
public final class ConsoleProgress implements RunListener {

  private final PrintStream out;
  private String service = null;
  private int serviceChecks;
  private int serviceFailures;

  public ConsoleProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public void started(int checks) {
    out.printf("running %d checks%n", checks);
  }

  @Override
  public synchronized void finished(CheckResult result, int done, int total) {
    if (service != null && !service.equals(result.service())) {
      flushService(done - 1, total);
    }
    service = result.service();
    serviceChecks++;
    if (result.status().failsRun()) {
      serviceFailures++;
      out.printf("  %s %s: %s%n", result.status(), result.id(), firstLine(result.message()));
    }
    if (done == total) {
      flushService(done, total);
    }
  }

  private void flushService(int done, int total) {
    out.printf("[%3d%%] %-26s %3d checks%s%n", done * 100 / Math.max(total, 1),
        service.isEmpty() ? "(system)" : service, serviceChecks,
        serviceFailures == 0 ? "" : ", " + serviceFailures + " failing");
    serviceChecks = 0;
    serviceFailures = 0;
  }

  private static String firstLine(String message) {
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline) + " …";
  }
}
