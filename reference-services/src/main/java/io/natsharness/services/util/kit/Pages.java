package io.natsharness.services.util.kit;

import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.Ids;
import io.natsharness.services.support.Validation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Paging of list methods: page sizes with a default and a maximum, and opaque page tokens bound
 * to the request's filters, so a token issued for one wallet or query is refused for another.
 *
 * <p>A token is {@code base64url("p1:" + position + ":" + binding)}, where binding is 16 hex
 * digits of SHA-256 over the filter values. Position means what the method says (an offset, a
 * ledger index); the token only carries it.
 *
 * <pre>{@code
 * int size = Pages.size(request.getPage(), 50, 100);
 * String binding = Pages.binding(walletId, currency, kind.name());
 * long from = Pages.position(request.getPage(), binding, "the same wallet and filters");
 * String next = Pages.token(from + size, binding);
 * }</pre>
 */
public final class Pages {

  private static final String VERSION = "p1";

  private Pages() {}

  /** page_size with 0 meaning {@code defaultSize}; below 0 or above {@code max} is INVALID_ARGUMENT. */
  public static int size(PageRequest page, int defaultSize, int max) {
    return Validation.pageSize(page.getPageSize(), defaultSize, max, "page.page_size");
  }

  /** A binding of the filter values a token is valid for. */
  public static String binding(String... filters) {
    return Ids.sha256Hex(String.join("\u0000", filters)).substring(0, 16);
  }

  /** The token that continues at {@code position}. */
  public static String token(long position, String binding) {
    String raw = VERSION + ":" + position + ":" + binding;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The position a page starts at: 0 without a token, else the token's position. A token this
   * code did not make for the same binding is INVALID_ARGUMENT on {@code page.page_token}, with
   * {@code "was not issued by this method for " + sameWhat}.
   */
  public static long position(PageRequest page, String binding, String sameWhat) {
    String token = page.getPageToken();
    if (token.isEmpty()) {
      return 0;
    }
    RpcException refused = RpcException.invalidArgument("page.page_token",
        "was not issued by this method for " + sameWhat);
    String raw;
    try {
      raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw refused;
    }
    String[] parts = raw.split(":", -1);
    if (parts.length != 3 || !parts[0].equals(VERSION) || !parts[2].equals(binding)) {
      throw refused;
    }
    try {
      long position = Long.parseLong(parts[1]);
      if (position < 0) {
        throw refused;
      }
      return position;
    } catch (NumberFormatException e) {
      throw refused;
    }
  }
}
