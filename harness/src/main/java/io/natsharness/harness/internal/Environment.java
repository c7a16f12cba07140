package io.natsharness.harness.internal;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.natsharness.harness.Backend;
import io.natsharness.harness.FaultSwitches;
import io.natsharness.harness.HarnessException;
import io.natsharness.harness.Implementation;
import io.natsharness.harness.RedisTopology;
import io.natsharness.harness.ServerNode;
import io.natsharness.harness.internal.env.BackendDriver;
import io.natsharness.harness.internal.env.BackendSelector;
import io.natsharness.harness.internal.env.EnvironmentSpec;
import io.natsharness.harness.internal.env.RuntimeInfo;
import io.natsharness.harness.internal.impl.ImplementationRunner;
import io.natsharness.harness.internal.impl.RunningImplementation;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running environment: the servers of one backend, the implementation under test, and what
 * tests need to reach them. Held in an {@code ExtensionContext.Store}, which closes it.
 */
public final class Environment implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Environment.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EnvironmentSpec spec;
    private final BackendSelector.Choice choice;
    private final BackendDriver.Servers servers;
    private final Optional<RunningImplementation> implementation;
    private final Path workDir;
    private final ClientResources redisResources;
    private final RuntimeInfo info;
    private final String runId;
    private final Duration startup;
    private final Drivers drivers;
    private final java.util.concurrent.atomic.AtomicInteger extraImplementations = new java.util.concurrent.atomic.AtomicInteger();

    private Environment(EnvironmentSpec spec, BackendSelector.Choice choice, BackendDriver.Servers servers,
                        Optional<RunningImplementation> implementation, Path workDir, ClientResources redisResources,
                        RuntimeInfo info, String runId, Duration startup, Drivers drivers) {
        this.spec = spec;
        this.choice = choice;
        this.servers = servers;
        this.implementation = implementation;
        this.workDir = workDir;
        this.redisResources = redisResources;
        this.info = info;
        this.runId = runId;
        this.startup = startup;
        this.drivers = drivers;
    }

    /**
     * Chooses the backend, starts the servers and the implementation, and returns once all answer.
     *
     * @throws HarnessException with a message that says what to do
     */
    public static Environment start(EnvironmentSpec spec, BackendSelector selector, Drivers drivers) {
        long begin = System.nanoTime();
        BackendSelector.Choice choice = selector.choose(spec.backend());
        LOG.info("nats-harness: {} backend ({}) for {}", choice.backend().name().toLowerCase(), choice.reason(),
                spec.describe());
        BackendDriver driver = drivers.driver(choice.backend());
        Path workDir = createWorkDir();
        // Lettuce's event loops are costly to make: one set per environment, shared by its clients
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2)
                .computationThreadPoolSize(2).build();
        BackendDriver.Servers servers = null;
        try {
            servers = driver.start(spec, workDir, resources);
            String runId = HexFormat.of().formatHex(RANDOM.generateSeed(2));
            Map<String, String> baseEnv = new LinkedHashMap<>(servers.nats().environment());
            servers.redis().ifPresent(r -> baseEnv.putAll(r.environment()));
            baseEnv.put("NH_KEY_PREFIX", "nh-" + runId + ":");
            Optional<RunningImplementation> implementation = Optional.empty();
            if (spec.implementation().isPresent()) {
                implementation = Optional.of(ImplementationRunner.start(spec.implementation().get(), baseEnv,
                        servers.nats(), workDir.resolve("implementation"), drivers.imageStarter()));
                implementation.get().httpPort().ifPresent(p -> baseEnv.put("HTTP_PORT", Integer.toString(p)));
            }
            RuntimeInfo info = new RuntimeInfo(choice.backend(), choice.reason(), servers.nats(), servers.natsUsers(), servers.redis(),
                    runId, baseEnv);
            Duration startup = Duration.ofNanos(System.nanoTime() - begin);
            LOG.info("nats-harness: ready in {} ms: {}", startup.toMillis(), info);
            return new Environment(spec, choice, servers, implementation, workDir, resources, info, runId, startup,
                    drivers);
        } catch (Exception e) {
            closeQuietly(servers == null ? null : servers.shutdown());
            resources.shutdown(0, 1, java.util.concurrent.TimeUnit.SECONDS);
            deleteQuietly(workDir);
            if (e instanceof HarnessException he) {
                throw he;
            }
            throw new HarnessException("the " + choice.backend().name().toLowerCase() + " backend could not start "
                    + spec.describe() + ": " + e.getMessage(), e);
        }
    }

    /** The runtime info seen from a scope; {@code scopeId} is a JUnit unique id. */
    public RuntimeInfo info(String scopeId) {
        return info.forScope(runId + Integer.toHexString(scopeId.hashCode() & 0x7fffffff));
    }

    /** The info of the environment itself (its key prefix is the implementation's). */
    public RuntimeInfo info() {
        return info;
    }

    /** What was asked for. */
    public EnvironmentSpec spec() {
        return spec;
    }

    /** The backend in use. */
    public Backend backend() {
        return choice.backend();
    }

    /** How long start to ready took. */
    public Duration startup() {
        return startup;
    }

    /** Lettuce's event loops of this environment; clients made on them must be shut down, the resources not. */
    public ClientResources redisResources() {
        return redisResources;
    }

    /** The fault switches of every server. */
    public FaultSwitches faultSwitches() {
        List<ServerNode> nats = servers.natsNodes();
        List<ServerNode> redis = servers.redisNodes();
        return new FaultSwitches() {
            @Override
            public List<ServerNode> natsNodes() {
                return nats;
            }

            @Override
            public List<ServerNode> redisNodes() {
                return redis;
            }

            @Override
            public String toString() {
                return "FaultSwitches" + nats + redis;
            }
        };
    }

    /** The last {@code lines} of every server's (and the implementation's) log, one section each. */
    public String logTails(int lines) {
        StringBuilder report = new StringBuilder();
        for (ServerNode node : servers.natsNodes()) {
            section(report, node.name() + " (port " + node.port() + ")", node.logTail(lines));
        }
        for (ServerNode node : servers.redisNodes()) {
            section(report, node.name() + " (port " + node.port() + ")", node.logTail(lines));
        }
        implementation.ifPresent(i -> {
            String tail = i.logTail(lines);
            if (!tail.isBlank()) {
                section(report, "implementation", tail);
            }
        });
        return report.toString();
    }

    /** The implementation started with the environment, if any. */
    public Optional<RunningImplementation> implementation() {
        return implementation;
    }

    /**
     * Starts one more instance of an implementation against this environment's servers, with the
     * same environment variables (a second instance shares the load through the queue group).
     * Closing it stops that instance only.
     */
    public RunningImplementation startImplementation(Implementation another) {
        Map<String, String> env = new LinkedHashMap<>(info.implementationEnvironment());
        env.put("HTTP_PORT", "0");
        Path dir = workDir.resolve("implementation-" + extraImplementations.incrementAndGet());
        return ImplementationRunner.start(another, env, servers.nats(), dir, drivers.imageStarter());
    }

    /** The private work folder (stores, configs, logs). */
    Path workDir() {
        return workDir;
    }

    /** True when the environment has Redis. */
    public boolean hasRedis() {
        return spec.redis() != RedisTopology.NONE && servers.redis().isPresent();
    }

    @Override
    public void close() {
        implementation.ifPresent(ImplementationRunner::closeQuietly);
        closeQuietly(servers.shutdown());
        redisResources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        deleteQuietly(workDir);
        LOG.debug("nats-harness: environment closed ({})", spec.describe());
    }

    private static void section(StringBuilder report, String title, String body) {
        report.append("----- ").append(title).append(" -----\n").append(body).append('\n');
    }

    private static Path createWorkDir() {
        try {
            return Files.createTempDirectory("nats-harness-");
        } catch (IOException e) {
            throw new HarnessException("could not create a work folder under java.io.tmpdir="
                    + System.getProperty("java.io.tmpdir") + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("nats-harness: stopping servers failed", e);
        }
    }

    static void deleteQuietly(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debug("nats-harness: could not delete {}", dir, e);
        }
    }
}
