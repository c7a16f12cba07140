package io.natsharness.conformance.shadow;

import com.google.protobuf.Message;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * A real NATS payment service that answers as the reference one behind it (on another NATS) does,
 * except for what the current mutation changes: the candidate the shadow suite must catch.
 */
final class MutantPayment implements NatsService {

  /** Leaves every answer as it is. */
  static final BiFunction<MethodInfo, Message, Message> NONE = (method, answer) -> answer;

  private final RpcClient backend;
  private final AtomicReference<BiFunction<MethodInfo, Message, Message>> mutation = new AtomicReference<>(NONE);

  MutantPayment(RpcClient backend) {
    this.backend = backend;
  }

  void mutate(BiFunction<MethodInfo, Message, Message> how) {
    mutation.set(how);
  }

  @Override
  public String name() {
    return "payment";
  }

  @Override
  public void bind(Endpoints endpoints) {
    for (MethodInfo method : ServiceCatalog.load().service("payment").orElseThrow().methods()) {
      endpoints.<Message, Message>unary(method.name(), (request, ctx) -> {
        CallOptions.Builder options = CallOptions.builder().requestId(ctx.requestId()).timeout(ctx.remaining());
        ctx.idempotencyKey().ifPresent(options::idempotencyKey);
        Message answer = backend.call(method, request, options.build());
        return mutation.get().apply(method, answer);
      });
    }
  }
}
