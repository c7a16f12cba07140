package io.natsharness.conformance.mutants;

import com.google.protobuf.Message;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.service.StreamHandler;
import io.natsharness.sdk.service.UnaryHandler;

/**
 * A fault in what a reference service's handlers do: it decorates the handlers a service binds,
 * so the SDK's host still speaks the wire correctly and only the behaviour is wrong. By default a
 * fault leaves a handler as it is; each fault overrides the kind it breaks.
 *
 * <pre>{@code
 * HandlerFault rude = new HandlerFault() {
 *   public <Q extends Message, R extends Message> UnaryHandler<Q, R> unary(MethodInfo m, UnaryHandler<Q, R> h) {
 *     return (request, ctx) -> { throw RpcException.internal("no"); };
 *   }
 * };
 * NatsService broken = rude.applyTo(new NpcBehaviorService(ctx));
 * }</pre>
 */
interface HandlerFault {

  /** No fault at all: the control. */
  HandlerFault NONE = new HandlerFault() {};

  /** The handler of a unary method, as the fault makes it. */
  default <Q extends Message, R extends Message> UnaryHandler<Q, R> unary(MethodInfo method,
      UnaryHandler<Q, R> handler) {
    return handler;
  }

  /** The handler of a streaming method, as the fault makes it. */
  default <Q extends Message, R extends Message> StreamHandler<Q, R> stream(MethodInfo method,
      StreamHandler<Q, R> handler) {
    return handler;
  }

  /** {@code service} with every handler it binds passed through this fault. */
  default NatsService applyTo(NatsService service) {
    HandlerFault fault = this;
    return new NatsService() {
      @Override
      public String name() {
        return service.name();
      }

      @Override
      public void bind(Endpoints endpoints) {
        service.bind(new Endpoints() {
          @Override
          public <Q extends Message, R extends Message> Endpoints unary(String method, UnaryHandler<Q, R> handler) {
            endpoints.unary(method, fault.unary(method(service.name(), method), handler));
            return this;
          }

          @Override
          public <Q extends Message, R extends Message> Endpoints stream(String method, StreamHandler<Q, R> handler) {
            endpoints.stream(method, fault.stream(method(service.name(), method), handler));
            return this;
          }
        });
      }
    };
  }

  private static MethodInfo method(String service, String method) {
    return ServiceCatalog.load().service(service).flatMap(s -> s.method(method)).orElseThrow(
        () -> new IllegalArgumentException(service + " has no method " + method + " in the catalog"));
  }
}
