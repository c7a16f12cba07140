package io.natsharness.conformance.load.generate;

import java.util.Objects;

/**
 * How one request ended: {@code OK}, an error answer (the canonical status name, e.g.
 * {@code NOT_FOUND}, or {@code HTTP 502} when an HTTP side gave no status name), or no answer at
 * all (a timeout, a refused connection). Answered requests, errors included, have a latency;
 * unanswered ones are only counted.
 *
 * <pre>{@code
 * Outcome.OK;                                  // answered, success
 * Outcome.error("RESOURCE_EXHAUSTED");         // answered with an error
 * Outcome.noAnswer("DEADLINE_EXCEEDED");       // nothing came back in time
 * }</pre>
 *
 * @param code {@code OK} or the error's name
 * @param answered whether an answer arrived (its latency is recorded)
 */
public record Outcome(String code, boolean answered) {

  public static final Outcome OK = new Outcome("OK", true);

  public Outcome {
    Objects.requireNonNull(code, "code");
    if (code.isBlank()) {
      throw new IllegalArgumentException("an outcome needs a code");
    }
  }

  /** An error answer. */
  public static Outcome error(String code) {
    return new Outcome(code, true);
  }

  /** No answer (timeout, connection failure): counted as an error, no latency. */
  public static Outcome noAnswer(String code) {
    return new Outcome(code, false);
  }

  public boolean ok() {
    return "OK".equals(code);
  }
}
