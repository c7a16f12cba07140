package io.natsharness.conformance.load;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test service with a known stall: it echoes requests on one thread and, once a second, sleeps
 * 50 ms before answering, so every request that arrives meanwhile waits too (like a GC pause).
 */
final class StallingResponder implements AutoCloseable {

  static final long STALL_MILLIS = 50;

  private final Connection connection;
  private final AtomicInteger stalls = new AtomicInteger();
  private long lastStall = System.nanoTime();

  StallingResponder(Options.Builder options, String subject) throws Exception {
    connection = Nats.connect(options.connectionName("stalling-responder").build());
    Dispatcher d = connection.createDispatcher(m -> {
      long now = System.nanoTime();
      if (now - lastStall >= 1_000_000_000L) {
        lastStall = now;
        stalls.incrementAndGet();
        try {
          Thread.sleep(STALL_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      connection.publish(m.getReplyTo(), m.getData());
    });
    d.subscribe(subject);
    connection.flush(java.time.Duration.ofSeconds(5));
  }

  int stalls() {
    return stalls.get();
  }

  @Override
  public void close() throws InterruptedException {
    connection.close();
  }
}
