package io.natsharness.harness.benchmark;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsharness.harness.Backend;
import io.natsharness.harness.RedisTopology;
import io.natsharness.harness.internal.Drivers;
import io.natsharness.harness.internal.Environment;
import io.natsharness.harness.internal.embedded.Binaries;
import io.natsharness.harness.internal.env.BackendSelector;
import io.natsharness.harness.internal.env.EnvironmentSpec;
import io.natsharness.harness.internal.env.SecuritySpec;
import io.natsharness.harness.internal.env.Settings;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Start-to-ready time of each backend, next to a bare nats-server process measured in the same run.
 * Prints figures; asserts nothing (speed on a shared 2-core machine is not a pass/fail matter).
 *
 * <pre>
 * ./mvnw -B -o -q test-compile exec:java -pl harness -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.natsharness.harness.benchmark.StartupBenchmark [-Dexec.args="5 3"]
 * </pre>
 */
public final class StartupBenchmark {

    private StartupBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int containerRounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.printf("%-52s %6s %8s %8s %8s%n", "what (start -> ready)", "runs", "min ms", "median", "max ms");
        measure("bare nats-server -js (process start -> client connected)", rounds, StartupBenchmark::bareNats);
        measure("embedded: NATS+JetStream+Redis", rounds, () -> env(Backend.EMBEDDED, 1, RedisTopology.STANDALONE));
        measure("embedded: 3-node JetStream cluster + Redis", rounds,
                () -> env(Backend.EMBEDDED, 3, RedisTopology.STANDALONE));
        measure("embedded: 3-node cluster + 3-master Redis Cluster", rounds,
                () -> env(Backend.EMBEDDED, 3, RedisTopology.CLUSTER));
        if (io.natsharness.harness.internal.env.DockerProbe.answers()) {
            measure("containers: NATS+JetStream+Redis", containerRounds,
                    () -> env(Backend.CONTAINERS, 1, RedisTopology.STANDALONE));
            measure("containers: 3-node JetStream cluster + Redis", containerRounds,
                    () -> env(Backend.CONTAINERS, 3, RedisTopology.STANDALONE));
        } else {
            System.out.println("containers: skipped, no Docker engine answers");
        }
        System.exit(0);
    }

    private static void measure(String what, int rounds, Callable<AutoCloseable> start) throws Exception {
        start.call().close(); // warm-up: class loading, local image builds
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long begin = System.nanoTime();
            AutoCloseable running = start.call();
            millis.add((System.nanoTime() - begin) / 1_000_000);
            running.close();
        }
        Collections.sort(millis);
        System.out.printf("%-52s %6d %8d %8d %8d%n", what, rounds, millis.get(0), millis.get(millis.size() / 2),
                millis.get(millis.size() - 1));
    }

    private static AutoCloseable env(Backend backend, int natsNodes, RedisTopology redis) {
        Settings settings = Settings.of(Map.of());
        return Environment.start(new EnvironmentSpec(backend, natsNodes, redis, Optional.empty(), false,
                        SecuritySpec.plain()), new BackendSelector(settings, Binaries::natsServer, () -> true),
                Drivers.standard(settings));
    }

    private static AutoCloseable bareNats() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path store = Files.createTempDirectory("bare-nats-");
        Process process = new ProcessBuilder(Binaries.natsServer().orElseThrow().toString(), "-a", "127.0.0.1",
                "-p", Integer.toString(port), "-js", "-sd", store.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Options options = new Options.Builder().server("nats://127.0.0.1:" + port).noReconnect()
                .connectionTimeout(Duration.ofMillis(500)).errorListener(new ErrorListener() { }).build();
        for (int attempt = 0; attempt < 1000; attempt++) {
            try (Connection nc = Nats.connect(options)) {
                break;
            } catch (java.io.IOException e) {
                Thread.sleep(5);
            }
        }
        return () -> {
            process.destroy();
            process.waitFor();
        };
    }
}
