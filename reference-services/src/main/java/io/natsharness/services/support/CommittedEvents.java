package io.natsharness.services.support;

import com.google.protobuf.Message;
import io.natsharness.sdk.events.PublishResult;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the event of a state change that is already committed in Redis. The change stands
 * whatever happens to its event, so a failed publish is retried twice and then logged as an error
 * instead of answering the caller an error for a change that happened (a repeat of the request
 * would then find the change made and publish nothing, which is worse). The event id is derived
 * from the change, so a retry that did reach JetStream is stored once.
 *
 * <pre>{@code
 * CommittedEvents.publish(ctx, "evt.infra.auth.v1.principal_registered", event, "principal_registered:" + id);
 * }</pre>
 */
public final class CommittedEvents {

  private static final Logger LOG = LoggerFactory.getLogger(CommittedEvents.class);
  private static final int ATTEMPTS = 3;

  private CommittedEvents() {}

  /** The publish result, or empty when every attempt failed (logged). */
  public static Optional<PublishResult> publish(ServiceContext ctx, String subject, Message payload, String eventId) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        return Optional.of(ctx.events().publish(subject, payload, eventId));
      } catch (RuntimeException e) {
        last = e;
        try {
          Thread.sleep(50L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    LOG.error("event {} ({}) of a committed change was not published", eventId, subject, last);
    return Optional.empty();
  }
}
