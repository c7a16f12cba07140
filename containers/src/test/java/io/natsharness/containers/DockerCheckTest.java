package io.natsharness.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("DockerCheck")
class DockerCheckTest {

    @Nested
    @DisplayName("with the engine of this machine")
    class Available {

        @Test
        @DisplayName("says Docker answers, and which")
        void available() {
            DockerCheck.Result result = DockerCheck.check(Duration.ofSeconds(20));

            assertThat(result.available()).isTrue();
            assertThat(result.message()).matches("Docker \\d+\\.\\d+\\.\\S+ answers at \\S+");
            assertThat(DockerCheck.isDockerAvailable(Duration.ofSeconds(20))).isTrue();
        }

        @Test
        @DisplayName("refuses a timeout that is not positive")
        void zeroTimeout() {
            assertThatThrownBy(() -> DockerCheck.check(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the timeout must be positive: PT0S");
        }
    }

    @Nested
    @DisplayName("when DOCKER_HOST points at nothing (in a JVM of its own)")
    class Unavailable {

        @Test
        @DisplayName("a closed TCP port: false at once, with the reason and what to do")
        void closedPort() throws Exception {
            int port = unusedPort();
            String dockerHost = "tcp://127.0.0.1:" + port;

            Outcome outcome = runCheck(dockerHost, 3000);

            assertThat(outcome.available).isFalse();
            assertThat(outcome.message).isEqualTo("No Docker engine answered at " + dockerHost
                    + " (DOCKER_HOST): Connection refused. " + DockerCheck.ADVICE);
            assertThat(outcome.millis).isLessThan(3000);
        }

        @Test
        @DisplayName("a missing unix socket: false at once")
        void missingSocket(@TempDir Path folder) throws Exception {
            String dockerHost = "unix://" + folder.resolve("docker.sock");

            Outcome outcome = runCheck(dockerHost, 3000);

            assertThat(outcome.available).isFalse();
            assertThat(outcome.message).isEqualTo("No Docker engine answered at " + dockerHost
                    + " (DOCKER_HOST): No such file or directory. " + DockerCheck.ADVICE);
        }

        @Test
        @DisplayName("an endpoint that accepts but never answers: false when the time is up")
        void silentEndpoint() throws Exception {
            try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                String dockerHost = "tcp://127.0.0.1:" + silent.getLocalPort();

                Outcome outcome = runCheck(dockerHost, 2000);

                assertThat(outcome.available).isFalse();
                assertThat(outcome.message).isEqualTo("No Docker engine answered within 2s (DOCKER_HOST="
                        + dockerHost + "). " + DockerCheck.ADVICE);
                assertThat(outcome.millis).isBetween(2000L, 5000L);
            }
        }
    }

    private record Outcome(boolean available, long millis, String message) {
    }

    private static Outcome runCheck(String dockerHost, long timeoutMillis) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                DockerCheckMain.class.getName(), Long.toString(timeoutMillis)))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("DOCKER_HOST", dockerHost);
        Process process = builder.start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the check's JVM did not finish within 60s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String[] parts = output.split("\\|", 3);
            if (parts.length != 3) {
                throw new AssertionError("unexpected output: " + output);
            }
            return new Outcome(Boolean.parseBoolean(parts[0]), Long.parseLong(parts[1]), parts[2]);
        } finally {
            process.destroyForcibly();
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
