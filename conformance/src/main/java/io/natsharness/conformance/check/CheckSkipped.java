package io.natsharness.conformance.check;

/** Thrown by a check that does not apply to the target under test; the reason is reported. */
public final class CheckSkipped extends RuntimeException {

  public CheckSkipped(String reason) {
    super(reason, null, false, false);
  }

  /** Skips unless {@code condition} holds. */
  public static void unless(boolean condition, String reason) {
    if (!condition) {
      throw new CheckSkipped(reason);
    }
  }
}
