package io.natsharness.conformance.contract.util.kit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The derived ids and checksums the contract defines: a prefix and the first hex digits of the
 * SHA-256 of the parts joined by {@code "\n"}.
 *
 * <pre>{@code
 * Derived.id("wal-", 16, ownerId);                          // payment's wallet_id
 * Derived.id("txn-", 20, walletId, "CHARGE", key);          // payment's transaction_id
 * Derived.sha256Hex(payload);                               // state_manager's checksum
 * }</pre>
 */
public final class Derived {

  private Derived() {}

  public static String id(String prefix, int hexDigits, String... parts) {
    return prefix + sha256Hex(String.join("\n", parts).getBytes(StandardCharsets.UTF_8)).substring(0, hexDigits);
  }

  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
