package io.natsharness.conformance.contract.kit;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.natsharness.conformance.wire.WireReply;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.status.WireHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A server stream in progress: its reply subject is subscribed before the request goes out, and
 * the check reads it message by message, so it can change state while the stream is open (a watch
 * sees the change). Closing it unsubscribes.
 *
 * <pre>{@code
 * try (OpenStream watch = world.call("watch_region").deadline(in2s).open(request)) {
 *   WireReply snapshot = watch.next(Duration.ofSeconds(2)).orElseThrow();
 *   world.ok("put_entity", put);
 *   StreamReplies all = watch.readToEnd(Duration.ofSeconds(3));
 * }
 * }</pre>
 */
public final class OpenStream implements AutoCloseable {

  private final Subscription subscription;
  private final MethodInfo method;
  private final List<WireReply> received = new ArrayList<>();
  private boolean ended;

  private OpenStream(Subscription subscription, MethodInfo method) {
    this.subscription = subscription;
    this.method = method;
  }

  static OpenStream open(Connection nats, MethodInfo method, Headers headers, byte[] body) {
    String inbox = nats.createInbox();
    Subscription subscription = nats.subscribe(inbox);
    nats.publish(NatsMessage.builder().subject(method.subject()).replyTo(inbox).headers(headers).data(body).build());
    return new OpenStream(subscription, method);
  }

  /** The next message, if one comes within {@code wait}; empty after the end message. */
  public Optional<WireReply> next(Duration wait) {
    if (ended) {
      return Optional.empty();
    }
    try {
      Message message = subscription.nextMessage(wait);
      if (message == null) {
        return Optional.empty();
      }
      WireReply reply = new WireReply(message);
      received.add(reply);
      ended = isLast(reply);
      return Optional.of(reply);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while reading the stream of " + method);
    }
  }

  /** Reads until the end message, an error end, or {@code idle} without a message; returns all read. */
  public StreamReplies readToEnd(Duration idle) {
    while (!ended && next(idle).isPresent()) {
      // next() records what it reads
    }
    return new StreamReplies(method, received, ended);
  }

  /** Everything read so far. */
  public StreamReplies soFar() {
    return new StreamReplies(method, received, ended);
  }

  public boolean ended() {
    return ended;
  }

  @Override
  public void close() {
    if (subscription.isActive()) {
      subscription.unsubscribe();
    }
  }

  static boolean isLast(WireReply reply) {
    return reply.isNoResponders() || reply.isError()
        || reply.header(WireHeaders.STREAM_END).map("true"::equalsIgnoreCase).orElse(false);
  }
}
