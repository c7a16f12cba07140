package io.natsharness.services.ai.llm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A tiny, fully specified pseudo-random generator (SplitMix64), seeded from SHA-256 of its inputs.
 * Chosen over {@code java.util.Random} because its every step is written down here, so an
 * implementation in another language can reproduce the reference output bit for bit.
 *
 * <pre>{@code
 * SplitMix64 rng = SplitMix64.seededFrom("atlas-small", "hello", "42");
 * int word = rng.nextInt(64);
 * }</pre>
 */
final class SplitMix64 {

  private long state;

  SplitMix64(long seed) {
    this.state = seed;
  }

  /** Seeded with the first 8 bytes (big-endian) of SHA-256 of the parts joined by NUL bytes. */
  static SplitMix64 seededFrom(String... parts) {
    byte[] digest = sha256(String.join("\0", parts));
    long seed = 0;
    for (int i = 0; i < 8; i++) {
      seed = (seed << 8) | (digest[i] & 0xFF);
    }
    return new SplitMix64(seed);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  long nextLong() {
    state += 0x9E3779B97F4A7C15L;
    long z = state;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Uniform in [0, bound): the unsigned remainder (the tiny modulo bias does not matter here). */
  int nextInt(int bound) {
    return (int) Long.remainderUnsigned(nextLong(), bound);
  }

  /** Uniform in [0, 1) with 53 random bits. */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }
}
