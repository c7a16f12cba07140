package io.natsharness.conformance.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Speaks raw NATS to the implementation under test: requests with exactly the headers a check
 * chooses, streams collected message by message, and ADR-32 discovery replies from every instance.
 */
public final class WireProbe {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Connection nats;
  private final Duration timeout;

  public WireProbe(Connection nats, Duration timeout) {
    this.nats = nats;
    this.timeout = timeout;
  }

  /**
   * Sends one request and waits for its reply.
   *
   * @throws AssertionError if no reply comes within the timeout (a hang is a contract failure)
   */
  public WireReply request(String subject, Headers headers, byte[] body) {
    NatsMessage message = NatsMessage.builder().subject(subject).headers(headers).data(body).build();
    CompletableFuture<Message> reply = nats.requestWithTimeout(message, timeout);
    try {
      return new WireReply(reply.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS));
    } catch (TimeoutException | java.util.concurrent.CancellationException e) {
      throw new AssertionError("no reply on " + subject + " within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      if (isNoResponders(e.getCause())) {
        return WireReply.noRespondersReply();
      }
      throw new AssertionError("request on " + subject + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }

  /**
   * Sends one request to a streaming method and collects every message until the end marker (or
   * an error end), or until {@code idle} passes with nothing received.
   */
  public List<WireReply> stream(String subject, Headers headers, byte[] body, Duration idle) {
    String inbox = nats.createInbox();
    Subscription sub = nats.subscribe(inbox);
    List<WireReply> replies = new ArrayList<>();
    try {
      nats.publish(NatsMessage.builder().subject(subject).replyTo(inbox).headers(headers).data(body).build());
      while (true) {
        Message m = sub.nextMessage(idle);
        if (m == null) {
          return replies;
        }
        WireReply reply = new WireReply(m);
        replies.add(reply);
        if (reply.isNoResponders() || reply.isError()
            || reply.header("Nh-Stream-End").map("true"::equalsIgnoreCase).orElse(false)) {
          return replies;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return replies;
    } finally {
      sub.unsubscribe();
    }
  }

  /**
   * Sends a discovery request ({@code $SRV.PING}, {@code $SRV.INFO.payment}, …) and gathers the
   * JSON replies of every instance that answers within {@code window}.
   */
  public List<JsonNode> discover(String subject, Duration window) {
    String inbox = nats.createInbox();
    Subscription sub = nats.subscribe(inbox);
    List<JsonNode> replies = new ArrayList<>();
    try {
      nats.publish(subject, inbox, new byte[0]);
      long end = System.nanoTime() + window.toNanos();
      while (System.nanoTime() < end) {
        Message m = sub.nextMessage(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
        if (m != null && !m.isStatusMessage()) {
          replies.add(JSON.readTree(m.getData()));
        }
      }
      return replies;
    } catch (IOException e) {
      throw new UncheckedIOException("discovery reply on " + subject + " is not JSON", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return replies;
    } finally {
      sub.unsubscribe();
    }
  }

  /** jnats reports no responders as a 503 status exception when the connection asks it to. */
  private static boolean isNoResponders(Throwable t) {
    return t instanceof io.nats.client.JetStreamStatusException status && status.getStatus() != null
        && status.getStatus().getCode() == 503;
  }

  public Connection connection() {
    return nats;
  }
}
