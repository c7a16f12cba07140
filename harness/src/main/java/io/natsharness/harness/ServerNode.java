package io.natsharness.harness;

/**
 * The fault switches of one server process (a NATS node or a Redis node).
 *
 * <pre>{@code
 * @Test
 * void survivesARestart(FaultSwitches faults, Connection nats) {
 *     faults.nats().kill();      // SIGKILL
 *     faults.nats().restart();   // same ports, same JetStream store; returns when ready
 * }
 * }</pre>
 *
 * <p>Every switch is synchronous: when it returns, the server is in the new state. Switches that
 * the backend cannot provide (an external deployment is not ours to kill) throw
 * {@link UnsupportedOperationException} with a message that says why.
 */
public interface ServerNode {

    /** A short name such as {@code nats-0} or {@code redis-2}. */
    String name();

    /** The client port on 127.0.0.1 (or the host-mapped port of a container). */
    int port();

    /** True while the server process runs (also when it is paused). */
    boolean isRunning();

    /** True while the server is paused by {@link #pause()}. */
    boolean isPaused();

    /** Stops the server gracefully (SIGTERM, then SIGKILL after a grace period). */
    void stop();

    /** Kills the server at once (SIGKILL): no flush, no goodbye to clients. */
    void kill();

    /** Freezes the server (SIGSTOP, or docker pause): its sockets stay open but nothing answers. */
    void pause();

    /** Undoes {@link #pause()} (SIGCONT, or docker unpause). */
    void resume();

    /** Starts a stopped or killed server again on the same ports and store; returns when ready. */
    void start();

    /** Stops the server if it runs, then {@link #start()}s it again. */
    void restart();

    /** The last {@code lines} lines of the server's log (fewer when the log is shorter). */
    String logTail(int lines);
}
