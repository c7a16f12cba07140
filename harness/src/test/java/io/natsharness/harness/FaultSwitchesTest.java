package io.natsharness.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest(backend = Backend.EMBEDDED)
@DisplayName("Fault switches of the embedded backend")
class FaultSwitchesTest {

    private static final Duration RECOVERY = Duration.ofSeconds(15);

    @AfterEach
    void everythingRunsAgain(FaultSwitches faults) {
        // each test leaves the servers as it found them, whatever it did
        for (ServerNode node : faults.natsNodes()) {
            if (node.isPaused()) {
                node.resume();
            }
            if (!node.isRunning()) {
                node.start();
            }
        }
        faults.redisNodes().stream().filter(n -> !n.isRunning()).forEach(ServerNode::start);
    }

    @Nested
    @DisplayName("on NATS")
    class Nats {

        @Test
        @DisplayName("kill then restart keeps the JetStream store and the client reconnects")
        void killAndRestart(FaultSwitches faults, Connection nats, JetStreamManagement jsm, HarnessRuntimeInfo info)
                throws Exception {
            String stream = info.uniqueName("KEPT");
            jsm.addStream(StreamConfiguration.builder().name(stream).subjects(stream).storageType(StorageType.File)
                    .build());
            nats.jetStream().publish(stream, "before".getBytes());

            faults.nats().kill();
            assertThat(faults.nats().isRunning()).isFalse();
            faults.nats().restart();

            await().atMost(RECOVERY).until(() -> nats.getStatus() == Connection.Status.CONNECTED);
            nats.jetStream().publish(stream, "after".getBytes());
            assertThat(jsm.getStreamInfo(stream).getStreamState().getMsgCount()).isEqualTo(2);
        }

        @Test
        @DisplayName("stop frees the port and start brings the server back on the same port")
        void stopAndStart(FaultSwitches faults, Connection nats) {
            int port = faults.nats().port();

            faults.nats().stop();
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
            faults.nats().start();

            assertThat(faults.nats().port()).isEqualTo(port);
            await().atMost(RECOVERY).untilAsserted(() -> nats.flush(Duration.ofSeconds(1)));
        }

        @Test
        @DisplayName("pause silences the server and resume brings the same connection back")
        void pauseAndResume(FaultSwitches faults, Connection nats) throws Exception {
            faults.nats().pause();
            assertThat(faults.nats().isPaused()).isTrue();
            assertThatThrownBy(() -> nats.flush(Duration.ofMillis(300))).isInstanceOf(TimeoutException.class);

            faults.nats().resume();

            await().atMost(RECOVERY).untilAsserted(() -> nats.flush(Duration.ofSeconds(1)));
            assertThat(faults.nats().isPaused()).isFalse();
        }

        @Test
        @DisplayName("refuses to pause a server that is not running, saying what to do")
        void pauseStopped(FaultSwitches faults) {
            faults.nats().stop();

            assertThatThrownBy(() -> faults.nats().pause()).isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot pause nats-0: it is not running (start() it first)");
        }

        @Test
        @DisplayName("names the nodes that exist when asked for one that does not")
        void unknownNode(FaultSwitches faults) {
            assertThatThrownBy(() -> faults.nats(3)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no NATS node 3: the environment has 1 NATS node(s), numbered from 0");
        }
    }

    @Nested
    @DisplayName("on Redis")
    class Redis {

        @Test
        @DisplayName("kill then restart on the same port, and Lettuce reconnects")
        void killAndRestart(FaultSwitches faults, RedisClient redis) {
            try (StatefulRedisConnection<String, String> connection = redis.connect()) {
                connection.setTimeout(Duration.ofMillis(500));
                assertThat(connection.sync().ping()).isEqualTo("PONG");

                faults.redis().kill();
                assertThatThrownBy(() -> connection.sync().ping()).isInstanceOf(RuntimeException.class);
                faults.redis().restart();

                await().atMost(RECOVERY).ignoreExceptions()
                        .untilAsserted(() -> assertThat(connection.sync().ping()).isEqualTo("PONG"));
            }
        }
    }
}
