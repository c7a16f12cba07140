package io.natsharness.harness;

import static io.natsharness.harness.EngineRuns.failures;
import static io.natsharness.harness.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natsharness.harness.fixtures.BrokenCommandFixture;
import io.natsharness.harness.fixtures.CommandFixture;
import io.natsharness.harness.fixtures.ProviderFixture;
import io.natsharness.harness.fixtures.UnknownProviderFixture;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

@DisplayName("Implementation under test")
class ImplementationTest {

    @Nested
    @DisplayName("in-process through ServiceLoader")
    class Provider {

        @Test
        @DisplayName("is started with the environment and awaited on $SRV.PING before the tests run")
        void startedAndAwaited() {
            EngineExecutionResults results = run(ProviderFixture.class);

            results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
        }

        @Test
        @DisplayName("that is not on the class path fails with the names that are")
        void unknownProvider() {
            EngineExecutionResults results = run(UnknownProviderFixture.class);

            assertThat(failures(results)).singleElement().extracting(Throwable::getMessage).isEqualTo(
                    "no ImplementationProvider named 'no-such-implementation' on the class path (found: "
                            + "harness-echo); add the implementation's jar as a test dependency and register it in "
                            + "META-INF/services/io.natsharness.sdk.spi.ImplementationProvider");
        }
    }

    @Nested
    @DisplayName("as a command")
    class Command {

        @Test
        @DisplayName("gets NATS_URL, REDIS_URL, HTTP_PORT and NH_SERVICES, and is stopped after the class")
        void environmentAndLifecycle() {
            EngineExecutionResults results = run(CommandFixture.class);

            results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
            long pid = Long.parseLong(EngineRuns.entries(results, "pid").get(0));
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        }

        @Test
        @DisplayName("that exits during start-up fails at once with its output")
        void exitsEarly() {
            EngineExecutionResults results = run(BrokenCommandFixture.class);

            assertThat(failures(results)).singleElement().extracting(Throwable::getMessage).isEqualTo(
                    "implementation command sh -c echo 'missing setting: DATABASE'; exit 3 services=[payment] exited "
                            + "during start-up. Its log ends with:\nimplementation output:\nmissing setting: DATABASE");
        }
    }

    @Nested
    @DisplayName("format checks")
    class FormatChecks {

        @Test
        @DisplayName("a command needs a program")
        void emptyCommand() {
            assertThatThrownBy(Implementation::command).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("command needs a program and its arguments, none of them null, e.g. "
                            + "Implementation.command(\"python3\", \"-m\", \"services\")");
        }

        @Test
        @DisplayName("an image name has no whitespace")
        void imageWithSpace() {
            assertThatThrownBy(() -> Implementation.image("acme/services 1.0"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("image name must not contain whitespace: 'acme/services 1.0'");
        }

        @Test
        @DisplayName("a start timeout is positive")
        void zeroTimeout() {
            assertThatThrownBy(() -> Implementation.external().withStartTimeout(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("start timeout must be positive, was PT0S");
        }

        @Test
        @DisplayName("equal configurations are equal, so shared environments find each other")
        void valueSemantics() {
            assertThat(Implementation.provider("reference").services("payment"))
                    .isEqualTo(Implementation.provider("reference").services("payment"))
                    .isNotEqualTo(Implementation.provider("reference").services("settings"));
        }
    }
}
