package io.natsharness.harness.internal.junit;

/**
 * The tail of each server's log, attached as a suppressed exception to a failing test's error so
 * that every report (console, Surefire XML, IDE) shows it next to the failure.
 */
public final class ServerLogs extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ServerLogs(String tails) {
        // no stack trace: the logs are the point, a trace into the extension would be noise
        super("server logs at the time of the failure:\n" + tails, null, false, false);
    }
}
