package io.natsharness.services.util.kit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of bytes (payload checksums) and as numbers (deterministic generated values). Ids
 * derived from text come from {@link io.natsharness.services.support.Ids}.
 *
 * <pre>{@code
 * String checksum = Hashes.sha256Hex(payload);
 * long draw = Hashes.sha256Long("north-shore", "42", "front-sky");
 * }</pre>
 */
public final class Hashes {

  private Hashes() {}

  /** Lower-case hex SHA-256 of the bytes. */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256(bytes));
  }

  /** The raw SHA-256 digest. */
  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must support SHA-256 (MessageDigest's Javadoc), so this cannot happen.
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A 64-bit value from SHA-256 of the parts: the first 8 bytes, big-endian. */
  public static long sha256Long(String... parts) {
    byte[] d = sha256(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (d[i] & 0xFF);
    }
    return v;
  }
}
