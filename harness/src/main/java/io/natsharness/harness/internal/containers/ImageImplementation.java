package io.natsharness.harness.internal.containers;

import com.github.dockerjava.api.DockerClient;
import io.natsharness.containers.DockerCheck;
import io.natsharness.containers.ImplementationContainer;
import io.natsharness.harness.HarnessException;
import io.natsharness.harness.Implementation;
import io.natsharness.harness.internal.env.LogFiles;
import io.natsharness.harness.internal.env.NatsAccess;
import io.natsharness.harness.internal.impl.ImplementationRunner;
import io.natsharness.harness.internal.impl.RunningImplementation;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * An implementation packaged as a container image. It runs in the host's network, so the same
 * {@code NATS_URL} and {@code REDIS_URL} on 127.0.0.1 work whichever backend runs the servers.
 */
public final class ImageImplementation implements RunningImplementation {

    private final ImplementationContainer container;
    private final List<String> services;
    private final int httpPort;

    private ImageImplementation(ImplementationContainer container, List<String> services, int httpPort) {
        this.container = container;
        this.services = services;
        this.httpPort = httpPort;
    }

    /** Starts the image with {@code environment} and waits for its services. */
    public static RunningImplementation start(Implementation implementation, Map<String, String> environment,
                                              NatsAccess nats) {
        DockerCheck.Result docker = DockerCheck.check(Duration.ofSeconds(5));
        if (!docker.available()) {
            throw new HarnessException("Implementation.image(..) needs a Docker engine: " + docker.message());
        }
        int httpPort = freePort();
        ImplementationContainer container = new ImplementationContainer(
                DockerImageName.parse(implementation.target().get(0)));
        container.withNetworkMode("host");
        // Testcontainers' own check fails an image that exits at once with only "Container startup
        // failed" and no output: let start() pass, so the $SRV.PING wait below sees the exit and
        // reports it with the image's log, as it does for commands.
        container.withStartupCheckStrategy(new StartupCheckStrategy() {
            @Override
            public StartupStatus checkStartupState(DockerClient dockerClient, String containerId) {
                return StartupStatus.SUCCESSFUL;
            }
        });
        environment.forEach(container::withEnv);
        container.withEnv("HTTP_PORT", Integer.toString(httpPort));
        try {
            container.start();
        } catch (RuntimeException e) {
            throw new HarnessException("could not start the implementation image " + implementation.target().get(0)
                    + ": " + e.getMessage(), e);
        }
        ImageImplementation running = new ImageImplementation(container, implementation.services(), httpPort);
        try {
            ImplementationRunner.awaitServicesOf(nats, implementation, container::isRunning,
                    () -> "implementation output:\n" + running.logTail(20));
        } catch (RuntimeException e) {
            running.close();
            throw e;
        }
        return running;
    }

    @Override
    public List<String> services() {
        return services;
    }

    @Override
    public OptionalInt httpPort() {
        return OptionalInt.of(httpPort);
    }

    @Override
    public String logTail(int lines) {
        try {
            return LogFiles.lastLines(container.getLogs(), lines);
        } catch (RuntimeException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        container.stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new HarnessException("could not find a free port for the implementation's HTTP side", e);
        }
    }
}
