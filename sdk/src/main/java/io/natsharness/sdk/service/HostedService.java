package io.natsharness.sdk.service;

import io.nats.client.Dispatcher;
import io.nats.service.Service;
import io.nats.service.ServiceBuilder;
import io.nats.service.ServiceEndpoint;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One service of a host: its jnats Service, the dispatcher behind its endpoints, its requests in flight. */
final class HostedService {

  private static final Logger LOG = LoggerFactory.getLogger(HostedService.class);
  /** ADR-32's default queue group, named by WIRE.md. */
  static final String QUEUE_GROUP = "q";

  private final HostRuntime runtime;
  private final Service service;
  private final List<Dispatcher> dispatchers;
  private final InFlight inFlight;

  private HostedService(HostRuntime runtime, Service service, List<Dispatcher> dispatchers, InFlight inFlight) {
    this.runtime = runtime;
    this.service = service;
    this.dispatchers = dispatchers;
    this.inFlight = inFlight;
  }

  /** Registers the definition as an ADR-32 service, one endpoint per method, and starts it. */
  static HostedService start(HostRuntime runtime, ServiceDefinition definition, Executor executor,
      String version, Duration drainTimeout) {
    ServiceInfo info = definition.info();
    Dispatcher real = runtime.connection().createDispatcher();
    InFlight inFlight = new InFlight();
    Dispatcher concurrent = ConcurrentDispatcher.wrap(real, executor, inFlight);
    Dispatcher statsReal = runtime.connection().createDispatcher();
    AtomicReference<Service> self = new AtomicReference<>();
    ServiceBuilder builder = Service.builder()
        .statsDispatcher(CompleteStats.dispatcher(statsReal, runtime.connection(), self::get))
        .connection(runtime.connection())
        .name(info.name())
        .version(version)
        .description(firstLine(info.documentation()))
        .metadata(Map.of("proto_package", info.protoPackage(), "schema", info.schemaFile(),
            "subject_prefix", info.subjectPrefix()))
        .drainTimeout(drainTimeout);
    for (MethodInfo method : info.methods()) {
      builder.addServiceEndpoint(ServiceEndpoint.builder()
          .endpointName(method.name())
          .endpointSubject(method.subject())
          .endpointQueueGroup(QUEUE_GROUP)
          .endpointMetadata(Map.of(
              "request_type", method.requestType().getFullName(),
              "response_type", method.responseType().getFullName(),
              "streaming", Boolean.toString(method.serverStreaming())))
          .handler(new MethodEndpoint(runtime, definition, method))
          .dispatcher(concurrent)
          .build());
    }
    Service service = builder.build();
    self.set(service);
    service.startService();
    return new HostedService(runtime, service, List.of(real, statsReal), inFlight);
  }

  Service service() {
    return service;
  }

  /** Stops the service (jnats drains its subscriptions), then waits for the requests still running. */
  void stop(Duration drainTimeout) {
    try {
      service.stop(true);
    } catch (RuntimeException e) {
      LOG.warn("stopping service {} failed: {}", service.getName(), e.toString());
    }
    try {
      if (!inFlight.awaitIdle(System.nanoTime() + drainTimeout.toNanos())) {
        LOG.warn("service {} stopped with {} requests still running", service.getName(), inFlight.count());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Dispatcher dispatcher : dispatchers) {
      try {
        if (dispatcher.isActive()) {
          runtime.connection().closeDispatcher(dispatcher);
        }
      } catch (RuntimeException e) {
        LOG.debug("dispatcher already closed: {}", e.toString());
      }
    }
  }

  private static String firstLine(String documentation) {
    if (documentation == null || documentation.isBlank()) {
      return "";
    }
    String line = documentation.strip().lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) : line;
  }
}
