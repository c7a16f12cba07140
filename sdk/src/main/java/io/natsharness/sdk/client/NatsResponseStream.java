package io.natsharness.sdk.client;

import com.google.protobuf.Message;
import io.nats.client.Connection;
import io.nats.client.Subscription;
import io.natsharness.sdk.internal.WireCodec;
import io.natsharness.sdk.internal.WireErrors;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * The caller's side of WIRE.md's server streaming: a private inbox with bounded pending limits
 * (jnats drops what exceeds them, and the stream then fails RESOURCE_EXHAUSTED instead of growing),
 * chunks checked for sequence, the end marker or an error end, an idle timeout and the deadline.
 * Not thread-safe, like any iterator.
 */
final class NatsResponseStream<R extends Message> implements ResponseStream<R> {

  private enum State { OPEN, ENDED, FAILED, CLOSED }

  private final CallPlan plan;
  private final Subscription subscription;
  private final Optional<Duration> idleTimeout;
  private final Executor publisherExecutor;
  private final Consumer<RpcException> onEnd;
  private State state = State.OPEN;
  private R next;
  private RpcException failure;
  private long expectedSeq = 1;
  private boolean published;

  private NatsResponseStream(CallPlan plan, Subscription subscription, Optional<Duration> idleTimeout,
      Executor publisherExecutor, Consumer<RpcException> onEnd) {
    this.plan = plan;
    this.subscription = subscription;
    this.idleTimeout = idleTimeout;
    this.publisherExecutor = publisherExecutor;
    this.onEnd = onEnd;
  }

  /**
   * Subscribes a fresh inbox with the given bounds and sends the request.
   *
   * @param onEnd told once how the stream ended: null for the end marker or a close by the
   *     caller, else the error
   */
  static <R extends Message> NatsResponseStream<R> open(Connection connection, CallPlan plan,
      Optional<Duration> idleTimeout, int maxBuffered, long maxBufferedBytes, Executor publisherExecutor,
      Consumer<RpcException> onEnd) {
    String inbox = connection.createInbox();
    Subscription subscription = connection.subscribe(inbox);
    subscription.setPendingLimits(maxBuffered, maxBufferedBytes);
    NatsResponseStream<R> stream = new NatsResponseStream<>(plan, subscription, idleTimeout, publisherExecutor, onEnd);
    try {
      connection.publish(plan.method().subject(), inbox, plan.headers(), plan.body());
    } catch (RuntimeException e) {
      stream.fail(RpcCalls.toRpcException(e, plan));
    }
    return stream;
  }

  @Override
  public boolean hasNext() {
    if (next != null) {
      return true;
    }
    switch (state) {
      case ENDED, CLOSED -> {
        return false;
      }
      case FAILED -> throw failure;
      default -> {
        next = receive();
        return next != null;
      }
    }
  }

  @Override
  public R next() {
    if (!hasNext()) {
      throw new NoSuchElementException("stream of " + plan.method().subject() + " has ended");
    }
    R value = next;
    next = null;
    return value;
  }

  @Override
  public void close() {
    if (state == State.OPEN) {
      state = State.CLOSED;
      end(null);
    }
  }

  @Override
  public synchronized Flow.Publisher<R> asPublisher() {
    if (published) {
      throw new IllegalStateException("asPublisher() may be called once per stream");
    }
    published = true;
    return new StreamPublisher<>(this, publisherExecutor);
  }

  /** The next chunk, or null after the end marker; throws (and fails the stream) on an error. */
  private R receive() {
    while (true) {
      Duration left = plan.remaining();
      if (left.isNegative() || left.isZero()) {
        throw fail(RpcException.deadlineExceeded("deadline of the stream " + plan.method().subject()
            + " exceeded (request id " + plan.requestId() + ")"));
      }
      Duration wait = idleTimeout.filter(idle -> idle.compareTo(left) < 0).orElse(left);
      io.nats.client.Message msg;
      try {
        msg = subscription.nextMessage(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw fail(RpcException.cancelled("interrupted while reading the stream " + plan.method().subject()));
      } catch (IllegalStateException e) {
        throw fail(RpcException.unavailable("stream " + plan.method().subject() + " lost its subscription: "
            + e.getMessage()));
      }
      checkDropped();
      if (msg == null) {
        if (plan.remaining().isNegative() || plan.remaining().isZero()) {
          continue; // reported as the deadline at the top of the loop
        }
        throw fail(RpcException.deadlineExceeded("stream " + plan.method().subject() + " sent nothing for "
            + wait.toMillis() + " ms (idle timeout)"));
      }
      Optional<RpcException> error = WireErrors.readError(msg, plan.method().subject());
      if (error.isPresent()) {
        throw fail(error.get());
      }
      if (WireErrors.first(msg.getHeaders(), WireHeaders.STREAM_END).isPresent()) {
        state = State.ENDED;
        end(null);
        return null;
      }
      return chunk(msg);
    }
  }

  @SuppressWarnings("unchecked")
  private R chunk(io.nats.client.Message msg) {
    String seq = WireErrors.first(msg.getHeaders(), WireHeaders.STREAM_SEQ).orElse("");
    if (!seq.equals(Long.toString(expectedSeq))) {
      throw fail(RpcException.dataLoss("stream " + plan.method().subject() + " sent chunk '" + seq
          + "' where " + expectedSeq + " was due"));
    }
    expectedSeq++;
    String type = WireErrors.first(msg.getHeaders(), WireHeaders.CONTENT_TYPE).orElse(plan.contentType());
    try {
      return (R) WireCodec.decode(plan.method().responsePrototype(), WireCodec.contentType(type), msg.getData());
    } catch (RpcException e) {
      throw fail(RpcException.internal("chunk " + (expectedSeq - 1) + " of " + plan.method().subject()
          + " cannot be decoded: " + e.statusMessage()));
    }
  }

  private void checkDropped() {
    if (subscription.getDroppedCount() > 0) {
      throw fail(RpcException.resourceExhausted("the reader of stream " + plan.method().subject()
          + " fell behind: more than " + subscription.getPendingMessageLimit()
          + " chunks waited unread, so the stream was cut"));
    }
  }

  private RpcException fail(RpcException error) {
    if (state == State.OPEN) {
      state = State.FAILED;
      failure = error;
      end(error);
    }
    return failure != null ? failure : error;
  }

  private void end(RpcException error) {
    try {
      subscription.unsubscribe();
    } catch (RuntimeException e) {
      // The connection is closing: nothing left to release.
    }
    onEnd.accept(error);
  }
}
