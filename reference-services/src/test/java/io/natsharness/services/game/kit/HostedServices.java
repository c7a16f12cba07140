package io.natsharness.services.game.kit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.services.host.ReferenceHost;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Developer B's services under test: a {@link ReferenceHost} running a few catalog services on the
 * harness's NATS and Redis under one key prefix, plus a direct Redis connection for tests that
 * look at the stored state. {@link #restart()} stops the host and starts a new one on the same
 * Redis, JetStream and prefix (restart survival).
 *
 * <pre>{@code
 * static HostedServices hosted;
 * @BeforeAll static void start(HarnessRuntimeInfo info) { hosted = HostedServices.start(info, "world_state"); }
 * @AfterAll static void stop() { hosted.close(); }
 * }</pre>
 */
public final class HostedServices implements AutoCloseable {

  private final HarnessRuntimeInfo info;
  private List<String> services;
  private final String prefix;
  private final Clock clock;
  private final RedisClient redisClient;
  private final StatefulRedisConnection<String, String> redis;
  private ReferenceHost host;

  private HostedServices(HarnessRuntimeInfo info, Clock clock, List<String> services) {
    this.info = info;
    this.services = List.copyOf(services);
    this.prefix = info.keyPrefix();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.redisClient = RedisClient.create(info.redisUri().orElseThrow());
    this.redis = redisClient.connect();
    this.host = newHost();
  }

  public static HostedServices start(HarnessRuntimeInfo info, String... services) {
    return new HostedServices(info, Clock.systemUTC(), List.of(services));
  }

  public static HostedServices start(HarnessRuntimeInfo info, Clock clock, String... services) {
    return new HostedServices(info, clock, List.of(services));
  }

  /** The key prefix the services run under (also the prefix of their event ids). */
  public String prefix() {
    return prefix;
  }

  public RedisCommands<String, String> redis() {
    return redis.sync();
  }

  /** The test's own Redis connection (for a service instance a test builds by hand). */
  public StatefulRedisConnection<String, String> redisConnection() {
    return redis;
  }

  public ReferenceHost host() {
    return host;
  }

  /** Stops the host (draining) and starts a fresh one with the same settings. */
  public synchronized void restart() {
    host.close();
    host = newHost();
  }

  /** Stops the host and starts one with only these services (e.g. without a dependency). */
  public synchronized void restartWith(String... only) {
    host.close();
    services = List.of(only);
    host = newHost();
  }

  private ReferenceHost newHost() {
    return ReferenceHost.builder()
        .withEnvironment(info.implementationEnvironment())
        .withKeyPrefix(prefix)
        .withServices(services)
        .withClock(clock)
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
