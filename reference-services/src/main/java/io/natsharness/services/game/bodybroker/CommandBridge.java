package io.natsharness.services.game.bodybroker;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.natsharness.proto.catalog.EventInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.game.quests.v1.QuestCompleted;
import io.natsharness.proto.game.world.v1.EntityChange;
import io.natsharness.services.support.Ids;
import java.io.IOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns game events into session commands: quest_system's quest_completed into NOTIFY for the
 * player's open sessions, world_state's entity_changed into SYNC_ENTITY for the open sessions whose
 * last snapshot is in the change's region (or the region it left).
 *
 * <p>A durable pull consumer on the game domain's stream, explicit ack, shared by every host of
 * the service (each event goes to one of them). It starts at the time the consumer is first made
 * (events older than the service mean nothing to today's sessions) and resumes from its ack floor
 * after a restart. A redelivered event queues nothing twice: the enqueue script remembers
 * (session, Nats-Msg-Id). Only events whose id starts with this deployment's key prefix are taken,
 * so deployments or test runs that share one JetStream but not one Redis namespace stay apart.
 */
final class CommandBridge implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CommandBridge.class);
  private static final Duration RETRY = Duration.ofMillis(500);
  private static final int STREAM_NOT_FOUND = 10059;
  private static final int CONSUMER_NOT_FOUND = 10014;

  /** What to do with one event. */
  interface Sink {
    void questCompleted(QuestCompleted event, String eventId);

    void entityChanged(EntityChange event, String eventId);
  }

  private final Connection nats;
  private final String namespace;
  private final Sink sink;
  private final String stream;
  private final String durable;
  private final String questCompletedSubject;
  private final String entityChangedSubject;
  private volatile boolean running = true;
  private final Thread thread;

  CommandBridge(Connection nats, String namespace, Sink sink) {
    this.nats = Objects.requireNonNull(nats, "nats");
    this.namespace = namespace;
    this.sink = sink;
    EventInfo completed = event("quest_system", "quest_completed");
    EventInfo changed = event("world_state", "entity_changed");
    this.stream = completed.stream();
    this.questCompletedSubject = completed.subject();
    this.entityChangedSubject = changed.subject();
    this.durable = "body_broker_" + Ids.sha256Hex(namespace).substring(0, 16);
    this.thread = new Thread(this::run, "body-broker-bridge");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    JetStreamSubscription sub = null;
    while (running && nats.getStatus() != Connection.Status.CLOSED) {
      try {
        if (sub == null) {
          sub = subscribe();
        }
        List<Message> batch = sub.fetch(100, Duration.ofMillis(500));
        for (Message m : batch) {
          handle(m);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (JetStreamApiException e) {
        if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
          LOG.warn("event bridge cannot subscribe: {}", e.getMessage());
        }
        sub = null;
        pause();
      } catch (IOException | RuntimeException e) {
        if (running) {
          LOG.warn("event bridge error, retrying: {}", e.toString());
        }
        sub = null;
        pause();
      }
    }
  }

  private JetStreamSubscription subscribe() throws IOException, JetStreamApiException, InterruptedException {
    JetStreamManagement jsm = nats.jetStreamManagement();
    try {
      jsm.getConsumerInfo(stream, durable);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != CONSUMER_NOT_FOUND) {
        throw e;
      }
      jsm.addOrUpdateConsumer(stream, ConsumerConfiguration.builder()
          .durable(durable)
          .filterSubject("evt.game.>")
          .ackPolicy(AckPolicy.Explicit)
          .ackWait(Duration.ofSeconds(30))
          .deliverPolicy(DeliverPolicy.ByStartTime)
          .startTime(ZonedDateTime.now(ZoneOffset.UTC).minusSeconds(5))
          .build());
    }
    return nats.jetStream().subscribe(null, PullSubscribeOptions.bind(stream, durable));
  }

  private void handle(Message m) {
    String eventId = m.getHeaders() == null ? null : m.getHeaders().getFirst("Nats-Msg-Id");
    if (eventId == null) {
      eventId = "seq:" + m.metaData().streamSequence();
    }
    try {
      if (eventId.startsWith(namespace)) {
        if (m.getSubject().equals(questCompletedSubject)) {
          sink.questCompleted(QuestCompleted.parseFrom(m.getData()), eventId);
        } else if (m.getSubject().equals(entityChangedSubject)) {
          sink.entityChanged(EntityChange.parseFrom(m.getData()), eventId);
        }
      }
      m.ack();
    } catch (InvalidProtocolBufferException e) {
      LOG.warn("dropping unreadable event {} on {}", eventId, m.getSubject());
      m.term();
    } catch (RuntimeException e) {
      // Redis away: let JetStream redeliver after the ack wait; the enqueue is idempotent.
      LOG.warn("event {} not handled yet: {}", eventId, e.toString());
      m.nak();
    }
  }

  private void pause() {
    try {
      Thread.sleep(RETRY.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static EventInfo event(String service, String name) {
    return ServiceCatalog.load().service(service).orElseThrow().events().stream()
        .filter(e -> e.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("the catalog has no event " + service + "." + name));
  }
}
