package io.natsharness.sdk.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.api.StreamInfo;
import io.natsharness.proto.catalog.EventInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.util.payment.v1.PaymentSettled;
import io.natsharness.proto.util.payment.v1.WalletCreated;
import io.natsharness.sdk.support.NatsServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Events on a real JetStream. */
class EventsTest {

  @RegisterExtension
  static final NatsServerExtension NATS = new NatsServerExtension();

  private static final EventInfo SETTLED = event("payment_settled");
  private static final EventInfo CREATED = event("wallet_created");

  private static Connection nats;
  private static EventPublisher publisher;

  @BeforeAll
  static void connect() {
    nats = NATS.connect();
    publisher = EventPublisher.create(nats);
  }

  private static EventInfo event(String name) {
    return ServiceCatalog.load().service("payment").orElseThrow().events().stream()
        .filter(e -> e.name().equals(name)).findFirst().orElseThrow();
  }

  private static PaymentSettled settled(String transactionId) {
    return PaymentSettled.newBuilder().setTransaction(io.natsharness.proto.util.payment.v1.Transaction.newBuilder().setTransactionId(transactionId)).build();
  }

  @Nested
  @DisplayName("publishing")
  class Publishing {

    @Test
    @DisplayName("creates the domain's stream on first use")
    void createsStream() throws Exception {
      PublishResult result = publisher.publish(SETTLED, settled("t-1"), "evt-create-1");
      assertThat(result.stream()).isEqualTo("EVT_UTIL");
      StreamInfo info = nats.jetStreamManagement().getStreamInfo("EVT_UTIL");
      assertThat(info.getConfiguration().getSubjects()).containsExactly("evt.util.>");
      assertThat(info.getConfiguration().getDuplicateWindow()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    @DisplayName("a repeated event id is stored once and reported as duplicate")
    void duplicate() {
      PublishResult first = publisher.publish(SETTLED, settled("t-2"), "evt-dup-1");
      PublishResult again = publisher.publish(SETTLED, settled("t-2"), "evt-dup-1");
      assertThat(first.duplicate()).isFalse();
      assertThat(again.duplicate()).isTrue();
      assertThat(again.sequence()).isEqualTo(first.sequence());
    }

    @Test
    @DisplayName("by subject, checking a catalog event's payload type")
    void bySubject() {
      assertThatThrownBy(() -> publisher.publish("evt.util.payment.v1.payment_settled",
          WalletCreated.getDefaultInstance(), "evt-x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("event payment_settled carries util.payment.v1.PaymentSettled, not util.payment.v1.WalletCreated");
    }

    @Test
    @DisplayName("refuses a subject outside evt.<domain>.…")
    void badSubject() {
      assertThatThrownBy(() -> publisher.publish("svc.util.payment.v1.charge", settled("t"), "evt-y"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("event subject must be evt.<domain>.<...> without wildcards: svc.util.payment.v1.charge");
    }

    @Test
    @DisplayName("refuses a blank event id")
    void blankId() {
      assertThatThrownBy(() -> publisher.publish(SETTLED, settled("t"), " "))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("event id must be non-blank text without CR or LF:  ");
    }
  }

  @Nested
  @DisplayName("consuming")
  class Consuming {

    @Test
    @DisplayName("the handler sees the payload, the id and the first delivery")
    void delivers() {
      List<ReceivedEvent<WalletCreated>> seen = new CopyOnWriteArrayList<>();
      publisher.publish(CREATED, WalletCreated.newBuilder().setWalletId("wal-7").build(), "evt-wal-7");
      try (EventConsumer consumer = EventConsumer.<WalletCreated>builder(CREATED).connection(nats)
          .durable("delivers").handler(seen::add).build().start()) {
        await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
        ReceivedEvent<WalletCreated> event = seen.get(0);
        assertThat(event.eventId()).isEqualTo("evt-wal-7");
        assertThat(event.payload().getWalletId()).isEqualTo("wal-7");
        assertThat(event.subject()).isEqualTo("evt.util.payment.v1.wallet_created");
        assertThat(event.deliveryCount()).isEqualTo(1);
      }
    }

    @Test
    @DisplayName("a handler that fails gets the event again, and it counts once when it succeeds")
    void retriesFailures() {
      AtomicInteger calls = new AtomicInteger();
      List<Long> deliveries = new CopyOnWriteArrayList<>();
      publisher.publish(SETTLED, settled("t-fail"), "evt-fail-1");
      try (EventConsumer consumer = EventConsumer.<PaymentSettled>builder(SETTLED).connection(nats)
          .durable("retries").redeliveryDelay(Duration.ofMillis(50)).handler(e -> {
            if (!e.eventId().equals("evt-fail-1")) {
              return;
            }
            deliveries.add(e.deliveryCount());
            if (calls.incrementAndGet() == 1) {
              throw new IllegalStateException("first try fails");
            }
          }).build().start()) {
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 2);
        assertThat(deliveries).containsExactly(1L, 2L);
        assertThat(consumer.failures()).isEqualTo(1);
      }
    }

    @Test
    @DisplayName("a redelivery of an event already handled does not run the handler again")
    void redeliveredOnce() throws Exception {
      AtomicInteger runs = new AtomicInteger();
      publisher.publish(SETTLED, settled("t-slow"), "evt-slow-1");
      // The handler outlasts the ack wait, so JetStream redelivers while it still runs.
      try (EventConsumer consumer = EventConsumer.<PaymentSettled>builder(SETTLED).connection(nats)
          .durable("redelivery").ackWait(Duration.ofMillis(500)).handler(e -> {
            if (e.eventId().equals("evt-slow-1")) {
              runs.incrementAndGet();
              Thread.sleep(1200);
            }
          }).build().start()) {
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.duplicatesSkipped() >= 1);
        assertThat(runs).hasValue(1);
      }
    }

    @Test
    @DisplayName("a durable consumer resumes after the last acknowledged event")
    void resumes() {
      List<String> first = new CopyOnWriteArrayList<>();
      publisher.publish(CREATED, WalletCreated.newBuilder().setWalletId("wal-r1").build(), "evt-r1");
      try (EventConsumer consumer = EventConsumer.<WalletCreated>builder(CREATED).connection(nats)
          .durable("resume").handler(e -> first.add(e.eventId())).build().start()) {
        await().atMost(Duration.ofSeconds(10)).until(() -> first.contains("evt-r1"));
      }
      publisher.publish(CREATED, WalletCreated.newBuilder().setWalletId("wal-r2").build(), "evt-r2");
      List<String> second = new CopyOnWriteArrayList<>();
      try (EventConsumer consumer = EventConsumer.<WalletCreated>builder(CREATED).connection(nats)
          .durable("resume").handler(e -> second.add(e.eventId())).build().start()) {
        await().atMost(Duration.ofSeconds(10)).until(() -> second.contains("evt-r2"));
        assertThat(second).doesNotContain("evt-r1");
      }
    }
  }

  @Nested
  @DisplayName("plain pub/sub")
  class Plain {

    @Test
    @DisplayName("a subscriber receives what is published")
    void subscribe() {
      PubSub pubsub = PubSub.create(nats);
      List<String> got = new CopyOnWriteArrayList<>();
      try (PubSub.Subscription s = pubsub.subscribe("game.ticks.>", WalletCreated.getDefaultInstance(),
          m -> got.add(m.getWalletId())).awaitReady(Duration.ofSeconds(5))) {
        pubsub.publish("game.ticks.a", WalletCreated.newBuilder().setWalletId("w1").build());
        await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 1);
        assertThat(got).containsExactly("w1");
      }
    }

    @Test
    @DisplayName("a queue group shares the messages: each one to exactly one member")
    void queueGroup() {
      PubSub pubsub = PubSub.create(nats);
      List<String> a = new CopyOnWriteArrayList<>();
      List<String> b = new CopyOnWriteArrayList<>();
      WalletCreated proto = WalletCreated.getDefaultInstance();
      try (PubSub.Subscription sa = pubsub.subscribeQueue("work.items", "workers", proto, m -> a.add(m.getWalletId()))
               .awaitReady(Duration.ofSeconds(5));
           PubSub.Subscription sb = pubsub.subscribeQueue("work.items", "workers", proto, m -> b.add(m.getWalletId()))
               .awaitReady(Duration.ofSeconds(5))) {
        for (int i = 0; i < 40; i++) {
          pubsub.publish("work.items", WalletCreated.newBuilder().setWalletId("m" + i).build());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> a.size() + b.size() == 40);
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        assertThat(all).doesNotHaveDuplicates().hasSize(40);
      }
    }
  }

  @Test
  @DisplayName("event ids become KV-safe keys")
  void keys() {
    assertThat(EventDelivery.key("evt-1_a=")).isEqualTo("pevt-1_a=");
    assertThat(EventDelivery.key("a b/c")).isEqualTo("bYSBiL2M");
  }
}
