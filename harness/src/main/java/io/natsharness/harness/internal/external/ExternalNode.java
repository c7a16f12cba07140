package io.natsharness.harness.internal.external;

import io.natsharness.harness.ServerNode;

/** A server of an external deployment: reachable, but not ours to stop, kill or pause. */
final class ExternalNode implements ServerNode {

    private final String name;
    private final int port;

    ExternalNode(String name, int port) {
        this.name = name;
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
        return true;
    }

    @Override
    public boolean isPaused() {
        return false;
    }

    @Override
    public void stop() {
        throw refused("stop");
    }

    @Override
    public void kill() {
        throw refused("kill");
    }

    @Override
    public void pause() {
        throw refused("pause");
    }

    @Override
    public void resume() {
        throw refused("resume");
    }

    @Override
    public void start() {
        throw refused("start");
    }

    @Override
    public void restart() {
        throw refused("restart");
    }

    @Override
    public String logTail(int lines) {
        return "";
    }

    private UnsupportedOperationException refused(String what) {
        return new UnsupportedOperationException("cannot " + what + " " + name + ": the external backend only "
                + "connects to a running deployment; fault switches need the embedded or containers backend");
    }

    @Override
    public String toString() {
        return name + " (external, port " + port + ")";
    }
}
