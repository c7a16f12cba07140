package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.natsharness.harness.FaultSwitches;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@NatsHarnessTest(redis = false)
@DisplayName("OrderBook on a real NATS with JetStream")
class OrderBookTest {

    @Test
    @DisplayName("stores a repeated order once")
    void dedupes(Connection nats, HarnessRuntimeInfo info) throws Exception {
        OrderBook book = new OrderBook(nats, info.uniqueName("ORDERS"));

        assertThat(book.place("o-1", "sword")).isTrue();
        assertThat(book.place("o-1", "sword")).isFalse();
        assertThat(book.count()).isEqualTo(1);
    }

    @Test
    @DisplayName("keeps its orders when the server is killed and restarted")
    void survivesRestart(Connection nats, HarnessRuntimeInfo info, FaultSwitches faults) throws Exception {
        OrderBook book = new OrderBook(nats, info.uniqueName("ORDERS"));
        book.place("o-2", "shield");

        faults.nats().kill();
        faults.nats().restart();

        Awaitility.await().ignoreExceptions().untilAsserted(() -> assertThat(book.count()).isEqualTo(1));
    }
}
