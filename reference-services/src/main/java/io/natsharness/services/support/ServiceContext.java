package io.natsharness.services.support;

import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.Connection;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.events.EventPublisher;
import java.time.Clock;
import java.util.Objects;

/**
 * Everything a reference service needs, handed to its {@code (ServiceContext ctx)} constructor.
 *
 * <p>Keys: every Redis key of a service starts with {@link #keyPrefix()} followed by the service's
 * catalog name and ':'; build them with {@link #key(String, String...)} so tests can isolate runs
 * by prefix.
 *
 * <pre>{@code
 * ServiceContext ctx = ServiceContext.of(nats, redis, "test-1:");
 * String wallet = ctx.key("payment", "wallet", "wal-0123");  // "test-1:payment:wallet:wal-0123"
 * ctx.redis().sync().set(wallet, "...");
 * }</pre>
 *
 * @param redis shared, thread-safe Redis connection (use {@code sync()}; Lua via {@code eval} or
 *     {@code scriptLoad}/{@code evalsha}). Do not use MULTI/WATCH on it: other threads share it.
 * @param keyPrefix prefix of every key, empty or ending with ':' (one is appended if missing)
 * @param events publishes the service's events to JetStream
 * @param rpc client for service-to-service hops; deadline and trace propagate from the handler
 * @param clock the clock for timestamps (tests may pass a fixed or mutable one)
 * @param worldSeed the world's seed for deterministic behaviour
 * @param nats the NATS connection the host runs on (for JetStream access beyond events)
 */
public record ServiceContext(
    StatefulRedisConnection<String, String> redis,
    String keyPrefix,
    EventPublisher events,
    RpcClient rpc,
    Clock clock,
    long worldSeed,
    Connection nats) {

  /** World seed used when none is configured. */
  public static final long DEFAULT_WORLD_SEED = 42L;

  public ServiceContext {
    Objects.requireNonNull(redis, "redis");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(rpc, "rpc");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(nats, "nats");
    keyPrefix = normalizePrefix(keyPrefix);
  }

  /**
   * A context with the defaults: an {@link EventPublisher} and an {@link RpcClient} on
   * {@code nats}, the system UTC clock and {@link #DEFAULT_WORLD_SEED}.
   */
  public static ServiceContext of(
      Connection nats, StatefulRedisConnection<String, String> redis, String keyPrefix) {
    return new ServiceContext(redis, keyPrefix, EventPublisher.create(nats),
        RpcClient.builder().connection(nats).build(), Clock.systemUTC(), DEFAULT_WORLD_SEED, nats);
  }

  /** A copy with another clock (tests of TTLs and leases). */
  public ServiceContext withClock(Clock newClock) {
    return new ServiceContext(redis, keyPrefix, events, rpc, newClock, worldSeed, nats);
  }

  /** A copy with another world seed. */
  public ServiceContext withWorldSeed(long seed) {
    return new ServiceContext(redis, keyPrefix, events, rpc, clock, seed, nats);
  }

  /**
   * The Redis key {@code keyPrefix + service + ":" + parts joined by ':'}.
   *
   * @param service the catalog name of the owning service, e.g. {@code payment}
   * @param parts the rest of the key, e.g. {@code "wallet", walletId}
   */
  public String key(String service, String... parts) {
    Objects.requireNonNull(service, "service");
    StringBuilder key = new StringBuilder(keyPrefix).append(service);
    for (String part : parts) {
      key.append(':').append(part);
    }
    return key.toString();
  }

  /** Makes a prefix end with ':' unless it is empty, so keys read {@code prefix:service:...}. */
  static String normalizePrefix(String prefix) {
    return prefix.isEmpty() || prefix.endsWith(":") ? prefix : prefix + ":";
  }
}
