package io.natsharness.harness.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessException;
import io.natsharness.harness.RedisTopology;
import io.natsharness.harness.internal.embedded.Binaries;
import io.natsharness.harness.internal.env.BackendSelector;
import io.natsharness.harness.internal.env.EnvironmentSpec;
import io.natsharness.harness.internal.env.SecuritySpec;
import io.natsharness.harness.internal.env.Settings;
import io.natsharness.harness.internal.external.ExternalDriver;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The external backend, pointed at servers the embedded backend runs (a real deployment stand-in). */
@DisplayName("The external backend")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExternalBackendTest {

    private Environment deployment;

    @BeforeAll
    void startDeployment() {
        deployment = Environment.start(new EnvironmentSpec(Backend.EMBEDDED, 1, RedisTopology.STANDALONE,
                Optional.empty(), false, SecuritySpec.plain()), new BackendSelector(Settings.of(Map.of()),
                Binaries::natsServer, () -> false), Drivers.standard(Settings.of(Map.of())));
    }

    @AfterAll
    void stopDeployment() {
        deployment.close();
    }

    private Environment connect(Map<String, String> values, Backend backend, RedisTopology redis) {
        Settings settings = Settings.of(values);
        return Environment.start(new EnvironmentSpec(backend, 1, redis, Optional.empty(), false,
                        SecuritySpec.plain()), new BackendSelector(settings, Binaries::natsServer, () -> false),
                Drivers.standard(settings).with(new ExternalDriver(settings, Duration.ofMillis(600))));
    }

    private Map<String, String> deploymentUrls() {
        return Map.of("NATS_URL", deployment.info().natsUrl(),
                "REDIS_URL", deployment.info().implementationEnvironment().get("REDIS_URL"));
    }

    @Test
    @DisplayName("is chosen automatically when NATS_URL is set, and its NATS answers")
    void chosenAndConnected() throws Exception {
        try (Environment external = connect(deploymentUrls(), Backend.AUTO, RedisTopology.STANDALONE);
             Connection nc = Nats.connect(external.info().natsOptions().build())) {
            assertThat(external.info().backend()).isEqualTo(Backend.EXTERNAL);
            assertThat(external.info().backendReason()).isEqualTo("auto: NATS_URL is set");
            assertThat(nc.jetStreamManagement().getAccountStatistics()).isNotNull();
            assertThat(external.info().redisUri().orElseThrow().getPort())
                    .isEqualTo(deployment.faultSwitches().redis().port());
        }
    }

    @Test
    @DisplayName("refuses fault switches: the deployment is not the harness's to kill")
    void noFaultSwitches() {
        try (Environment external = connect(deploymentUrls(), Backend.EXTERNAL, RedisTopology.NONE)) {
            assertThatThrownBy(() -> external.faultSwitches().nats().kill())
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessage("cannot kill nats-0: the external backend only connects to a running deployment; "
                            + "fault switches need the embedded or containers backend");
        }
    }

    @Test
    @DisplayName("fails fast with the URL when nothing answers there")
    void unreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "nats://127.0.0.1:" + closedPort;

        assertThatThrownBy(() -> connect(Map.of("NATS_URL", url), Backend.EXTERNAL, RedisTopology.NONE))
                .isInstanceOf(HarnessException.class)
                .hasMessageStartingWith("external NATS at " + url + " was not ready after 600 ms (last probe: ")
                .hasMessageEndingWith("Its log ends with:\n(check NATS_URL, the credentials and that JetStream is "
                        + "enabled)");
    }

    @Test
    @DisplayName("asks for REDIS_URL when the test wants Redis")
    void missingRedisUrl() {
        assertThatThrownBy(() -> connect(Map.of("NATS_URL", deployment.info().natsUrl()), Backend.EXTERNAL,
                RedisTopology.STANDALONE))
                .isInstanceOf(HarnessException.class)
                .hasMessage("the test asks for Redis but REDIS_URL (or -Dnatsharness.redis.url) is not set; set it "
                        + "to the running Redis, or use redis = false");
    }
}
