package io.natsharness.containers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The labels every container and network of this module carries.
 *
 * <p>Ryuk is disabled on our machines, so nothing reaps a container whose JVM died: the owner's
 * host, process id and process start time let {@link Leftovers#removeOrphans()} tell a leftover from
 * a container that another test run on the same engine is still using.
 */
final class ContainerLabels {

    static final String MARKER = "io.natsharness";
    static final String SESSION = "io.natsharness.session";
    static final String HOST = "io.natsharness.host";
    static final String PID = "io.natsharness.pid";
    static final String PROCESS_START = "io.natsharness.process-start";

    /** One id per JVM: a constant, not state. */
    static final String SESSION_ID = UUID.randomUUID().toString();

    private ContainerLabels() {
    }

    static Map<String, String> forThisProcess() {
        ProcessHandle self = ProcessHandle.current();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MARKER, "true");
        labels.put(SESSION, SESSION_ID);
        labels.put(HOST, hostName());
        labels.put(PID, Long.toString(self.pid()));
        labels.put(PROCESS_START, processStart(self));
        return labels;
    }

    static String processStart(ProcessHandle process) {
        return process.info().startInstant().map(i -> Long.toString(i.toEpochMilli())).orElse("unknown");
    }

    static String hostName() {
        String fromEnv = System.getenv("HOSTNAME");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        try {
            return Files.readString(Path.of("/etc/hostname")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
