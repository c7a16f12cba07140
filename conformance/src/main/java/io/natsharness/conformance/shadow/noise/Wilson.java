package io.natsharness.conformance.shadow.noise;

/**
 * Wilson score intervals of a proportion (95%): honest for small counts, where the plain
 * {@code k / n} swings wildly, and never outside [0, 1].
 */
final class Wilson {

  static final double Z = 1.96;

  private Wilson() {}

  static double lower(int k, int n) {
    return bound(k, n, -1);
  }

  static double upper(int k, int n) {
    return bound(k, n, +1);
  }

  private static double bound(int k, int n, int sign) {
    if (n == 0) {
      return sign < 0 ? 0 : 1;
    }
    double p = (double) k / n;
    double z2 = Z * Z;
    double centre = p + z2 / (2.0 * n);
    double spread = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
    return Math.max(0, Math.min(1, (centre + sign * spread) / (1 + z2 / n)));
  }
}
