package io.natsharness.services.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic ids derived from inputs, as the contract prescribes (e.g. a wallet id is
 * {@code "wal-"} + the first 16 hex digits of SHA-256(owner_id)).
 *
 * <pre>{@code
 * String walletId = Ids.derived("wal-", 16, ownerId);                  // wal-1a2b...
 * String txnId = Ids.derived("txn-", 20, walletId, "CHARGE", key);     // parts joined by "\n"
 * }</pre>
 */
public final class Ids {

  private Ids() {}

  /** {@code prefix} + the first {@code hexDigits} hex digits of SHA-256(parts joined by "\n"). */
  public static String derived(String prefix, int hexDigits, String... parts) {
    if (hexDigits < 1 || hexDigits > 64) {
      throw new IllegalArgumentException("hexDigits must be in [1, 64]: " + hexDigits);
    }
    return prefix + sha256Hex(String.join("\n", parts)).substring(0, hexDigits);
  }

  /** The lower-case hex SHA-256 of the UTF-8 bytes of {@code text}. */
  public static String sha256Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
