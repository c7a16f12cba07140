package io.natsharness.conformance.contract.infra.kit;

import io.natsharness.conformance.check.CheckContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Names unique to a run in the alphabets the contract allows, and the digests some ids are
 * derived from.
 *
 * <pre>{@code
 * String quest = Names.id(ctx, "q");          // "q-lx3k9a2b-17": [a-z0-9-]
 * String topic = Names.token(ctx, "evt");     // "evt_lx3k9a2b_18": [a-z0-9_]
 * String session = "ses-" + Names.sha256Hex(player + "\n" + client + "\n0").substring(0, 16);
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

  /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code text}. */
  public static String sha256Hex(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
