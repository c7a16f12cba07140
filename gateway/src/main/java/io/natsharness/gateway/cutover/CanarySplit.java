package io.natsharness.gateway.cutover;

import java.nio.charset.StandardCharsets;

/**
 * The sticky CANARY decision: a request goes over NATS when {@code fnv1a32(key) mod 100 <
 * percent}, where the key is the player key (so one player always lands on the same side while the
 * percentage holds, and raising the percentage only moves players from HTTP to NATS). This is the
 * rule the router service documents for {@code RouteModeSetting.canary_percent}.
 *
 * <pre>{@code
 * CanarySplit.toNats("player-42", 10); // the same answer on every call
 * }</pre>
 */
public final class CanarySplit {

  private static final int FNV_OFFSET = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  private CanarySplit() {}

  /** Whether the request with this key goes over NATS at {@code percent} (0..100). */
  public static boolean toNats(String key, int percent) {
    if (percent <= 0) {
      return false;
    }
    if (percent >= 100) {
      return true;
    }
    return bucket(key) < percent;
  }

  /** The key's bucket in [0, 100). */
  public static int bucket(String key) {
    return (int) (Integer.toUnsignedLong(fnv1a32(key)) % 100);
  }

  /** 32-bit FNV-1a over the key's UTF-8 bytes. */
  public static int fnv1a32(String key) {
    int hash = FNV_OFFSET;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      hash ^= (b & 0xff);
      hash *= FNV_PRIME;
    }
    return hash;
  }
}
