package io.natsharness.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("ContainerFaults on a NATS node")
class ContainerFaultsTest {

    private static NatsContainer nats;

    @BeforeAll
    static void start() {
        nats = new NatsContainer().withJetStream();
        nats.start();
    }

    @AfterAll
    static void stop() {
        nats.stop();
    }

    @Nested
    @DisplayName("kill and start")
    class KillAndStart {

        @Test
        @DisplayName("the server comes back on the same URL with its streams, and a reconnecting client recovers")
        void comesBack() throws Exception {
            String url = nats.getNatsUrl();
            CompletableFuture<Void> reconnected = new CompletableFuture<>();
            ConnectionListener listener = (connection, event) -> {
                if (event == ConnectionListener.Events.RECONNECTED) {
                    reconnected.complete(null);
                }
            };
            try (Connection connection = Nats.connect(nats.clientOptions().maxReconnects(-1)
                    .reconnectWait(Duration.ofMillis(100)).connectionListener(listener).build())) {
                connection.jetStreamManagement().addStream(StreamConfiguration.builder().name("KEPT")
                        .subjects("kept.>").build());
                connection.jetStream().publish("kept.one", "1".getBytes(StandardCharsets.UTF_8));

                nats.faults().kill();
                assertThat(nats.isRunning()).isFalse();
                nats.faults().start();

                assertThat(nats.getNatsUrl()).isEqualTo(url);
                reconnected.get(30, TimeUnit.SECONDS);
                assertThat(connection.jetStreamManagement().getStreamInfo("KEPT").getStreamState().getMsgCount())
                        .isEqualTo(1);
            }
        }
    }

    @Nested
    @DisplayName("pause and resume")
    class PauseAndResume {

        @Test
        @DisplayName("a paused server answers nothing; once resumed it answers again")
        void pause() throws Exception {
            try (Connection connection = Nats.connect(nats.clientOptions().build())) {
                nats.faults().pause();
                try {
                    assertThat(nats.faults().isPaused()).isTrue();
                    assertThatThrownBy(() -> connection.flush(Duration.ofMillis(500)))
                            .isInstanceOf(TimeoutException.class);
                } finally {
                    nats.faults().resume();
                }
                assertThat(nats.faults().isPaused()).isFalse();
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                        .untilAsserted(() -> connection.flush(Duration.ofSeconds(1)));
            }
        }

        @Test
        @DisplayName("resuming a server that is not paused is a clear error")
        void resumeRunning() {
            assertThatThrownBy(() -> nats.faults().resume())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("could not resume " + nats.getDockerImageName() + " ("
                            + nats.getContainerId().substring(0, 12) + "): Container " + nats.getContainerId()
                            + " is not paused");
        }
    }

    @Nested
    @DisplayName("stop and start")
    class StopAndStart {

        @Test
        @DisplayName("a clean stop, then the same server answers a new client")
        void restart() throws Exception {
            nats.faults().restart();

            assertThat(nats.isRunning()).isTrue();
            try (Connection connection = Nats.connect(nats.clientOptions().build())) {
                assertThat(connection.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            }
        }
    }
}
