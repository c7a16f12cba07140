package io.natsharness.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.ExposedPort;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ContainerLaunchException;

@DisplayName("NatsContainer, one node with JetStream")
class NatsContainerTest {

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
    @DisplayName("once started")
    class Started {

        @Test
        @DisplayName("publishes on 127.0.0.1 and hands out a nats:// URL with the published port")
        void url() {
            assertThat(nats.getNatsUrl()).isEqualTo("nats://localhost:" + nats.getClientPort());
            assertThat(nats.getContainerInfo().getNetworkSettings().getPorts().getBindings()
                    .get(ExposedPort.tcp(NatsContainer.CLIENT_PORT))[0].getHostIp())
                    .isEqualTo("127.0.0.1");
        }

        @Test
        @DisplayName("a client publishes to a stream and JetStream acknowledges every message")
        void publishToStream() throws Exception {
            try (Connection connection = Nats.connect(nats.clientOptions().build())) {
                JetStreamManagement management = connection.jetStreamManagement();
                management.addStream(StreamConfiguration.builder().name("ORDERS").subjects("orders.>")
                        .storageType(StorageType.File).build());
                JetStream jetStream = connection.jetStream();
                PublishAck first = jetStream.publish("orders.created", "one".getBytes(StandardCharsets.UTF_8));
                PublishAck second = jetStream.publish("orders.created", "two".getBytes(StandardCharsets.UTF_8));

                assertThat(first.getStream()).isEqualTo("ORDERS");
                assertThat(second.getSeqno()).isEqualTo(2);
                StreamInfo info = management.getStreamInfo("ORDERS");
                assertThat(info.getStreamState().getMsgCount()).isEqualTo(2);
            }
        }

        @Test
        @DisplayName("the monitoring port answers /healthz")
        void monitoring() throws Exception {
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(nats.getMonitorUrl() + "/healthz")).timeout(Duration.ofSeconds(5))
                            .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"ok\"");
        }

        @Test
        @DisplayName("it is labelled for leftover cleanup with this JVM's process id")
        void labels() {
            assertThat(nats.getContainerInfo().getConfig().getLabels())
                    .containsEntry(Leftovers.LABEL, "true")
                    .containsEntry("io.natsharness.pid", Long.toString(ProcessHandle.current().pid()));
        }

        @Test
        @DisplayName("an internal URL needs a network")
        void internalUrlNeedsNetwork() {
            assertThatThrownBy(nats::getInternalNatsUrl)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("this NATS container is on no network: give it withNetwork(..) so that other"
                            + " containers can reach it");
        }
    }

    @Nested
    @DisplayName("with a configuration nats-server cannot parse")
    class BadConfiguration {

        @Test
        @DisplayName("start fails with the server's own reason, not a timeout")
        void failsWithReason() {
            try (NatsContainer broken = new NatsContainer().withConfig("authorization { users = [ { user:\n")) {
                assertThatThrownBy(broken::start)
                        .isInstanceOf(ContainerLaunchException.class)
                        .hasMessageStartingWith("NATS did not start: the server exited. Its log ends with:\n")
                        .hasMessageContaining("nats-server: Parse error on line 2");
            }
        }
    }

    @Nested
    @DisplayName("builder checks")
    class Checks {

        @Test
        @DisplayName("an empty configuration is refused")
        void emptyConfig() {
            assertThatThrownBy(() -> new NatsContainer(LocalImages.nats()).withConfig("  "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the NATS configuration is empty");
        }

        @Test
        @DisplayName("a server name with spaces is refused")
        void serverName() {
            assertThatThrownBy(() -> new NatsContainer(LocalImages.nats()).withServerName("node one"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not a valid server name (letters, digits, '-', '_'): 'node one'");
        }

        @Test
        @DisplayName("a password with spaces is refused")
        void credentials() {
            assertThatThrownBy(() -> new NatsContainer(LocalImages.nats()).withClientCredentials("alice", "a b"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the password must be non-empty and without spaces");
        }

        @Test
        @DisplayName("faults need a started container")
        void faultsNeedStart() {
            assertThatThrownBy(() -> new NatsContainer(LocalImages.nats()).faults().kill())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the container is not started: call start() before using its faults()");
        }
    }
}
