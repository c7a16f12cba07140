package io.natsharness.conformance.contract.infra.kit;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceInfo;
import java.util.List;

/**
 * Calls the methods of one service over the wire, as any client in any language would: a protobuf
 * body on the method's subject with the headers of WIRE.md, nothing interpreted by an SDK.
 *
 * <pre>{@code
 * Rpc models = Rpc.of(ctx, "model_management");
 * Model model = models.ok("get", GetRequest.newBuilder().setName("atlas-small").setVersion("1.0.0").build());
 * models.fails("get", GetRequest.newBuilder().setName("nope").setVersion("1").build(), Code.NOT_FOUND);
 * models.call("register").expiredDeadline().fails(request, Code.DEADLINE_EXCEEDED);
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

  /** The catalog entry of {@code method}. */
  public MethodInfo method(String method) {
    return service.method(method).orElseThrow(() -> new IllegalArgumentException(
        service.name() + " has no method '" + method + "' in the catalog"));
  }

  public ServiceInfo service() {
    return service;
  }
}
