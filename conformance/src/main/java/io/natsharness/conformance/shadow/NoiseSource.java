package io.natsharness.conformance.shadow;

/** Where the primary-versus-primary differences that cancel noise come from. */
public enum NoiseSource {
  /** A second deployment of the primary, with state of its own, gets every request too. */
  SECONDARY("a secondary deployment (every request)"),
  /**
   * The primary answers each read twice; writes are not repeated (that would apply them twice),
   * so the fields of mutating methods have no noise baseline.
   */
  PRIMARY_TWICE("the primary asked twice (reads only)"),
  /** No baseline: every difference counts. */
  NONE("not measured");

  private final String description;

  NoiseSource(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
