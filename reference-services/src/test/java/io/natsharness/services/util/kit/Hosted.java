package io.natsharness.services.util.kit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.services.host.ReferenceHost;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Developer C's services under test: a {@link ReferenceHost} with a few catalog services on the
 * harness's NATS and Redis under one key prefix, plus a direct Redis connection to look at (or
 * damage) the stored state. {@link #restart()} stops the host and starts a new one on the same
 * Redis, JetStream and prefix: restart survival.
 *
 * <pre>{@code
 * static Hosted hosted;
 * @BeforeAll static void start(HarnessRuntimeInfo info) { hosted = Hosted.start(info, "payment"); }
 * @AfterAll static void stop() { hosted.close(); }
 * }</pre>
 */
public final class Hosted implements AutoCloseable {

  private final HarnessRuntimeInfo info;
  private final List<String> services;
  private final Clock clock;
  private final RedisClient redisClient;
  private final StatefulRedisConnection<String, String> redis;
  private ReferenceHost host;

  private Hosted(HarnessRuntimeInfo info, Clock clock, List<String> services) {
    this.info = info;
    this.services = List.copyOf(services);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.redisClient = RedisClient.create(info.redisUri().orElseThrow());
    this.redis = redisClient.connect();
    this.host = newHost();
  }

  public static Hosted start(HarnessRuntimeInfo info, String... services) {
    return new Hosted(info, Clock.systemUTC(), List.of(services));
  }

  public static Hosted start(HarnessRuntimeInfo info, Clock clock, String... services) {
    return new Hosted(info, clock, List.of(services));
  }

  /** The key prefix the services run under (also the namespace of their event ids). */
  public String prefix() {
    return info.keyPrefix();
  }

  public RedisCommands<String, String> redis() {
    return redis.sync();
  }

  public ReferenceHost host() {
    return host;
  }

  /** Stops the host (draining) and starts a fresh one with the same settings. */
  public synchronized void restart() {
    host.close();
    host = newHost();
  }

  private ReferenceHost newHost() {
    return ReferenceHost.builder()
        .withEnvironment(info.implementationEnvironment())
        .withKeyPrefix(info.keyPrefix())
        .withServices(services)
        .withClock(clock)
        .withHttpPort(0)
        .start();
  }

  @Override
  public synchronized void close() {
    try {
      host.close();
    } finally {
      redis.close();
      redisClient.shutdown();
    }
  }
}
