package io.natsharness.harness.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.natsharness.harness.fixtures.CrashMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Server processes of a JVM that is killed")
class CrashCleanupTest {

    @Test
    @DisplayName("die with it, even on SIGKILL where no shutdown hook runs")
    void dieWithTheJvm() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), CrashMain.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String line;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream()))) {
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("PORTS "));
        }
        assertThat(line).as("the child JVM printed its ports").isNotNull();
        int natsPort = Integer.parseInt(line.split(" ")[1]);
        int redisPort = Integer.parseInt(line.split(" ")[2]);
        assertThat(accepts(natsPort)).isTrue();

        jvm.destroyForcibly().waitFor(); // SIGKILL

        await().atMost(Duration.ofSeconds(10))
                .until(() -> !accepts(natsPort) && !accepts(redisPort));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
