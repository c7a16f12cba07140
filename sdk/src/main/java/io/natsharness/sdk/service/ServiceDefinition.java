package io.natsharness.sdk.service;

import com.google.protobuf.Message;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import io.natsharness.sdk.status.RpcException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link NatsService} bound and checked against the catalog: every method of the service bound
 * exactly once, unary or streaming as the catalog says. The service host serves it over NATS; a
 * non-NATS front end (a service's legacy HTTP side) calls the same handlers with the same error
 * mapping through {@link #callUnary} and {@link #callStream}.
 *
 * <pre>{@code
 * ServiceDefinition payment = ServiceDefinition.of(new PaymentService(redis));
 * CallContext ctx = CallContext.builder().method(payment.method("get_balance")).build();
 * Wallet wallet = (Wallet) payment.callUnary("get_balance", request, ctx);
 * }</pre>
 */
public final class ServiceDefinition {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceDefinition.class);

  private final NatsService service;
  private final ServiceInfo info;
  private final Map<String, Binding> bindings;

  private ServiceDefinition(NatsService service, ServiceInfo info, Map<String, Binding> bindings) {
    this.service = service;
    this.info = info;
    this.bindings = bindings;
  }

  /**
   * Binds the service and checks it against the catalog.
   *
   * @throws IllegalArgumentException naming the service and method when the name is not in the
   *     catalog, a method is unknown, bound twice, bound with the wrong kind, or left unbound
   */
  public static ServiceDefinition of(NatsService service) {
    Objects.requireNonNull(service, "service");
    String name = service.name();
    ServiceInfo info = ServiceCatalog.load().service(name).orElseThrow(() -> new IllegalArgumentException(
        "service '" + name + "' is not in the catalog (known: "
            + ServiceCatalog.load().services().stream().map(ServiceInfo::name).toList() + ")"));
    Binder binder = new Binder(info);
    service.bind(binder);
    List<String> unbound = info.methods().stream().map(MethodInfo::name)
        .filter(m -> !binder.bindings.containsKey(m)).toList();
    if (!unbound.isEmpty()) {
      throw new IllegalArgumentException("service '" + name + "' leaves methods unbound: " + unbound);
    }
    return new ServiceDefinition(service, info, Map.copyOf(binder.bindings));
  }

  /** The catalog entry of the service. */
  public ServiceInfo info() {
    return info;
  }

  /** The implementation this definition binds. */
  public NatsService service() {
    return service;
  }

  /**
   * The catalog method by its subject-style name.
   *
   * @throws IllegalArgumentException when the service has no such method
   */
  public MethodInfo method(String method) {
    return info.method(method).orElseThrow(() -> new IllegalArgumentException(
        "service '" + info.name() + "' has no method '" + method + "'"));
  }

  /**
   * Calls a unary handler with the wire's error mapping: a request past its deadline is answered
   * DEADLINE_EXCEEDED without running the handler; an RpcException passes through; any other
   * exception becomes INTERNAL with a generic message and is logged with the request id.
   *
   * @throws RpcException for every failure
   */
  public Message callUnary(String method, Message request, CallContext ctx) {
    Binding binding = binding(method, false);
    Invocations.checkRequest(binding.method, request, ctx);
    try {
      Message response = binding.unary.handle(request, ctx);
      if (response == null) {
        throw new IllegalStateException("handler of " + binding.method.subject() + " returned null");
      }
      return response;
    } catch (Exception | LinkageError | AssertionError e) {
      throw Invocations.toRpcException(binding.method, ctx, e, LOG);
    }
  }

  /**
   * Calls a streaming handler with the same mapping as {@link #callUnary}; the handler's chunks go
   * to {@code sink}. Returns when the handler returns (the stream's end).
   *
   * @throws RpcException when the stream fails (before or part way)
   */
  public void callStream(String method, Message request, CallContext ctx, StreamSink<Message> sink) {
    Binding binding = binding(method, true);
    Invocations.checkRequest(binding.method, request, ctx);
    try {
      binding.stream.handle(request, ctx, sink);
    } catch (Exception | LinkageError | AssertionError e) {
      throw Invocations.toRpcException(binding.method, ctx, e, LOG);
    }
  }

  /** Whether {@code method} is server streaming (per the catalog). */
  public boolean isStreaming(String method) {
    return method(method).serverStreaming();
  }

  private Binding binding(String method, boolean streaming) {
    Binding binding = bindings.get(method);
    if (binding == null) {
      throw RpcException.unimplemented("service '" + info.name() + "' has no method '" + method + "'");
    }
    if (binding.method.serverStreaming() != streaming) {
      throw new IllegalArgumentException(binding.method.subject() + " is "
          + (binding.method.serverStreaming() ? "server streaming: use callStream" : "unary: use callUnary"));
    }
    return binding;
  }

  /** One bound method; exactly one of unary and stream is set. */
  record Binding(MethodInfo method, UnaryHandler<Message, Message> unary, StreamHandler<Message, Message> stream) {}

  /** Package-private accessor for the host. */
  Map<String, Binding> bindings() {
    return bindings;
  }

  private static final class Binder implements Endpoints {
    private final ServiceInfo info;
    private final Map<String, Binding> bindings = new LinkedHashMap<>();

    Binder(ServiceInfo info) {
      this.info = info;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <Q extends Message, R extends Message> Endpoints unary(String method, UnaryHandler<Q, R> handler) {
      MethodInfo m = check(method, handler, false);
      bindings.put(method, new Binding(m, (UnaryHandler<Message, Message>) handler, null));
      return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <Q extends Message, R extends Message> Endpoints stream(String method, StreamHandler<Q, R> handler) {
      MethodInfo m = check(method, handler, true);
      bindings.put(method, new Binding(m, null, (StreamHandler<Message, Message>) handler));
      return this;
    }

    private MethodInfo check(String method, Object handler, boolean streaming) {
      Objects.requireNonNull(handler, "handler of " + method);
      MethodInfo m = info.method(method).orElseThrow(() -> new IllegalArgumentException(
          "service '" + info.name() + "' has no method '" + method + "' in the catalog (methods: "
              + info.methods().stream().map(MethodInfo::name).toList() + ")"));
      if (bindings.containsKey(method)) {
        throw new IllegalArgumentException("method '" + method + "' of service '" + info.name() + "' is bound twice");
      }
      if (m.serverStreaming() != streaming) {
        throw new IllegalArgumentException("method '" + method + "' of service '" + info.name() + "' is "
            + (m.serverStreaming() ? "server streaming: bind it with stream(..)" : "unary: bind it with unary(..)"));
      }
      return m;
    }
  }
}
