package io.natsharness.conformance.mutants;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.MessageHandler;
import io.nats.client.impl.NatsMessage;
import io.nats.service.Endpoint;
import io.nats.service.Service;
import io.nats.service.ServiceBuilder;
import io.nats.service.ServiceEndpoint;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceInfo;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.service.ServiceDefinition;
import io.natsharness.sdk.spi.ImplementationProvider;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * A second host of the reference services, written straight on jnats' Service API, that speaks
 * the wire with one chosen {@link WireFault} (or none: the control). The handlers are the
 * reference's, called through {@link ServiceDefinition#callUnary}/{@link ServiceDefinition#callStream};
 * only how requests and answers travel differs from the SDK's host.
 *
 * <p>Two things jnats does not do by itself are done here as the SDK does them: {@code $SRV.STATS}
 * gets the zero counters jnats leaves out, and an error reply is counted in {@code num_errors}
 * (jnats counts a handler that throws, then answers it with its own error: so its handler sees the
 * request without a reply subject, throws, and our reply goes out afterwards).
 *
 * <p>Each service's requests are served one at a time, on its endpoints' dispatcher: enough for
 * the checks, which never load a service, and the simplest thing that is correct.
 *
 * <pre>{@code
 * Implementation.provider(new WireHost("request-id-not-echoed", WireFault.REQUEST_ID_NOT_ECHOED)).services("router");
 * }</pre>
 *
 * @param name the implementation's name, for reports
 * @param fault how the wire is wrong
 */
record WireHost(String name, WireFault fault) implements ImplementationProvider {

  @Override
  public Running start(Map<String, String> environment) throws Exception {
    ReferenceServices services = ReferenceServices.create(environment);
    Connection nats = services.nats();
    List<Service> started = new ArrayList<>();
    List<Dispatcher> dispatchers = new ArrayList<>();
    Runnable stop = () -> {
      started.forEach(s -> s.stop(true));
      dispatchers.stream().filter(Dispatcher::isActive).forEach(nats::closeDispatcher);
    };
    try {
      for (NatsService service : services.services()) {
        ServiceDefinition definition = ServiceDefinition.of(service);
        Service jnats = register(nats, definition, dispatchers);
        started.add(jnats);
        jnats.startService();
        if (!jnats.isStarted(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("service " + service.name() + " did not start within 10 s");
        }
        if (fault == WireFault.UNKNOWN_METHOD_SWALLOWED) {
          Dispatcher swallow = nats.createDispatcher();
          dispatchers.add(swallow);
          swallow.subscribe(definition.info().subjectPrefix() + ".>", msg -> { });
        }
      }
      services.startBackgroundWork();
    } catch (RuntimeException e) {
      stop.run();
      services.close();
      throw e;
    }
    return new Running() {
      @Override
      public List<String> services() {
        return services.names();
      }

      @Override
      public OptionalInt httpPort() {
        return OptionalInt.empty();
      }

      @Override
      public void close() {
        stop.run();
        services.close();
      }
    };
  }

  /** An ADR-32 service of the definition: an endpoint per method, in queue group q unless the fault says otherwise. */
  private Service register(Connection nats, ServiceDefinition definition, List<Dispatcher> dispatchers) {
    ServiceInfo info = definition.info();
    Dispatcher endpoints = nats.createDispatcher();
    Dispatcher stats = nats.createDispatcher();
    dispatchers.add(endpoints);
    dispatchers.add(stats);
    AtomicReference<Service> self = new AtomicReference<>();
    String description = info.documentation().strip().lines().findFirst().orElse(info.name());
    ServiceBuilder builder = Service.builder().connection(nats).name(info.name()).version(info.version())
        .description(description.isBlank() ? info.name() : description)
        .statsDispatcher(fault == WireFault.STATS_ZEROS_OMITTED ? stats
            : intercept(stats, jnatsHandler -> msg -> nats.publish(msg.getReplyTo(),
                WireBodies.completeStats(self.get().getStatsResponse().toJson()))));
    Dispatcher counted = intercept(endpoints, jnatsHandler -> msg -> {
      WireEndpoint.CURRENT.set(msg);
      try {
        jnatsHandler.onMessage(NatsMessage.builder().subject(msg.getSubject()).build());
      } finally {
        Runnable answer = WireEndpoint.ANSWER_AFTER.get();
        WireEndpoint.CURRENT.remove();
        WireEndpoint.ANSWER_AFTER.remove();
        if (answer != null) {
          answer.run();
        }
      }
    });
    for (MethodInfo method : info.methods()) {
      Endpoint.Builder endpoint = Endpoint.builder().name(method.name()).subject(method.subject());
      builder.addServiceEndpoint(ServiceEndpoint.builder()
          .endpoint(fault == WireFault.NO_QUEUE_GROUP ? endpoint.noQueueGroup().build()
              : endpoint.queueGroup("q").build())
          .handler(new WireEndpoint(nats, definition, method, fault))
          .dispatcher(counted)
          .build());
    }
    Service service = builder.build();
    self.set(service);
    return service;
  }

  /**
   * A dispatcher that subscribes through {@code real} but hands each message to
   * {@code wrap.apply(handler)} instead of the handler jnats subscribed with.
   */
  private static Dispatcher intercept(Dispatcher real, UnaryOperator<MessageHandler> wrap) {
    return (Dispatcher) Proxy.newProxyInstance(Dispatcher.class.getClassLoader(), new Class<?>[] {Dispatcher.class},
        (proxy, method, args) -> {
          int n = args == null ? 0 : args.length;
          if (method.getName().equals("subscribe") && n >= 2 && args[n - 1] instanceof MessageHandler handler) {
            return n == 2 ? real.subscribe((String) args[0], wrap.apply(handler))
                : real.subscribe((String) args[0], (String) args[1], wrap.apply(handler));
          }
          if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
              case "equals" -> proxy == args[0];
              case "hashCode" -> System.identityHashCode(proxy);
              default -> "intercepting " + real;
            };
          }
          try {
            return method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
