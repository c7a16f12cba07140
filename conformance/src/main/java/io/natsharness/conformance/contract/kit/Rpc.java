package io.natsharness.conformance.contract.kit;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceInfo;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.status.RpcException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Calls the methods of one service over the wire, as any client in any language would: a protobuf
 * body on the method's subject with the headers of WIRE.md, nothing interpreted by an SDK (but
 * {@link #async}, see there). Methods are looked up in the catalog by their subject token.
 *
 * <pre>{@code
 * Rpc models = Rpc.of(ctx, "model_management");
 * Model model = models.ok("get", GetRequest.newBuilder().setName("atlas-small").setVersion("1.0.0").build());
 * models.fails("get", GetRequest.newBuilder().setName("nope").setVersion("1").build(), Code.NOT_FOUND);
 * models.call("register").expiredDeadline().fails(request, Code.DEADLINE_EXCEEDED);
 * models.failsOnEach("register", List.of(bad("empty name", "name", nameless)));
 * }</pre>
 */
public final class Rpc {

  private final CheckContext ctx;
  private final ServiceInfo service;

  private Rpc(CheckContext ctx, ServiceInfo service) {
    this.ctx = ctx;
    this.service = service;
  }

  /**
   * The methods of {@code serviceName}.
   *
   * @throws IllegalArgumentException when the catalog has no such service
   */
  public static Rpc of(CheckContext ctx, String serviceName) {
    return new Rpc(ctx, ctx.catalog().service(serviceName).orElseThrow(
        () -> new IllegalArgumentException("the catalog has no service '" + serviceName + "'")));
  }

  /** A request to {@code method} with default headers (protobuf, a deadline of the request timeout). */
  public Call call(String method) {
    return new Call(ctx, method(method));
  }

  /** Sends {@code request} to {@code method} and returns its successful answer. */
  public <R extends Message> R ok(String method, Message request) {
    return call(method).ok(request);
  }

  /** Sends {@code request} to {@code method} and asserts a well-formed error reply with {@code code}. */
  public Status fails(String method, Message request, Code code) {
    return call(method).fails(request, code);
  }

  /** Sends {@code request} and asserts INVALID_ARGUMENT naming {@code field} (see {@link Call#failsOn}). */
  public Status failsOn(String method, Message request, String field) {
    return call(method).failsOn(request, field);
  }

  /** Asserts INVALID_ARGUMENT naming its field for every breaker applied to {@code valid}. */
  @SuppressWarnings("unchecked")
  public <B extends Message.Builder> void failsOnEach(String method, Message valid, List<Breaker<B>> breakers) {
    for (Breaker<B> breaker : breakers) {
      failsOn(method, breaker.apply((B) valid.toBuilder()), breaker.field());
    }
  }

  /** Asserts INVALID_ARGUMENT naming its field for every bad request; a failure names the case. */
  public void failsOnEach(String method, List<Bad> cases) {
    for (Bad bad : cases) {
      try {
        if (bad.messageSuffices()) {
          ErrorDetails.assertNamesField(fails(method, bad.request(), Code.INVALID_ARGUMENT), bad.field());
        } else {
          failsOn(method, bad.request(), bad.field());
        }
      } catch (AssertionError e) {
        throw new AssertionError("case '" + bad.label() + "' of " + method(method).subject() + ": "
            + e.getMessage(), e);
      }
    }
  }

  /**
   * Calls {@code method} with this Idempotency-Key through the SDK's client, without waiting: the
   * checks of concurrent calls fire many at once and read each failure as an {@link RpcException}
   * ({@link #failure}). The future fails with RpcException.
   */
  public <R extends Message> CompletableFuture<R> async(String method, Message request, String idempotencyKey) {
    return ctx.rpc().callAsync(method(method), request, CallOptions.builder().idempotencyKey(idempotencyKey).build());
  }

  /** The RpcException of a failed {@link #async} call, or empty when it succeeded. */
  public static Optional<RpcException> failure(CompletableFuture<?> future) {
    try {
      future.join();
      return Optional.empty();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RpcException rpc) {
        return Optional.of(rpc);
      }
      throw e;
    }
  }

  /** The catalog entry of {@code method}. */
  public MethodInfo method(String method) {
    return service.method(method).orElseThrow(() -> new IllegalArgumentException(
        service.name() + " has no method '" + method + "' in the catalog"));
  }

  public ServiceInfo service() {
    return service;
  }

  public CheckContext context() {
    return ctx;
  }
}
