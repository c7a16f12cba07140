package io.natsharness.gateway.http;

import com.google.protobuf.Message;
import io.natsharness.proto.diff.Answer;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.status.RpcException;
import io.opentelemetry.context.Scope;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a unary request over NATS without holding a thread while the service works: the call is
 * asynchronous, the exchange is parked, and the answer is written back on the connection's IO
 * thread. Errors become WIRE.md's statuses with a {@code google.rpc.Status} body.
 */
final class NatsForwarder {

  private static final Logger LOG = LoggerFactory.getLogger(NatsForwarder.class);

  private final RpcClient client;
  private final Responses responses;

  NatsForwarder(RpcClient client, Responses responses) {
    this.client = client;
    this.responses = responses;
  }

  /** Calls the route's method and answers the exchange with the result. */
  void forward(HttpServerExchange ex, RequestContext rc, RouteRuntime route, Message request, CallOptions options) {
    rc.upstream = "nats";
    ex.getResponseHeaders().put(Responses.UPSTREAM, "nats");
    CompletableFuture<Message> call = call(rc, route, request, options);
    ex.dispatch(SameThreadExecutor.INSTANCE, () -> call.whenComplete((response, error) -> responses.resume(ex, e -> {
      if (error == null) {
        responses.send(e, 200, responses.transcoder().encodeJson(response));
      } else {
        responses.error(e, asRpc(error, rc));
      }
    })));
  }

  /** The same call for SHADOW: its answer as an {@link Answer}, never failing. */
  CompletableFuture<Answer> mirror(RequestContext rc, RouteRuntime route, Message request, CallOptions options) {
    return call(rc, route, request, options).handle((response, error) -> {
      if (error == null) {
        return Answer.of(response);
      }
      RpcException e = asRpc(error, rc);
      return Answer.error(e.code(), e.statusMessage());
    });
  }

  private CompletableFuture<Message> call(RequestContext rc, RouteRuntime route, Message request, CallOptions options) {
    // The trace context of the HTTP request is current while the client builds the NATS headers.
    try (Scope ignored = rc.trace.makeCurrent()) {
      return client.callAsync(route.method(), request, options);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  static RpcException asRpc(Throwable error, RequestContext rc) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof RpcException rpc) {
      return rpc;
    }
    LOG.error("request {} failed inside the gateway", rc.requestId, t);
    return RpcException.internal("internal error (request id " + rc.requestId + ")");
  }
}
