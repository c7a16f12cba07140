package io.natsharness.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * Fault switches for one server container: pause and resume ({@code docker pause}, the cgroup
 * freezer: clients see a hung server), kill (SIGKILL), stop (SIGTERM, a clean shutdown) and start
 * again on the same ports with the same store.
 *
 * <p>Unlike {@link GenericContainer#stop()}, which removes the container, these keep it: its file
 * system (the JetStream store, Redis' data folder) and its port bindings stay, so {@link #start()}
 * brings back the same server at the same address and waits until it answers clients again. Ports
 * stay the same when the engine runs on this machine (the containers publish on 127.0.0.1 at ports
 * chosen up front).
 *
 * <pre>{@code
 * nats.faults().kill();
 * // ... the client sees the server gone ...
 * nats.faults().start(); // same URL, same streams
 * }</pre>
 */
public final class ContainerFaults {

    private static final Logger LOG = LoggerFactory.getLogger(ContainerFaults.class);
    private static final int STOP_GRACE_SECONDS = 10;
    private static final Pattern ENGINE_MESSAGE = Pattern.compile(
            "\"message\"\\s*:\\s*\"([^\"]*)\"");

    private final GenericContainer<?> container;
    private final Runnable awaitReady;

    ContainerFaults(GenericContainer<?> container, Runnable awaitReady) {
        this.container = Objects.requireNonNull(container, "container");
        this.awaitReady = Objects.requireNonNull(awaitReady, "awaitReady");
    }

    /** Freezes every process of the container; connections stay open but nothing answers. */
    public void pause() {
        run("pause", docker -> docker.pauseContainerCmd(id()).exec());
    }

    /** Thaws a paused container. */
    public void resume() {
        run("resume", docker -> docker.unpauseContainerCmd(id()).exec());
    }

    /** SIGKILL: the server dies at once, with no goodbye to its clients. */
    public void kill() {
        run("kill", docker -> docker.killContainerCmd(id()).exec());
    }

    /** SIGTERM and up to 10 s for a clean shutdown, then SIGKILL. */
    public void stop() {
        run("stop", docker -> docker.stopContainerCmd(id()).withTimeout(STOP_GRACE_SECONDS).exec());
    }

    /**
     * Starts a stopped or killed container again (same ports, same store) and waits until its server
     * answers a client; a paused container is resumed instead.
     */
    public void start() {
        if (isPaused()) {
            resume();
            return;
        }
        run("start", docker -> docker.startContainerCmd(id()).exec());
        try {
            awaitReady.run();
        } catch (RuntimeException e) {
            throw new IllegalStateException("started " + describe(id()) + " but it did not become ready: "
                    + e.getMessage() + ". Its log ends with:\n" + StartupLog.tail(container.getLogs()), e);
        }
    }

    /** {@link #stop()} then {@link #start()}. */
    public void restart() {
        stop();
        start();
    }

    /** Whether the container's processes are frozen by {@link #pause()}. */
    public boolean isPaused() {
        InspectContainerResponse.ContainerState state = container.getDockerClient()
                .inspectContainerCmd(id()).exec().getState();
        return state != null && Boolean.TRUE.equals(state.getPaused());
    }

    private String id() {
        String id = container.getContainerId();
        if (id == null) {
            throw new IllegalStateException("the container is not started: call start() before using its faults()");
        }
        return id;
    }

    private void run(String action, Consumer<DockerClient> command) {
        String id = id();
        try {
            command.accept(container.getDockerClient());
            LOG.info("{}: {}", action, describe(id));
        } catch (DockerException e) {
            throw new IllegalStateException("could not " + action + " " + describe(id) + ": "
                    + engineMessage(e), e);
        }
    }

    /** The engine's own words from "Status 409: {"message":"..."}", else the whole message. */
    static String engineMessage(DockerException e) {
        String message = String.valueOf(e.getMessage()).trim();
        Matcher json = ENGINE_MESSAGE.matcher(message);
        return json.find() ? json.group(1) : message;
    }

    private String describe(String id) {
        return container.getDockerImageName() + " (" + id.substring(0, Math.min(12, id.length())) + ")";
    }
}
