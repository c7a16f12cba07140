package io.natsharness.services.host.metrics;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.service.StreamHandler;
import io.natsharness.sdk.service.UnaryHandler;
import java.util.Objects;

/**
 * A service whose handlers record {@link MethodMetrics} for one transport; behaviour unchanged.
 * The host registers these with the SDK's ServiceHost (transport {@code nats}); the HTTP side
 * measures at its own edge, so its figures include decoding errors.
 *
 * <pre>{@code
 * ServiceHost.builder().connection(nats).add(new MeteredService(payment, metrics, MethodMetrics.NATS));
 * }</pre>
 */
public final class MeteredService implements NatsService {

  private final NatsService delegate;
  private final MethodMetrics metrics;
  private final String transport;

  public MeteredService(NatsService delegate, MethodMetrics metrics, String transport) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.transport = Objects.requireNonNull(transport, "transport");
  }

  /** The wrapped service. */
  public NatsService delegate() {
    return delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public void bind(Endpoints endpoints) {
    delegate.bind(new Endpoints() {
      @Override
      public <Q extends Message, R extends Message> Endpoints unary(String method, UnaryHandler<Q, R> handler) {
        endpoints.unary(method, (UnaryHandler<Q, R>) (request, call) -> {
          long start = System.nanoTime();
          try {
            R response = handler.handle(request, call);
            metrics.record(call.method(), transport, Code.OK, System.nanoTime() - start);
            return response;
          } catch (Exception | Error e) {
            metrics.record(call.method(), transport, MethodMetrics.codeOf(e), System.nanoTime() - start);
            throw e;
          }
        });
        return this;
      }

      @Override
      public <Q extends Message, R extends Message> Endpoints stream(String method, StreamHandler<Q, R> handler) {
        endpoints.stream(method, (StreamHandler<Q, R>) (request, call, sink) -> {
          long start = System.nanoTime();
          try {
            handler.handle(request, call, sink);
            metrics.record(call.method(), transport, Code.OK, System.nanoTime() - start);
          } catch (Exception | Error e) {
            metrics.record(call.method(), transport, MethodMetrics.codeOf(e), System.nanoTime() - start);
            throw e;
          }
        });
        return this;
      }
    });
  }
}
