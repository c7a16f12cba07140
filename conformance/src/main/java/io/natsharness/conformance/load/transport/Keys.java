package io.natsharness.conformance.load.transport;

import java.util.concurrent.ThreadLocalRandom;

/** Idempotency-Key prefixes unique to one caller, so repeats of a run never replay an earlier answer. */
final class Keys {

  private Keys() {}

  static String prefix() {
    return "load-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + "-";
  }
}
