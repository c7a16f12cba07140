package io.natsharness.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints how long each kind of container takes from start() to ready, next to a bare nats-server
 * process measured in the same run. Off by default; run with
 * {@code ./mvnw -o test -pl containers -Dtest=ContainerStartBenchmark -Dnh.benchmark=true}.
 */
@DisplayName("benchmark: start to ready")
@EnabledIfSystemProperty(named = "nh.benchmark", matches = "true")
class ContainerStartBenchmark {

    private static final int ROUNDS = 5;
    private static final int CLUSTER_ROUNDS = 2;

    @Test
    @DisplayName("prints start-to-ready times")
    void startToReady() throws Exception {
        ContainerImages.nats();
        ContainerImages.redis(); // image resolution and local builds are not part of the figures
        List<String> rows = new ArrayList<>();
        rows.add(row("bare nats-server process (-js)", ROUNDS, ContainerStartBenchmark::bareNatsServer));
        rows.add(row("NatsContainer (JetStream)", ROUNDS, () -> {
            try (NatsContainer nats = new NatsContainer().withJetStream()) {
                return time(nats::start);
            }
        }));
        rows.add(row("RedisContainer", ROUNDS, () -> {
            try (RedisContainer redis = new RedisContainer()) {
                return time(redis::start);
            }
        }));
        rows.add(row("NatsClusterContainers (3 nodes)", CLUSTER_ROUNDS, () -> {
            try (NatsClusterContainers cluster = new NatsClusterContainers()) {
                return time(cluster::start);
            }
        }));
        rows.add(row("RedisClusterContainers (3 masters)", CLUSTER_ROUNDS, () -> {
            try (RedisClusterContainers cluster = new RedisClusterContainers()) {
                return time(cluster::start);
            }
        }));
        System.out.println();
        System.out.printf(Locale.ROOT, "%-36s %6s %8s %8s%n", "start to ready", "runs", "median", "max");
        rows.forEach(System.out::println);
        assertThat(rows).hasSize(5);
    }

    private interface Measured {
        long millis() throws Exception;
    }

    private static String row(String what, int rounds, Measured measured) throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            millis.add(measured.millis());
        }
        Collections.sort(millis);
        return String.format(Locale.ROOT, "%-36s %6d %6d ms %5d ms", what, rounds, millis.get(millis.size() / 2),
                millis.get(millis.size() - 1));
    }

    private static long time(Runnable start) {
        long begin = System.nanoTime();
        start.run();
        return (System.nanoTime() - begin) / 1_000_000;
    }

    /** The reference: nats-server as a child process, ready when a client connects and JetStream answers. */
    private static long bareNatsServer() throws Exception {
        int port = LoopbackPorts.freePort();
        Path store = Files.createTempDirectory("bench-js");
        Path binary = HostBinaries.find("NATS_SERVER_BIN", "nats-server").orElseThrow();
        long begin = System.nanoTime();
        Process process = new ProcessBuilder(binary.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port), "-js",
                "-sd", store.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Options options = Options.builder().server("nats://127.0.0.1:" + port).noReconnect()
                    .connectionTimeout(Duration.ofSeconds(1)).errorListener(new ErrorListener() {
                        @Override
                        public void exceptionOccurred(Connection connection, Exception exception) {
                            // expected until the server listens
                        }
                    }).build();
            for (int attempt = 0; attempt < 500; attempt++) {
                try (Connection connection = Nats.connect(options)) {
                    connection.jetStreamManagement().getAccountStatistics();
                    return (System.nanoTime() - begin) / 1_000_000;
                } catch (IOException e) {
                    Thread.sleep(5);
                }
            }
            throw new AssertionError("nats-server did not come up");
        } finally {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
