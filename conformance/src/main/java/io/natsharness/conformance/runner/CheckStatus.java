package io.natsharness.conformance.runner;

/** How one check ended. */
public enum CheckStatus {
  /** The implementation behaved as the contract says. */
  PASSED,
  /** It did not, or the check could not run: the run fails. */
  FAILED,
  /** Listed as a known failure, and it failed: does not fail the run. */
  KNOWN_FAILURE,
  /** Listed as a known failure, but it passed: the list is stale, and the run fails. */
  UNEXPECTED_PASS,
  /** The check does not apply to this target. */
  SKIPPED;

  /** Whether this outcome fails the run. */
  public boolean failsRun() {
    return this == FAILED || this == UNEXPECTED_PASS;
  }
}
