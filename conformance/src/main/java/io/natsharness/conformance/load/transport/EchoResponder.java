package io.natsharness.conformance.load.transport;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Answers every request on a subject with its own bytes, on a connection of its own: the far end
 * of the raw-echo ceiling. Queue group {@code q}, so several generator processes may each run one.
 *
 * <pre>{@code
 * try (EchoResponder echo = EchoResponder.start(new Options.Builder().server(url), EchoResponder.newSubject())) {
 *   nats.request(echo.subject(), bytes, Duration.ofSeconds(1));   // bytes back
 * }
 * }</pre>
 */
public final class EchoResponder implements AutoCloseable {

  private final Connection connection;
  private final String subject;

  private EchoResponder(Connection connection, String subject) {
    this.connection = connection;
    this.subject = subject;
  }

  /** A subject no other run uses. */
  public static String newSubject() {
    return "_nh.load.echo." + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  }

  /**
   * Connects and subscribes; returns once the server has the subscription.
   *
   * @throws IOException when NATS cannot be reached
   */
  public static EchoResponder start(Options.Builder options, String subject) throws IOException {
    Connection c;
    try {
      c = Nats.connect(options.connectionName("nh-load-echo").build());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting the echo responder", e);
    }
    Dispatcher d = c.createDispatcher(m -> {
      if (m.getReplyTo() != null) {
        c.publish(m.getReplyTo(), m.getData());
      }
    });
    d.subscribe(subject, "q");
    try {
      c.flush(Duration.ofSeconds(5));
    } catch (Exception e) {
      close(c);
      throw new IOException("the echo responder's subscription did not reach the server: " + e.getMessage(), e);
    }
    return new EchoResponder(c, subject);
  }

  public String subject() {
    return subject;
  }

  @Override
  public void close() {
    close(connection);
  }

  private static void close(Connection c) {
    try {
      c.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
