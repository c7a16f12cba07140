package io.natsharness.gateway.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * A small bounded cache whose entries expire at a given instant. When full, expired entries are
 * dropped; if it is still full the new entry is not kept (a cache miss costs one call to the auth
 * service; unbounded growth under a flood of distinct tokens would cost the process).
 *
 * <pre>{@code
 * TtlCache<String, TokenClaims> cache = new TtlCache<>(10_000, Clock.systemUTC());
 * cache.put("tok", claims, Instant.now().plusSeconds(30));
 * cache.get("tok");
 * }</pre>
 */
final class TtlCache<K, V> {

  private record Entry<V>(V value, Instant expiresAt) {}

  private final int maxEntries;
  private final Clock clock;
  private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();

  TtlCache(int maxEntries, Clock clock) {
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  Optional<V> get(K key) {
    Entry<V> e = entries.get(key);
    if (e == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(e.expiresAt)) {
      entries.remove(key, e);
      return Optional.empty();
    }
    return Optional.of(e.value);
  }

  void put(K key, V value, Instant expiresAt) {
    if (maxEntries == 0 || !clock.instant().isBefore(expiresAt)) {
      return;
    }
    if (entries.size() >= maxEntries) {
      Instant now = clock.instant();
      entries.values().removeIf(e -> !now.isBefore(e.expiresAt));
      if (entries.size() >= maxEntries) {
        return;
      }
    }
    entries.put(key, new Entry<>(value, expiresAt));
  }

  /** Drops every entry whose value matches. */
  void removeIf(Predicate<V> predicate) {
    entries.values().removeIf(e -> predicate.test(e.value));
  }

  int size() {
    return entries.size();
  }
}
