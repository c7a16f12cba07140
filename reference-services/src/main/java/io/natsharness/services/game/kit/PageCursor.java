package io.natsharness.services.game.kit;

import io.natsharness.proto.common.v1.PageRequest;
import io.natsharness.sdk.status.RpcException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Opaque page tokens that carry a position (the sort key of the last item of the previous page,
 * exclusive) and a check of 16 hex digits of SHA-256 over (scope, position). The scope names the
 * method and its filters, so a token made for another method, other filters, or edited by hand is
 * refused with INVALID_ARGUMENT on {@code page.page_token}.
 *
 * <pre>{@code
 * PageCursor cursor = new PageCursor("world_state.query_region", region, String.join(",", kinds));
 * int size = PageCursor.size(request.getPage(), 50, 100);
 * Optional<String> after = cursor.position(request.getPage());
 * String next = cursor.token(lastEntityId);
 * }</pre>
 */
public final class PageCursor {

  private static final String VERSION = "c1";

  private final String scope;

  /** A cursor for one method and its filter values. */
  public PageCursor(String method, String... filters) {
    this.scope = method + "\u0000" + String.join("\u0000", filters);
  }

  /** page_size with 0 meaning {@code defaultSize}; below 0 or above {@code max} is INVALID_ARGUMENT. */
  public static int size(PageRequest page, int defaultSize, int max) {
    int size = page.getPageSize();
    if (size < 0 || size > max) {
      throw RpcException.invalidArgument("page.page_size", "must be in [0, " + max + "], got " + size);
    }
    return size == 0 ? defaultSize : size;
  }

  /** The token of the page that starts after {@code position}. */
  public String token(String position) {
    String raw = VERSION + ":" + check(position) + ":" + position;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** The position after which the requested page starts; empty for the first page. */
  public Optional<String> position(PageRequest page) {
    String token = page.getPageToken();
    if (token.isEmpty()) {
      return Optional.empty();
    }
    RpcException refused = RpcException.invalidArgument("page.page_token",
        "was not issued by this method for these filters");
    String raw;
    try {
      raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw refused;
    }
    String[] parts = raw.split(":", 3);
    if (parts.length != 3 || !parts[0].equals(VERSION) || !parts[1].equals(check(parts[2]))) {
      throw refused;
    }
    return Optional.of(parts[2]);
  }

  private String check(String position) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((scope + "\u0000" + position).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
