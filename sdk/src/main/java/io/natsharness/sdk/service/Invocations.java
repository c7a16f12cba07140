package io.natsharness.sdk.service;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.status.RpcException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;

/** The error mapping shared by the NATS host and direct invocation. */
final class Invocations {

  /** What a caller sees for a handler bug: nothing about the bug itself. */
  static final String INTERNAL_MESSAGE = "internal error (request id %s)";

  private Invocations() {}

  /** Refuses a request that is past its deadline or of the wrong type, before the handler runs. */
  static void checkRequest(MethodInfo method, Message request, CallContext ctx) {
    if (ctx.isExpired()) {
      throw RpcException.deadlineExceeded("deadline of " + method.subject() + " passed before the handler ran");
    }
    if (request == null || !request.getDescriptorForType().equals(method.requestType())) {
      throw RpcException.invalidArgument("", "request for " + method.subject() + " must be "
          + method.requestType().getFullName() + ", not "
          + (request == null ? "null" : request.getDescriptorForType().getFullName()));
    }
  }

  /** Maps a handler's throwable: RpcException passes through, anything else becomes INTERNAL. */
  static RpcException toRpcException(MethodInfo method, CallContext ctx, Throwable thrown, Logger log) {
    Throwable t = unwrap(thrown);
    if (t instanceof RpcException rpc) {
      return rpc;
    }
    if (t instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new RpcException(Code.CANCELLED, "handler of " + method.subject() + " was interrupted");
    }
    log.error("handler of {} failed (request id {})", method.subject(), ctx.requestId(), t);
    return new RpcException(Code.INTERNAL, String.format(INTERNAL_MESSAGE, ctx.requestId()));
  }

  private static Throwable unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
