package io.natsharness.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("The containers backend")
class ContainersBackendTest {

    @RegisterExtension
    static NatsHarnessExtension harness = NatsHarnessExtension.builder()
            .withBackend(Backend.CONTAINERS)
            .withNatsUsers(NatsUser.password("app", "app-secret"))
            .build();

    @Test
    @DisplayName("serves NATS with JetStream and Redis from containers, with the test's users")
    void serves(HarnessRuntimeInfo info, JetStreamManagement jsm, RedisClient redis) throws Exception {
        assertThat(info.backend()).isEqualTo(Backend.CONTAINERS);
        assertThat(jsm.getAccountStatistics()).isNotNull();
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
        }
    }

    @Test
    @DisplayName("kill then start keeps the JetStream store and the client reconnects")
    void killAndStart(FaultSwitches faults, Connection nats, JetStreamManagement jsm, HarnessRuntimeInfo info)
            throws Exception {
        String stream = info.uniqueName("KEPT");
        jsm.addStream(StreamConfiguration.builder().name(stream).subjects(stream).build());
        nats.jetStream().publish(stream, "before".getBytes());

        faults.nats().kill();
        faults.nats().start();

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .untilAsserted(() -> nats.jetStream().publish(stream, "after".getBytes()));
        assertThat(jsm.getStreamInfo(stream).getStreamState().getMsgCount()).isEqualTo(2);
        assertThat(faults.nats().logTail(50)).contains("Server is ready");
    }
}
