package io.natsharness.conformance.mutants;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.events.EventPublisher;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.spi.ImplementationProvider;
import io.natsharness.services.host.ServiceClasses;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.ServiceLifecycle;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reference services that {@code NH_SERVICES} names, built the way the reference host builds
 * them (same {@link ServiceContext}: Redis under {@code NH_KEY_PREFIX}, events, an RPC client for
 * hops, world seed 42), but without a host: the mutant hosts serve them, each in its own way.
 *
 * <pre>{@code
 * try (ReferenceServices services = ReferenceServices.create(environment)) {
 *   ServiceHost.builder().connection(services.nats()).add(services.services().toArray(NatsService[]::new));
 * }
 * }</pre>
 */
final class ReferenceServices implements AutoCloseable {

  private final Connection nats;
  private final RedisClient redisClient;
  private final StatefulRedisConnection<String, String> redis;
  private final RpcClient rpc;
  private final List<NatsService> services;

  private ReferenceServices(Connection nats, RedisClient redisClient, StatefulRedisConnection<String, String> redis,
      RpcClient rpc, List<NatsService> services) {
    this.nats = nats;
    this.redisClient = redisClient;
    this.redis = redis;
    this.rpc = rpc;
    this.services = services;
  }

  /** Connects to NATS_URL and REDIS_URL and creates the services of NH_SERVICES. */
  static ReferenceServices create(Map<String, String> env) throws IOException, InterruptedException {
    String natsUrl = required(env, ImplementationProvider.NATS_URL);
    String redisUrl = required(env, ImplementationProvider.REDIS_URL);
    Connection nats = Nats.connect(new Options.Builder().servers(natsUrl.split(","))
        .connectionTimeout(Duration.ofSeconds(5)).errorListener(new ErrorListener() {}).build());
    RedisClient redisClient = RedisClient.create(redisUrl);
    StatefulRedisConnection<String, String> redis = redisClient.connect();
    RpcClient rpc = RpcClient.builder().connection(nats).build();
    ServiceContext ctx = new ServiceContext(redis, env.getOrDefault(ImplementationProvider.NH_KEY_PREFIX, "nh:"),
        EventPublisher.create(nats), rpc, Clock.systemUTC(), ServiceContext.DEFAULT_WORLD_SEED, nats);
    List<NatsService> services = new ArrayList<>();
    ServiceClasses.select(env.getOrDefault(ImplementationProvider.NH_SERVICES, "all"))
        .forEach(info -> services.add(ServiceClasses.instantiate(info, ctx)));
    return new ReferenceServices(nats, redisClient, redis, rpc, services);
  }

  Connection nats() {
    return nats;
  }

  /** The services, in catalog order. */
  List<NatsService> services() {
    return services;
  }

  /** The service named {@code name}, if it is one of them. */
  Optional<NatsService> service(String name) {
    return services.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  /** Names of the services, in catalog order. */
  List<String> names() {
    return services.stream().map(NatsService::name).toList();
  }

  /** Starts each service's background work, as the reference host does once they answer. */
  void startBackgroundWork() {
    services.stream().filter(ServiceLifecycle.class::isInstance).map(ServiceLifecycle.class::cast)
        .forEach(ServiceLifecycle::start);
  }

  /** Stops the background work, then the connections; the caller has stopped serving already. */
  @Override
  public void close() {
    for (int i = services.size() - 1; i >= 0; i--) {
      if (services.get(i) instanceof ServiceLifecycle lifecycle) {
        lifecycle.close();
      }
    }
    rpc.close();
    redis.close();
    redisClient.shutdown();
    try {
      nats.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String required(Map<String, String> env, String key) {
    String value = env.get(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(key + " is missing from the environment the harness gave");
    }
    return value;
  }
}
