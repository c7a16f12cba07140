package io.natsharness.sdk.service;

import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.impl.NatsMessage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A jnats {@link Dispatcher} that runs each message's handler on an executor instead of the
 * dispatcher's single thread.
 *
 * <p>Why: jnats' Service API calls an endpoint's handler on its dispatcher thread, one message at a
 * time, so one slow handler would stall every request behind it. Handing jnats this dispatcher
 * moves the call of jnats' own per-endpoint handler (which counts {@code num_requests},
 * {@code num_errors} and processing time) onto the executor, so requests run concurrently and
 * the counting stays jnats'.
 *
 * <p>jnats' handler gets a copy of the message without a reply subject; the real message is
 * available to our endpoint handler through {@link #CURRENT}. That way, when our handler throws
 * after answering an error itself (so that jnats counts it in {@code num_errors}), jnats' own
 * fallback error reply has nowhere to go and the caller receives exactly one reply.
 *
 * <p>When the executor refuses work (all threads busy and the queue full), jnats' handler runs on
 * the dispatcher thread with {@link #REJECTED} set, and our handler answers UNAVAILABLE at once.
 */
final class ConcurrentDispatcher {

  /** The message being handled on this thread, with its reply subject. */
  static final ThreadLocal<Message> CURRENT = new ThreadLocal<>();
  /** Set while a message the executor refused is being answered. */
  static final ThreadLocal<Boolean> REJECTED = new ThreadLocal<>();
  /**
   * An error answer to send once jnats' handler has returned: jnats counts the error when our
   * handler throws, so answering afterwards means a caller who reads {@code $SRV.STATS} right after
   * its error reply sees the error counted.
   */
  static final ThreadLocal<Runnable> ANSWER_AFTER = new ThreadLocal<>();

  private final Dispatcher delegate;
  private final Executor executor;
  private final InFlight inFlight;
  /** jnats drains once per endpoint; the shared subscriptions are drained once. */
  private CompletableFuture<Boolean> draining;

  private ConcurrentDispatcher(Dispatcher delegate, Executor executor, InFlight inFlight) {
    this.delegate = delegate;
    this.executor = executor;
    this.inFlight = inFlight;
  }

  /** A dispatcher that subscribes through {@code delegate} and handles on {@code executor}. */
  static Dispatcher wrap(Dispatcher delegate, Executor executor, InFlight inFlight) {
    ConcurrentDispatcher wrapper = new ConcurrentDispatcher(delegate, executor, inFlight);
    return (Dispatcher) Proxy.newProxyInstance(Dispatcher.class.getClassLoader(),
        new Class<?>[] {Dispatcher.class}, (proxy, method, args) -> wrapper.invoke(proxy, method, args));
  }

  private Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    int count = args == null ? 0 : args.length;
    if (name.equals("subscribe") && count == 2 && args[1] instanceof MessageHandler handler) {
      return delegate.subscribe((String) args[0], concurrent(handler));
    }
    if (name.equals("subscribe") && count == 3 && args[2] instanceof MessageHandler handler) {
      return delegate.subscribe((String) args[0], (String) args[1], concurrent(handler));
    }
    if (name.equals("drain") && count == 1 && args[0] instanceof Duration timeout) {
      return drain(timeout);
    }
    if (method.getDeclaringClass() == Object.class) {
      return switch (name) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> "ConcurrentDispatcher[" + delegate + "]";
      };
    }
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** Drains the subscriptions, then waits for the handlers already running. */
  private synchronized CompletableFuture<Boolean> drain(Duration timeout) throws InterruptedException {
    if (draining != null) {
      return draining;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<Boolean> subscriptions = delegate.drain(timeout);
    draining = subscriptions.thenApplyAsync(drained -> {
      try {
        return inFlight.awaitIdle(deadline) && Boolean.TRUE.equals(drained);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
    return draining;
  }

  private MessageHandler concurrent(MessageHandler jnatsHandler) {
    return msg -> {
      // jnats' handler sees no reply subject: see the class comment.
      Message stub = NatsMessage.builder().subject(msg.getSubject()).build();
      inFlight.enter();
      try {
        executor.execute(() -> run(jnatsHandler, msg, stub, false));
      } catch (RejectedExecutionException e) {
        run(jnatsHandler, msg, stub, true);
      }
    };
  }

  private void run(MessageHandler jnatsHandler, Message msg, Message stub, boolean rejected) {
    CURRENT.set(msg);
    if (rejected) {
      REJECTED.set(Boolean.TRUE);
    }
    try {
      jnatsHandler.onMessage(stub);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      Runnable answer = ANSWER_AFTER.get();
      CURRENT.remove();
      REJECTED.remove();
      ANSWER_AFTER.remove();
      try {
        if (answer != null) {
          answer.run();
        }
      } finally {
        inFlight.exit();
      }
    }
  }
}
