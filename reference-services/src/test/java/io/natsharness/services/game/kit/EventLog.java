package io.natsharness.services.game.kit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.nats.client.Connection;
import io.nats.client.JetStreamSubscription;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.natsharness.proto.catalog.EventInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a service published to JetStream: every stored event of one catalog event type whose
 * {@code Nats-Msg-Id} starts with a key prefix (tests of one class share the stream; each runs
 * under its own prefix), in stream order, through an ephemeral pull consumer.
 *
 * <pre>{@code
 * List<EventLog.Event<QuestCompleted>> done =
 *     EventLog.read(nats, "quest_system", "quest_completed", prefix, QuestCompleted.parser());
 * }</pre>
 */
public final class EventLog {

  /** One stored event: its Nats-Msg-Id and payload. */
  public record Event<M extends Message>(String id, M payload) {}

  private EventLog() {}

  public static <M extends Message> List<Event<M>> read(Connection nats, String service, String eventName,
      String idPrefix, Parser<M> parser) throws Exception {
    EventInfo event = ServiceCatalog.load().service(service).orElseThrow().events().stream()
        .filter(e -> e.name().equals(eventName)).findFirst().orElseThrow();
    JetStreamSubscription sub = nats.jetStream().subscribe(event.subject(), PullSubscribeOptions.builder()
        .stream(event.stream())
        .configuration(ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.All).build())
        .build());
    try {
      long pending = sub.getConsumerInfo().getNumPending();
      List<Event<M>> out = new ArrayList<>();
      long read = 0;
      while (read < pending) {
        List<io.nats.client.Message> batch = sub.fetch((int) Math.min(256, pending - read), Duration.ofSeconds(2));
        if (batch.isEmpty()) {
          throw new IllegalStateException("expected " + pending + " events on " + event.subject() + ", read " + read);
        }
        for (io.nats.client.Message m : batch) {
          read++;
          m.ack();
          String id = m.getHeaders() == null ? "" : m.getHeaders().getFirst("Nats-Msg-Id");
          if (id != null && id.startsWith(idPrefix)) {
            out.add(new Event<>(id.substring(idPrefix.length()), parse(parser, m.getData())));
          }
        }
      }
      return out;
    } finally {
      sub.unsubscribe();
    }
  }

  private static <M extends Message> M parse(Parser<M> parser, byte[] data) {
    try {
      return parser.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an event is not a " + parser, e);
    }
  }
}
