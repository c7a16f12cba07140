package io.natsharness.harness.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.natsharness.harness.Backend;
import io.natsharness.harness.RedisTopology;
import io.natsharness.harness.internal.embedded.Binaries;
import io.natsharness.harness.internal.env.BackendSelector;
import io.natsharness.harness.internal.env.EnvironmentSpec;
import io.natsharness.harness.internal.env.SecuritySpec;
import io.natsharness.harness.internal.env.Settings;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@DisplayName("The embedded backend")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedEnvironmentTest {

    private Environment environment;

    @BeforeAll
    void start() {
        EnvironmentSpec spec = new EnvironmentSpec(Backend.EMBEDDED, 1, RedisTopology.STANDALONE, Optional.empty(),
                false, SecuritySpec.plain());
        environment = Environment.start(spec, new BackendSelector(Settings.of(Map.of()), Binaries::natsServer,
                () -> false), Drivers.standard(Settings.of(Map.of())));
    }

    @AfterAll
    void stop() {
        if (environment != null) {
            environment.close();
        }
    }

    @Nested
    @DisplayName("when started")
    class WhenStarted {

        @Test
        @DisplayName("serves NATS on a random loopback port with JetStream answering")
        void natsWithJetStream() throws Exception {
            String url = environment.info().natsUrl();
            assertThat(url).matches("nats://127\\.0\\.0\\.1:\\d+").isNotEqualTo("nats://127.0.0.1:4222");
            try (Connection nc = Nats.connect(environment.info().natsOptions().build())) {
                JetStreamManagement jsm = nc.jetStreamManagement();
                String name = environment.info("test-1").uniqueName("ORDERS");
                StreamInfo stream = jsm.addStream(StreamConfiguration.builder().name(name)
                        .subjects(name + ".>").build());
                assertThat(stream.getConfiguration().getName()).isEqualTo(name);
                nc.jetStream().publish(name + ".created", "one".getBytes());
                assertThat(jsm.getStreamInfo(name).getStreamState().getMsgCount()).isEqualTo(1);
            }
        }

        @Test
        @DisplayName("serves Redis that answers PING through Lettuce")
        void redisAnswers() {
            RedisClient client = RedisClient.create(environment.redisResources(),
                    environment.info().redisUri().orElseThrow());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                assertThat(connection.sync().ping()).isEqualTo("PONG");
                connection.sync().set("k", "v");
                assertThat(connection.sync().get("k")).isEqualTo("v");
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }

        @Test
        @DisplayName("chose the embedded backend because the test asked for it")
        void reportsItsBackend() {
            assertThat(environment.info().backend()).isEqualTo(Backend.EMBEDDED);
            assertThat(environment.info().backendReason()).isEqualTo("requested by the test");
        }

        @Test
        @DisplayName("gives each scope its own key prefix and JetStream names")
        void isolatesScopes() {
            assertThat(environment.info("[method:a()]").keyPrefix())
                    .isNotEqualTo(environment.info("[method:b()]").keyPrefix())
                    .startsWith("nh-").endsWith(":");
            assertThat(environment.info("[method:a()]").uniqueName("S"))
                    .isEqualTo(environment.info("[method:a()]").uniqueName("S"));
        }

        @Test
        @DisplayName("hands an implementation NATS_URL, REDIS_URL and the environment's key prefix")
        void implementationEnvironment() {
            Map<String, String> env = environment.info("x").implementationEnvironment();
            assertThat(env).containsEntry("NATS_URL", environment.info().natsUrl())
                    .containsEntry("REDIS_URL", "redis://127.0.0.1:" + environment.faultSwitches().redis().port())
                    .containsEntry("NH_KEY_PREFIX", environment.info().keyPrefix());
        }

        @Test
        @DisplayName("keeps each server's log for failure reports")
        void logsEachServer() {
            assertThat(environment.logTails(50))
                    .contains("----- nats-0 (port " + environment.faultSwitches().nats().port() + ") -----")
                    .contains("Server is ready")
                    .contains("----- redis-0")
                    .contains("Ready to accept connections");
        }
    }

    @Test
    @DisplayName("stops its servers and removes its work folder when closed")
    void closesEverything() {
        EnvironmentSpec spec = new EnvironmentSpec(Backend.EMBEDDED, 1, RedisTopology.NONE, Optional.empty(),
                false, SecuritySpec.plain());
        Environment other = Environment.start(spec, new BackendSelector(Settings.of(Map.of()), Binaries::natsServer,
                () -> false), Drivers.standard(Settings.of(Map.of())));
        assertThat(other.faultSwitches().redisNodes()).isEmpty();
        assertThat(other.faultSwitches().nats().isRunning()).isTrue();
        Path workDir = other.workDir();
        assertThat(workDir).isDirectory();
        int port = other.faultSwitches().nats().port();

        other.close();

        assertThat(other.faultSwitches().nats().isRunning()).isFalse();
        assertThat(workDir).doesNotExist();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }
}
