package io.natsharness.conformance.load;

/**
 * How load is generated. {@link #openLoop()} sends each request at its intended instant whatever
 * the previous ones did, and measures latency from that instant: the honest figure. A
 * {@link #closedLoop(int)} run has {@code callers} callers that each send their next request when
 * the previous answer is in; it is labelled as such in every report, since a stall holds back the
 * callers and hides from its percentiles (coordinated omission).
 *
 * <pre>{@code
 * LoadMode.openLoop().label();      // "open-loop"
 * LoadMode.closedLoop(8).label();   // "closed-loop, 8 callers (coordinated omission not corrected)"
 * }</pre>
 *
 * @param open true for open loop
 * @param callers concurrent callers of a closed-loop run; 0 for open loop
 */
public record LoadMode(boolean open, int callers) {

  public LoadMode {
    if (open && callers != 0) {
      throw new IllegalArgumentException("an open-loop run has no fixed callers");
    }
    if (!open && callers < 1) {
      throw new IllegalArgumentException("a closed-loop run needs at least 1 caller, not " + callers);
    }
  }

  public static LoadMode openLoop() {
    return new LoadMode(true, 0);
  }

  public static LoadMode closedLoop(int callers) {
    return new LoadMode(false, callers);
  }

  /** The words every report shows next to the figures. */
  public String label() {
    return open ? "open-loop"
        : "closed-loop, " + callers + (callers == 1 ? " caller" : " callers") + " (coordinated omission not corrected)";
  }

  @Override
  public String toString() {
    return label();
  }
}
