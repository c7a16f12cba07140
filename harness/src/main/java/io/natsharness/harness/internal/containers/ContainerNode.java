package io.natsharness.harness.internal.containers;

import io.natsharness.containers.ContainerFaults;
import io.natsharness.harness.ServerNode;
import io.natsharness.harness.internal.env.LogFiles;
import org.testcontainers.containers.GenericContainer;

/** The fault switches of one server container, through the containers module's {@link ContainerFaults}. */
final class ContainerNode implements ServerNode {

    private final String name;
    private final GenericContainer<?> container;
    private final ContainerFaults faults;
    private final int port;

    ContainerNode(String name, GenericContainer<?> container, ContainerFaults faults, int port) {
        this.name = name;
        this.container = container;
        this.faults = faults;
        this.port = port;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }

    @Override
    public boolean isPaused() {
        return isRunning() && faults.isPaused();
    }

    @Override
    public void stop() {
        faults.stop();
    }

    @Override
    public void kill() {
        faults.kill();
    }

    @Override
    public void pause() {
        faults.pause();
    }

    @Override
    public void resume() {
        faults.resume();
    }

    @Override
    public void start() {
        faults.start();
    }

    @Override
    public void restart() {
        faults.restart();
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
    public String toString() {
        return name + " (container, port " + port + ")";
    }
}
