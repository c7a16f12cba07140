package io.natsharness.services.host;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.nats.client.Connection;
import io.natsharness.proto.catalog.ServiceInfo;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.events.EventPublisher;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.service.ServiceDefinition;
import io.natsharness.sdk.service.ServiceHost;
import io.natsharness.services.host.http.HealthCheck;
import io.natsharness.services.host.http.HttpFrontEnd;
import io.natsharness.services.host.metrics.MeteredService;
import io.natsharness.services.host.metrics.MethodMetrics;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.ServiceLifecycle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running parts of a {@link ReferenceHost}, started in order and closed in reverse. */
final class HostRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(HostRuntime.class);

  private final List<String> services;
  private final PrometheusMeterRegistry metrics;
  private final HttpFrontEnd http;
  private final String httpHost;
  private final Deque<Runnable> closers;
  private final AtomicBoolean closed = new AtomicBoolean();

  private HostRuntime(List<String> services, PrometheusMeterRegistry metrics, HttpFrontEnd http,
      String httpHost, Deque<Runnable> closers) {
    this.services = List.copyOf(services);
    this.metrics = metrics;
    this.http = http;
    this.httpHost = httpHost;
    this.closers = closers;
  }

  static HostRuntime start(HostSettings settings) {
    List<ServiceInfo> chosen = ServiceClasses.select(settings.services());
    Deque<Runnable> closers = new ArrayDeque<>();
    try {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      closers.push(registry::close);
      Connection nats = Connections.nats(settings);
      closers.push(() -> closeNats(nats));
      RedisClient redisClient = Connections.redisClient(settings);
      closers.push(redisClient::shutdown);
      StatefulRedisConnection<String, String> redis = Connections.redis(redisClient, settings);
      closers.push(redis::close);
      RpcClient rpc = RpcClient.builder().connection(nats).meterRegistry(registry).build();
      closers.push(rpc::close);
      ServiceContext ctx = new ServiceContext(redis, settings.keyPrefix(), EventPublisher.create(nats), rpc,
          settings.clock(), settings.worldSeed(), nats);

      List<NatsService> instances = new ArrayList<>();
      for (ServiceInfo service : chosen) {
        instances.add(ServiceClasses.instantiate(service, ctx));
      }
      MethodMetrics methodMetrics = new MethodMetrics(registry);
      ServiceHost.Builder hostBuilder = ServiceHost.builder().connection(nats)
          .drainTimeout(settings.drainTimeout());
      instances.forEach(s -> hostBuilder.add(new MeteredService(s, methodMetrics, MethodMetrics.NATS)));
      ServiceHost serviceHost = hostBuilder.build();
      serviceHost.start();
      // The endpoints' SUBs are only buffered when start() returns; a PING/PONG round trip makes the
      // server know them, so a request sent right after start() finds a responder.
      flush(nats);
      List<ServiceLifecycle> lifecycles = new ArrayList<>();
      // NATS drains first, then the background work stops (latest started first).
      closers.push(() -> {
        serviceHost.close();
        for (int i = lifecycles.size() - 1; i >= 0; i--) {
          lifecycles.get(i).close();
        }
      });
      for (NatsService instance : instances) {
        if (instance instanceof ServiceLifecycle lifecycle) {
          lifecycles.add(lifecycle);
          lifecycle.start();
        }
      }

      List<ServiceDefinition> definitions = instances.stream().map(ServiceDefinition::of).toList();
      HttpFrontEnd http = HttpFrontEnd.start(settings.httpHost(), settings.httpPort(), definitions, methodMetrics,
          registry, new HealthCheck(nats, redis));
      Duration drain = settings.drainTimeout();
      closers.push(() -> http.close(drain));
      List<String> names = chosen.stream().map(ServiceInfo::name).toList();
      LOG.info("reference host runs {} service(s) on NATS {} and http://{}:{} ({} with background work)",
          names.size(), settings.natsUrl(), settings.httpHost(), http.port(), lifecycles.size());
      return new HostRuntime(names, registry, http, settings.httpHost(), closers);
    } catch (RuntimeException | Error e) {
      runAll(closers);
      throw e;
    }
  }

  List<String> services() {
    return services;
  }

  int httpPort() {
    return http.port();
  }

  String httpUrl() {
    String host = httpHost.contains(":") ? "[" + httpHost + "]" : httpHost;
    return "http://" + host + ":" + http.port();
  }

  PrometheusMeterRegistry metrics() {
    return metrics;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      runAll(closers);
      LOG.info("reference host stopped");
    }
  }

  private static void runAll(Deque<Runnable> closers) {
    while (!closers.isEmpty()) {
      try {
        closers.pop().run();
      } catch (RuntimeException e) {
        LOG.warn("error while stopping the host", e);
      }
    }
  }

  private static void flush(Connection nats) {
    try {
      nats.flush(Duration.ofSeconds(5));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("NATS did not confirm the service subscriptions within 5 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the host", e);
    }
  }

  private static void closeNats(Connection nats) {
    try {
      nats.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
