package io.natsharness.harness.internal.junit;

import io.natsharness.harness.internal.Environment;
import io.natsharness.harness.internal.env.EnvironmentSpec;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Attaches the tail of each server's log to a failure: as a suppressed exception and a report entry. */
public final class FailureLogs {

    /** Lines of each log: enough to see a crash or a refused connection, short enough to read. */
    static final int LINES = 30;

    private FailureLogs() {
    }

    /** Returns {@code failure}, with the logs attached when an environment is visible from {@code context}. */
    public static Throwable attach(EnvironmentSpec spec, ExtensionContext context, Throwable failure) {
        Optional<Environment> environment = Environments.find(spec, context);
        if (environment.isEmpty()) {
            return failure;
        }
        String tails = environment.get().logTails(LINES);
        if (!tails.isBlank()) {
            failure.addSuppressed(new ServerLogs(tails));
            context.publishReportEntry("nats-harness server logs", tails);
        }
        return failure;
    }
}
