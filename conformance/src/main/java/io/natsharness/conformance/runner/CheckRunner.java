package io.natsharness.conformance.runner;

import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.check.CheckSkipped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a list of checks against one target: selection, known failures, a time bound per check (a
 * hung implementation fails the check, never the run), and progress.
 *
 * <pre>{@code
 * RunResult result = CheckRunner.builder()
 *     .withSelection(CheckSelection.of(List.of("*.payment.*"), List.of()))
 *     .withKnownFailures(KnownFailures.read(Path.of("known-failures.txt")))
 *     .withListener(new ConsoleProgress(System.out))
 *     .build()
 *     .run("conformance", "reference services", checks, context);
 * System.out.println(result.summary());
 * }</pre>
 */
public final class CheckRunner {

  private final CheckSelection selection;
  private final KnownFailures knownFailures;
  private final RunListener listener;
  private final Duration checkTimeout;

  private CheckRunner(Builder b) {
    this.selection = b.selection;
    this.knownFailures = b.knownFailures;
    this.listener = b.listener;
    this.checkTimeout = b.checkTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Runs the selected checks in order and returns every result. */
  public RunResult run(String suite, String target, List<Check> checks, CheckContext context) {
    List<Check> selected = checks.stream().filter(c -> selection.selects(c.id())).toList();
    List<String> warnings = new ArrayList<>();
    knownFailures.unmatched(checks.stream().map(Check::id).toList())
        .forEach(p -> warnings.add("known-failure entry '" + p + "' matches no check"));
    long start = System.nanoTime();
    List<CheckResult> results = new ArrayList<>();
    listener.started(selected.size());
    ExecutorService executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "conformance-check");
      t.setDaemon(true);
      return t;
    });
    try {
      for (Check check : selected) {
        CheckResult result = runOne(check, context, executor);
        results.add(result);
        listener.finished(result, results.size(), selected.size());
      }
    } finally {
      executor.shutdownNow();
    }
    return new RunResult(suite, target, results, Duration.ofNanos(System.nanoTime() - start), warnings);
  }

  private CheckResult runOne(Check check, CheckContext context, ExecutorService executor) {
    long start = System.nanoTime();
    Optional<String> known = knownFailures.reason(check.id());
    CheckStatus status;
    String message;
    Future<?> future = executor.submit(() -> {
      check.run(context);
      return null;
    });
    try {
      future.get(checkTimeout.toMillis(), TimeUnit.MILLISECONDS);
      status = known.isPresent() ? CheckStatus.UNEXPECTED_PASS : CheckStatus.PASSED;
      message = known.map(r -> "listed as a known failure (" + r + ") but passed: remove it from the list")
          .orElse("");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CheckSkipped) {
        status = CheckStatus.SKIPPED;
        message = cause.getMessage();
      } else {
        status = known.isPresent() ? CheckStatus.KNOWN_FAILURE : CheckStatus.FAILED;
        message = describe(cause) + known.map(r -> "\n(known failure: " + r + ")").orElse("");
      }
    } catch (TimeoutException e) {
      future.cancel(true);
      status = known.isPresent() ? CheckStatus.KNOWN_FAILURE : CheckStatus.FAILED;
      message = "did not finish within " + checkTimeout.toMillis() + " ms";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      status = CheckStatus.FAILED;
      message = "interrupted";
    }
    return new CheckResult(check.id(), check.service(), check.description(), status, message,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static String describe(Throwable t) {
    if (t instanceof AssertionError) {
      return String.valueOf(t.getMessage()).strip();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  /** Builds a {@link CheckRunner}. */
  public static final class Builder {
    private CheckSelection selection = CheckSelection.all();
    private KnownFailures knownFailures = KnownFailures.none();
    private RunListener listener = RunListener.NONE;
    private Duration checkTimeout = Duration.ofSeconds(30);

    private Builder() {}

    public Builder withSelection(CheckSelection selection) {
      this.selection = java.util.Objects.requireNonNull(selection, "selection");
      return this;
    }

    public Builder withKnownFailures(KnownFailures knownFailures) {
      this.knownFailures = java.util.Objects.requireNonNull(knownFailures, "knownFailures");
      return this;
    }

    public Builder withListener(RunListener listener) {
      this.listener = java.util.Objects.requireNonNull(listener, "listener");
      return this;
    }

    public Builder withCheckTimeout(Duration timeout) {
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("check timeout must be positive: " + timeout);
      }
      this.checkTimeout = timeout;
      return this;
    }

    public CheckRunner build() {
      return new CheckRunner(this);
    }
  }
}
