package io.natsharness.harness.internal.embedded;

import io.natsharness.harness.HarnessException;
import io.natsharness.harness.ServerNode;
import io.natsharness.harness.internal.env.LogFiles;
import io.natsharness.harness.internal.ready.Readiness;
import io.natsharness.harness.internal.ready.ReadinessCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server as a child process of the test JVM, with its fault switches. The command line is kept,
 * so a restart comes back on the same ports with the same store.
 */
final class ProcessNode implements ServerNode, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessNode.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final String name;
    private final int port;
    private final List<String> command;
    private final Path workDir;
    private final Path logFile;
    private final ReadinessCheck readiness;
    // guarded by this: the process of the current incarnation and whether it is SIGSTOPped
    private Process process;
    private boolean paused;

    ProcessNode(String name, int port, List<String> command, Path workDir, Path logFile, ReadinessCheck readiness) {
        this.name = name;
        this.port = port;
        this.command = List.copyOf(command);
        this.workDir = workDir;
        this.logFile = logFile;
        this.readiness = readiness;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int port() {
        return port;
    }

    Path logFile() {
        return logFile;
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized boolean isPaused() {
        return paused && isRunning();
    }

    /** Starts the process without waiting (cluster nodes start together, then are awaited together). */
    synchronized void launch() {
        if (isRunning()) {
            throw new IllegalStateException(name + " is already running: stop() or kill() it before start()");
        }
        try {
            process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new HarnessException("could not run " + command.get(0) + " for " + name + ": " + e.getMessage(), e);
        }
        paused = false;
        ProcessReaper.instance().register(process);
        LOG.debug("{} started as pid {} on port {}", name, process.pid(), port);
    }

    /** Waits until the readiness check passes; fails fast with the log if the process dies. */
    void awaitReady() {
        Readiness.await(name + " (port " + port + ")", readiness, READY_TIMEOUT, this::isRunning,
                () -> logTail(20));
    }

    @Override
    public void start() {
        launch();
        awaitReady();
    }

    @Override
    public void restart() {
        if (isRunning()) {
            stop();
        }
        start();
    }

    @Override
    public synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        signalIfPaused("CONT"); // a stopped process would hold SIGTERM until resumed
        process.destroy();
        awaitExit(STOP_GRACE);
        if (process.isAlive()) {
            LOG.warn("{} ignored SIGTERM for {} ms; sending SIGKILL", name, STOP_GRACE.toMillis());
            process.destroyForcibly();
            awaitExit(STOP_GRACE);
        }
        ProcessReaper.instance().unregister(process);
    }

    @Override
    public synchronized void kill() {
        if (!isRunning()) {
            return;
        }
        process.destroyForcibly(); // SIGKILL on Unix; works on a paused process too
        awaitExit(STOP_GRACE);
        paused = false;
        ProcessReaper.instance().unregister(process);
    }

    @Override
    public synchronized void pause() {
        requireRunning("pause");
        signal("STOP");
        paused = true;
    }

    @Override
    public synchronized void resume() {
        requireRunning("resume");
        signal("CONT");
        paused = false;
    }

    @Override
    public String logTail(int lines) {
        return LogFiles.tail(logFile, lines);
    }

    @Override
    public void close() {
        kill();
    }

    private void requireRunning(String what) {
        if (!isRunning()) {
            throw new IllegalStateException("cannot " + what + " " + name + ": it is not running (start() it first)");
        }
    }

    private void signalIfPaused(String signal) {
        if (paused) {
            signal(signal);
            paused = false;
        }
    }

    // Java's Process API has no SIGSTOP/SIGCONT: the kill command is the portable way on Unix.
    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new HarnessException("kill -" + signal + " " + process.pid() + " failed for " + name
                        + ": " + new String(kill.getInputStream().readAllBytes()).trim());
            }
        } catch (IOException e) {
            throw new HarnessException("could not run kill -" + signal + " for " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HarnessException("interrupted while sending SIG" + signal + " to " + name, e);
        }
    }

    private void awaitExit(Duration timeout) {
        try {
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + "@127.0.0.1:" + port;
    }
}
