package io.natsharness.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

@DisplayName("ImplementationContainer")
class ImplementationContainerTest {

    /**
     * A tiny "implementation": bash speaking the NATS protocol over /dev/tcp to NATS_URL, announcing
     * the environment it was given on impl.started until it is stopped.
     */
    private static final String TINY_IMPLEMENTATION = String.join("\n",
            "address=${NATS_URL#*://}",
            "exec 3<>/dev/tcp/${address%%:*}/${address##*:} || exit 1",
            "read -r info <&3",
            "printf 'CONNECT {\"verbose\":false,\"name\":\"tiny-impl\"}\\r\\n' >&3",
            "payload=\"NATS_URL=$NATS_URL REDIS_URL=$REDIS_URL HTTP_PORT=$HTTP_PORT\"",
            "while true; do",
            "  printf 'PUB impl.started %d\\r\\n%s\\r\\n' \"${#payload}\" \"$payload\" >&3",
            "  if read -r -t 0.5 line <&3 && [[ $line == PING* ]]; then printf 'PONG\\r\\n' >&3; fi",
            "done");

    private static Network network;
    private static NatsContainer nats;
    private static RedisContainer redis;
    private static DockerImageName tinyImage;

    @BeforeAll
    static void start() {
        network = Network.newNetwork();
        nats = new NatsContainer().withNetwork(network);
        redis = new RedisContainer().withNetwork(network).withPassword("impl-secret");
        Startables.deepStart(nats, redis).join();
        tinyImage = LocalImage.builder()
                .withRepository("localhost/natsharness/tiny-implementation")
                .withTag("bash")
                .withExecutable(Path.of("/bin/bash"), "/bin/bash")
                .build()
                .ensureBuilt();
    }

    @AfterAll
    static void stop() {
        for (GenericContainer<?> container : new GenericContainer<?>[] {nats, redis}) {
            if (container != null) {
                container.stop();
            }
        }
        if (network != null) {
            network.close();
        }
    }

    @Nested
    @DisplayName("started next to NATS and Redis")
    class Started {

        @Test
        @DisplayName("receives NATS_URL, REDIS_URL and HTTP_PORT, and reaches NATS with that URL")
        void receivesEnvironment() throws Exception {
            try (Connection connection = Nats.connect(nats.clientOptions().build());
                    ImplementationContainer implementation = new ImplementationContainer(tinyImage)
                            .withNats(nats)
                            .withRedis(redis)
                            .withHttpPort(8080)
                            .withCommand("-c", TINY_IMPLEMENTATION)) {
                Subscription announcements = connection.subscribe("impl.started");
                connection.flush(Duration.ofSeconds(2));

                implementation.start();
                Message announcement = announcements.nextMessage(Duration.ofSeconds(20));

                assertThat(announcement).as("an announcement from the implementation").isNotNull();
                assertThat(new String(announcement.getData(), StandardCharsets.UTF_8)).isEqualTo(
                        "NATS_URL=" + nats.getInternalNatsUrl()
                                + " REDIS_URL=redis://default:impl-secret@" + redis.getNetworkAliases().get(0) + ":6379"
                                + " HTTP_PORT=8080");
                assertThat(implementation.getHttpUrl()).matches("http://localhost:\\d+");
            }
        }
    }

    @Nested
    @DisplayName("builder checks")
    class Checks {

        @Test
        @DisplayName("a NATS URL of another scheme is refused")
        void natsScheme() {
            assertThatThrownBy(() -> new ImplementationContainer(tinyImage).withNatsUrl("http://nats:4222"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not a NATS URL (nats://host:port, tls://host:port): 'http://nats:4222'");
        }

        @Test
        @DisplayName("a Redis URL without a host is refused")
        void redisHost() {
            assertThatThrownBy(() -> new ImplementationContainer(tinyImage).withRedisUrl("redis:///0"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not a Redis URL (redis://host:port, rediss://host:port): 'redis:///0'");
        }

        @Test
        @DisplayName("a NATS container on no network cannot be joined")
        void natsWithoutNetwork() {
            assertThatThrownBy(() -> new ImplementationContainer(tinyImage).withNats(new NatsContainer(tinyImage)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the NATS container is on no network: give it withNetwork(..) first, so that the"
                            + " implementation can reach it");
        }

        @Test
        @DisplayName("the HTTP URL needs an HTTP port")
        void httpUrlNeedsPort() {
            assertThatThrownBy(() -> new ImplementationContainer(tinyImage).getHttpUrl())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("no HTTP port: call withHttpPort(..) before start()");
        }
    }
}
