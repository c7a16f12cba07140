package io.natsharness.services.game.kit;

import com.google.protobuf.Message;
import io.natsharness.proto.catalog.EventInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import io.natsharness.sdk.events.EventPublisher;
import io.natsharness.sdk.events.PublishResult;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.ServiceContext;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one service's catalog events with a deterministic event id (the {@code Nats-Msg-Id}),
 * so a repeat of the same state change is stored once by JetStream.
 *
 * <p>The id is the Redis key prefix followed by the id the service derives from the state change:
 * the prefix names the namespace the state lives in, so two deployments (or two isolated test runs)
 * sharing one JetStream do not swallow each other's events as duplicates.
 *
 * <pre>{@code
 * ServiceEvents events = new ServiceEvents(ctx, "quest_system");
 * events.publish("quest_completed", completed, "quest_completed:" + player + ":" + quest);
 * }</pre>
 */
public final class ServiceEvents {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceEvents.class);

  private final EventPublisher publisher;
  private final ServiceInfo service;
  private final String namespace;

  public ServiceEvents(ServiceContext ctx, String serviceName) {
    this.publisher = Objects.requireNonNull(ctx, "ctx").events();
    this.namespace = ctx.keyPrefix();
    this.service = ServiceCatalog.load().service(serviceName)
        .orElseThrow(() -> new IllegalArgumentException("no service " + serviceName + " in the catalog"));
  }

  /**
   * Publishes the event named {@code eventName} of this service.
   *
   * @throws RpcException UNAVAILABLE when JetStream does not take it; the state change it reports
   *     is already stored, which the message says, so a caller knows a retry may meet that state
   */
  public PublishResult publish(String eventName, Message payload, String eventId) {
    EventInfo event = service.events().stream().filter(e -> e.name().equals(eventName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(service.name() + " has no event " + eventName));
    try {
      return publisher.publish(event, payload, namespace + eventId);
    } catch (RpcException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warn("event {} ({}) not published: {}", eventName, eventId, e.toString());
      throw RpcException.unavailable("the change was stored but its event " + eventName
          + " could not be published: " + e.getMessage());
    }
  }
}
