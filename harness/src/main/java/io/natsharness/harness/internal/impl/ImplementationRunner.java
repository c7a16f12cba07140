package io.natsharness.harness.internal.impl;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsharness.harness.HarnessException;
import io.natsharness.harness.Implementation;
import io.natsharness.harness.internal.env.NatsAccess;
import io.natsharness.sdk.spi.ImplementationProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Starts an implementation under test through its adapter and waits until its services answer
 * {@code $SRV.PING}. The container adapter lives with the containers backend.
 */
public final class ImplementationRunner {

    private ImplementationRunner() {
    }

    /**
     * Starts {@code implementation} with {@code environment} (NATS_URL, REDIS_URL, …).
     *
     * @param imageStarter starts {@link Implementation.Kind#IMAGE} implementations (needs Docker)
     */
    public static RunningImplementation start(Implementation implementation, Map<String, String> environment,
                                              NatsAccess nats, Path workDir, ImageStarter imageStarter) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put(ImplementationProvider.NH_SERVICES,
                implementation.services().isEmpty() ? "all" : String.join(",", implementation.services()));
        return switch (implementation.kind()) {
            case PROVIDER -> startProvider(implementation, env, nats);
            case COMMAND -> CommandImplementation.start(implementation, env, nats, workDir);
            case IMAGE -> imageStarter.start(implementation, env, nats);
            case EXTERNAL -> awaitExternal(implementation, nats);
        };
    }

    /** Starts an implementation packaged as a container image. */
    @FunctionalInterface
    public interface ImageStarter {
        RunningImplementation start(Implementation implementation, Map<String, String> environment, NatsAccess nats);
    }

    /** Waits until the implementation's selected services answer (any service when none is named). */
    public static void awaitServicesOf(NatsAccess nats, Implementation implementation, BooleanSupplier alive,
                                       Supplier<String> log) {
        awaitServices(nats, implementation.services(), implementation, alive, log);
    }

    /** Waits on a fresh connection until the services answer. */
    static void awaitServices(NatsAccess nats, List<String> names, Implementation implementation,
                              BooleanSupplier alive, Supplier<String> log) {
        try (Connection nc = Nats.connect(nats.options().maxReconnects(0).build())) {
            ServicePing.await(nc, names, implementation.startTimeout(), "implementation " + implementation,
                    alive, log);
        } catch (IOException e) {
            throw new HarnessException("could not connect to NATS to wait for " + implementation + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("interrupted while waiting for " + implementation, e);
        }
    }

    private static RunningImplementation startProvider(Implementation implementation, Map<String, String> env,
                                                       NatsAccess nats) {
        ImplementationProvider provider = implementation.providerInstance()
                .orElseGet(() -> findProvider(implementation.target().get(0)));
        env.put(ImplementationProvider.HTTP_PORT, "0");
        ImplementationProvider.Running running;
        try {
            running = provider.start(Map.copyOf(env));
        } catch (Exception e) {
            throw new HarnessException("implementation '" + provider.name() + "' failed to start: " + e.getMessage(), e);
        }
        List<String> names = implementation.services().isEmpty() ? running.services() : implementation.services();
        try {
            awaitServices(nats, names, implementation, () -> true, () -> "");
        } catch (RuntimeException e) {
            closeQuietly(running);
            throw e;
        }
        return new RunningImplementation() {
            @Override
            public List<String> services() {
                return List.copyOf(names);
            }

            @Override
            public OptionalInt httpPort() {
                return running.httpPort();
            }

            @Override
            public String logTail(int lines) {
                return "";
            }

            @Override
            public void close() {
                closeQuietly(running);
            }
        };
    }

    private static ImplementationProvider findProvider(String name) {
        List<String> found = new ArrayList<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (ImplementationProvider provider : ServiceLoader.load(ImplementationProvider.class, loader)) {
            if (provider.name().equals(name)) {
                return provider;
            }
            found.add(provider.name());
        }
        throw new HarnessException("no ImplementationProvider named '" + name + "' on the class path (found: "
                + (found.isEmpty() ? "none" : String.join(", ", found)) + "); add the implementation's jar as a test "
                + "dependency and register it in META-INF/services/" + ImplementationProvider.class.getName());
    }

    private static RunningImplementation awaitExternal(Implementation implementation, NatsAccess nats) {
        awaitServices(nats, implementation.services(), implementation, () -> true, () -> "");
        List<String> names = implementation.services();
        return new RunningImplementation() {
            @Override
            public List<String> services() {
                return names;
            }

            @Override
            public OptionalInt httpPort() {
                return OptionalInt.empty();
            }

            @Override
            public String logTail(int lines) {
                return "";
            }

            @Override
            public void close() {
                // not ours to stop
            }
        };
    }

    /** Closes, logging instead of throwing: shutdown must go on. */
    public static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(ImplementationRunner.class).warn("stopping the implementation failed", e);
        }
    }
}
