package io.natsharness.harness.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessException;
import io.natsharness.harness.internal.env.BackendSelector;
import io.natsharness.harness.internal.env.BackendSelector.Choice;
import io.natsharness.harness.internal.env.Settings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Backend selection")
class BackendSelectorTest {

    private static final Optional<Path> NATS = Optional.of(Path.of("/usr/sbin/nats-server"));

    private static BackendSelector selector(Map<String, String> settings, Optional<Path> nats, boolean docker) {
        return new BackendSelector(Settings.of(settings), () -> nats, () -> docker);
    }

    @Nested
    @DisplayName("precedence")
    class Precedence {

        @Test
        @DisplayName("a backend named in code wins over the system property")
        void codeWins() {
            Choice choice = selector(Map.of("natsharness.backend", "containers"), NATS, true).choose(Backend.EMBEDDED);

            assertThat(choice).isEqualTo(new Choice(Backend.EMBEDDED, "requested by the test"));
        }

        @Test
        @DisplayName("the system property wins over NH_BACKEND")
        void propertyOverVariable() {
            Choice choice = selector(Map.of("natsharness.backend", "containers", "NH_BACKEND", "embedded"), NATS,
                    true).choose(Backend.AUTO);

            assertThat(choice).isEqualTo(new Choice(Backend.CONTAINERS, "-Dnatsharness.backend=containers"));
        }

        @Test
        @DisplayName("NH_BACKEND is read when no property is set, in any case")
        void variable() {
            Choice choice = selector(Map.of("NH_BACKEND", "External"), NATS, true).choose(Backend.AUTO);

            assertThat(choice).isEqualTo(new Choice(Backend.EXTERNAL, "NH_BACKEND=External"));
        }

        @Test
        @DisplayName("a misspelt backend is refused with the valid names")
        void typo() {
            assertThatThrownBy(() -> selector(Map.of("NH_BACKEND", "embeded"), NATS, true).choose(Backend.AUTO))
                    .isInstanceOf(HarnessException.class)
                    .hasMessage("NH_BACKEND=embeded is not a backend; use one of [auto, embedded, containers, "
                            + "external]");
        }
    }

    @Nested
    @DisplayName("detection")
    class Detection {

        @Test
        @DisplayName("prefers external when NATS_URL is set")
        void external() {
            Choice choice = selector(Map.of("NATS_URL", "nats://staging:4222"), NATS, true).choose(Backend.AUTO);

            assertThat(choice).isEqualTo(new Choice(Backend.EXTERNAL, "auto: NATS_URL is set"));
        }

        @Test
        @DisplayName("then embedded when nats-server is found, without asking Docker")
        void embedded() {
            AtomicBoolean dockerAsked = new AtomicBoolean();
            BackendSelector selector = new BackendSelector(Settings.of(Map.of()), () -> NATS, () -> {
                dockerAsked.set(true);
                return true;
            });

            assertThat(selector.choose(Backend.AUTO))
                    .isEqualTo(new Choice(Backend.EMBEDDED, "auto: nats-server found at /usr/sbin/nats-server"));
            assertThat(dockerAsked).isFalse();
        }

        @Test
        @DisplayName("then containers when Docker answers")
        void containers() {
            Choice choice = selector(Map.of(), Optional.empty(), true).choose(Backend.AUTO);

            assertThat(choice).isEqualTo(new Choice(Backend.CONTAINERS, "auto: no nats-server on PATH, Docker answers"));
        }

        @Test
        @DisplayName("else one error that says what to install")
        void nothing() {
            assertThatThrownBy(() -> selector(Map.of(), Optional.empty(), false).choose(Backend.AUTO))
                    .isInstanceOf(HarnessException.class)
                    .hasMessage("No backend for NATS and Redis is available: nats-server is not on PATH, "
                            + "NATS_SERVER_BIN is not set, no Docker engine answers and NATS_URL is not set. Install "
                            + "nats-server (apt-get install nats-server) for the embedded backend, or start a Docker "
                            + "engine for the containers backend, or set NATS_URL (and REDIS_URL) to use a running "
                            + "deployment.");
        }

        @Test
        @DisplayName("NH_BACKEND=auto falls through to detection")
        void explicitAuto() {
            Choice choice = selector(Map.of("NH_BACKEND", "auto"), NATS, false).choose(Backend.AUTO);

            assertThat(choice.backend()).isEqualTo(Backend.EMBEDDED);
        }
    }
}
