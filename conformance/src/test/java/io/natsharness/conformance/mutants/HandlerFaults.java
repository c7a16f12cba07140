package io.natsharness.conformance.mutants;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.StreamHandler;
import io.natsharness.sdk.service.StreamSink;
import io.natsharness.sdk.service.UnaryHandler;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The handler-level faults: each one a small, plausible bug of a service written on our SDK, made
 * by decorating the reference handlers (nothing of the reference code changes).
 *
 * <pre>{@code
 * NatsService mutant = HandlerFaults.idempotencyKeyIgnored().applyTo(new PaymentService(ctx));
 * }</pre>
 */
final class HandlerFaults {

  private HandlerFaults() {}

  /** Answers {@code to} wherever the reference answers {@code from} (message and details kept). */
  static HandlerFault errorCodeReplaced(Code from, Code to) {
    return errors(e -> e.code() != from ? e
        : new RpcException(e.status().toBuilder().setCode(to.getNumber()).build()));
  }

  /**
   * Error messages lose every character outside printable ASCII, as when a message is copied from
   * the header (which must be ASCII) into the body.
   */
  static HandlerFault errorMessagesFlattenedToAscii() {
    return errors(e -> new RpcException(e.status().toBuilder()
        .setMessage(e.statusMessage().replaceAll("[^\\x20-\\x7e]", "?")).build()));
  }

  /** Every request carries a fresh Idempotency-Key, so a repeat looks new (when it had one at all). */
  static HandlerFault idempotencyKeyIgnored() {
    return calls(call -> call.idempotencyKey().isEmpty() ? call
        : copy(call).header(WireHeaders.IDEMPOTENCY_KEY, UUID.randomUUID().toString()).build());
  }

  /** {@code expected_version} is dropped from every request: a compare-and-set that always succeeds. */
  static HandlerFault expectedVersionIgnored() {
    return requests(request -> {
      FieldDescriptor field = request.getDescriptorForType().findFieldByName("expected_version");
      return field == null ? request : request.toBuilder().clearField(field).build();
    });
  }

  /** A request's {@code seed} is replaced by a random one: the answer is no longer a function of the input. */
  static HandlerFault seedRandomized() {
    return requests(request -> {
      FieldDescriptor field = request.getDescriptorForType().findFieldByName("seed");
      return field == null ? request
          : request.toBuilder().setField(field, ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)).build();
    });
  }

  /**
   * The handler runs in a fresh root context (as on a thread pool that does not carry the context):
   * downstream calls neither continue the trace nor inherit the deadline.
   */
  static HandlerFault contextDropped() {
    return scoped(() -> Context.root());
  }

  /**
   * The handler keeps the trace but works to a budget of its own instead of the caller's deadline
   * (its call context and its current context both lose it): downstream calls carry the later one.
   */
  static HandlerFault deadlineReplaced(Duration budget) {
    HandlerFault ownBudget = calls(call -> copy(call).deadline(Instant.now().plus(budget)).build());
    HandlerFault noInheritedDeadline = scoped(() -> Context.root().with(Span.current()));
    return new HandlerFault() {
      @Override
      public <Q extends Message, R extends Message> UnaryHandler<Q, R> unary(MethodInfo method,
          UnaryHandler<Q, R> handler) {
        return noInheritedDeadline.unary(method, ownBudget.unary(method, handler));
      }

      @Override
      public <Q extends Message, R extends Message> StreamHandler<Q, R> stream(MethodInfo method,
          StreamHandler<Q, R> handler) {
        return noInheritedDeadline.stream(method, ownBudget.stream(method, handler));
      }
    };
  }

  /** The {@code n}th chunk of every stream is never sent; the others go out numbered as if it did not exist. */
  static HandlerFault streamChunkDropped(int n) {
    return new HandlerFault() {
      @Override
      public <Q extends Message, R extends Message> StreamHandler<Q, R> stream(MethodInfo method,
          StreamHandler<Q, R> handler) {
        return (request, call, sink) -> handler.handle(request, call, new StreamSink<R>() {
          private int sent;

          @Override
          public void send(R message) {
            if (++sent != n) {
              sink.send(message);
            }
          }

          @Override
          public boolean isCancelled() {
            return sink.isCancelled();
          }
        });
      }
    };
  }

  /** A builder that makes a copy of {@code call}, to change one thing of it. */
  private static CallContext.Builder copy(CallContext call) {
    return CallContext.builder().method(call.method()).deadline(call.deadline()).requestId(call.requestId())
        .headers(call.headers()).contentType(call.contentType());
  }

  /** Rewrites every error a handler throws. */
  private static HandlerFault errors(UnaryOperator<RpcException> rewrite) {
    return new HandlerFault() {
      @Override
      public <Q extends Message, R extends Message> UnaryHandler<Q, R> unary(MethodInfo method,
          UnaryHandler<Q, R> handler) {
        return (request, call) -> {
          try {
            return handler.handle(request, call);
          } catch (RpcException e) {
            throw rewrite.apply(e);
          }
        };
      }

      @Override
      public <Q extends Message, R extends Message> StreamHandler<Q, R> stream(MethodInfo method,
          StreamHandler<Q, R> handler) {
        return (request, call, sink) -> {
          try {
            handler.handle(request, call, sink);
          } catch (RpcException e) {
            throw rewrite.apply(e);
          }
        };
      }
    };
  }

  /** Changes the call context a handler sees. */
  private static HandlerFault calls(UnaryOperator<CallContext> change) {
    return new HandlerFault() {
      @Override
      public <Q extends Message, R extends Message> UnaryHandler<Q, R> unary(MethodInfo method,
          UnaryHandler<Q, R> handler) {
        return (request, call) -> handler.handle(request, change.apply(call));
      }

      @Override
      public <Q extends Message, R extends Message> StreamHandler<Q, R> stream(MethodInfo method,
          StreamHandler<Q, R> handler) {
        return (request, call, sink) -> handler.handle(request, change.apply(call), sink);
      }
    };
  }

  /** Changes the request a handler sees (the type stays the method's request type). */
  private static HandlerFault requests(UnaryOperator<Message> change) {
    return new HandlerFault() {
      @Override
      @SuppressWarnings("unchecked")
      public <Q extends Message, R extends Message> UnaryHandler<Q, R> unary(MethodInfo method,
          UnaryHandler<Q, R> handler) {
        return (request, call) -> handler.handle((Q) change.apply(request), call);
      }

      @Override
      @SuppressWarnings("unchecked")
      public <Q extends Message, R extends Message> StreamHandler<Q, R> stream(MethodInfo method,
          StreamHandler<Q, R> handler) {
        return (request, call, sink) -> handler.handle((Q) change.apply(request), call, sink);
      }
    };
  }

  /** Runs each handler with the context {@code context} gives as the current one. */
  private static HandlerFault scoped(Supplier<Context> context) {
    return new HandlerFault() {
      @Override
      public <Q extends Message, R extends Message> UnaryHandler<Q, R> unary(MethodInfo method,
          UnaryHandler<Q, R> handler) {
        return (request, call) -> {
          try (Scope ignored = context.get().makeCurrent()) {
            return handler.handle(request, call);
          }
        };
      }

      @Override
      public <Q extends Message, R extends Message> StreamHandler<Q, R> stream(MethodInfo method,
          StreamHandler<Q, R> handler) {
        return (request, call, sink) -> {
          try (Scope ignored = context.get().makeCurrent()) {
            handler.handle(request, call, sink);
          }
        };
      }
    };
  }
}
