package io.natsharness.sdk.client;

import io.natsharness.sdk.status.RpcException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ResponseStream} as a {@link Flow.Publisher} for one subscriber. Chunks are pulled from
 * the stream only against demand, on the executor, one drain loop at a time, so a subscriber that
 * requests slowly holds the stream at its bounded buffer.
 */
final class StreamPublisher<R> implements Flow.Publisher<R> {

  private final ResponseStream<R> stream;
  private final Executor executor;
  private final AtomicBoolean subscribed = new AtomicBoolean();

  StreamPublisher(ResponseStream<R> stream, Executor executor) {
    this.stream = stream;
    this.executor = executor;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super R> subscriber) {
    if (!subscribed.compareAndSet(false, true)) {
      subscriber.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      });
      subscriber.onError(new IllegalStateException("this stream has a subscriber already"));
      return;
    }
    new Drain(subscriber).start();
  }

  private final class Drain implements Flow.Subscription {
    private final Flow.Subscriber<? super R> subscriber;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean done;

    Drain(Flow.Subscriber<? super R> subscriber) {
      this.subscriber = subscriber;
    }

    void start() {
      subscriber.onSubscribe(this);
    }

    @Override
    public void request(long n) {
      if (done) {
        return;
      }
      if (n <= 0) {
        cancel();
        subscriber.onError(new IllegalArgumentException("request(" + n + "): demand must be positive (rule 3.9)"));
        return;
      }
      demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      schedule();
    }

    @Override
    public void cancel() {
      done = true;
      stream.close();
    }

    private void schedule() {
      if (running.compareAndSet(false, true)) {
        executor.execute(this::drain);
      }
    }

    private void drain() {
      try {
        while (!done && demand.get() > 0) {
          if (!stream.hasNext()) {
            done = true;
            subscriber.onComplete();
            return;
          }
          demand.decrementAndGet();
          subscriber.onNext(stream.next());
        }
      } catch (RpcException e) {
        done = true;
        subscriber.onError(e);
        return;
      } finally {
        running.set(false);
      }
      if (!done && demand.get() > 0) {
        schedule();
      }
    }
  }
}
