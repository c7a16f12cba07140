package io.natsharness.conformance.shadow.report;

/** What a field's differences mean. */
public enum Verdict {
  /** The candidate differs from the primary where, or in a way, the primaries never do. */
  REGRESSION,
  /** The primaries differ here too, as much as the candidate does: not a regression. */
  NOISE
}
