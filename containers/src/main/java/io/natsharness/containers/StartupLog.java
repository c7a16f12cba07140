package io.natsharness.containers;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.function.Consumer;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.output.OutputFrame;

/**
 * The last lines a container printed since start, kept for the failure message: Testcontainers
 * removes a container that fails to start, and its log with it.
 */
final class StartupLog implements Consumer<OutputFrame> {

    /** How readiness checks and this class say that the server process is gone. */
    static final String EXITED = "the server exited";
    private static final int MAX_LINES = 40;
    private static final int MAX_CAUSE = 300;

    private final Deque<String> lines = new ArrayDeque<>();
    private volatile boolean ended;

    @Override
    public synchronized void accept(OutputFrame frame) {
        if (frame.getType() == OutputFrame.OutputType.END) {
            ended = true;
            return;
        }
        for (String line : frame.getUtf8StringWithoutLineEnding().split("\n")) {
            if (lines.size() == MAX_LINES) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }
    }

    synchronized String tail() {
        return lines.isEmpty() ? "(nothing)" : String.join("\n", lines);
    }

    /** "NATS did not start: the server exited. Its log ends with: ..." */
    ContainerLaunchException failure(String server, RuntimeException cause) {
        String why = ended ? EXITED : shortMessage(cause);
        return new ContainerLaunchException(server + " did not start: " + why + ". Its log ends with:\n" + tail(), cause);
    }

    /** The last lines of a whole log, for failures after start (a restart through the faults). */
    static String tail(String log) {
        String[] all = log.split("\n");
        return String.join("\n", Arrays.copyOfRange(all, Math.max(0, all.length - MAX_LINES), all.length));
    }

    private static String shortMessage(Throwable e) {
        // The deepest cause says most; Testcontainers' own can be a whole inspect dump, so cut it.
        Throwable deepest = e;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        String message = String.valueOf(deepest.getMessage());
        return message.length() <= MAX_CAUSE ? message : message.substring(0, MAX_CAUSE) + "…";
    }
}
