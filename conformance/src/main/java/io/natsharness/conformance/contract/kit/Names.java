package io.natsharness.conformance.contract.kit;

import io.natsharness.conformance.check.CheckContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Names unique to a run in the alphabets the contract allows, and the ids and checksums the
 * contract derives: a prefix and the first hex digits of the SHA-256 of the parts joined by
 * {@code "\n"}.
 *
 * <pre>{@code
 * String quest = Names.id(ctx, "q");                          // "q-lx3k9a2b-17": [a-z0-9-]
 * String topic = Names.token(ctx, "evt");                     // "evt_lx3k9a2b_18": [a-z0-9_]
 * String wallet = Names.derived("wal-", 16, ownerId);         // payment's wallet_id
 * String txn = Names.derived("txn-", 20, walletId, "CHARGE", key);
 * String checksum = Names.sha256Hex(payload);                 // state_manager's checksum
 * }</pre>
 */
public final class Names {

  private Names() {}

  /** {@code ctx.unique(base)} in lower case: letters, digits and '-'. */
  public static String id(CheckContext ctx, String base) {
    return ctx.unique(base).toLowerCase(Locale.ROOT);
  }

  /** A unique name of letters, digits and '_' only (subject tokens, [a-z0-9_]). */
  public static String token(CheckContext ctx, String base) {
    return id(ctx, base).replace('-', '_');
  }

  /** {@code prefix} and the first {@code hexDigits} of the SHA-256 of {@code parts} joined by "\n". */
  public static String derived(String prefix, int hexDigits, String... parts) {
    return prefix + sha256Hex(String.join("\n", parts).getBytes(StandardCharsets.UTF_8)).substring(0, hexDigits);
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
