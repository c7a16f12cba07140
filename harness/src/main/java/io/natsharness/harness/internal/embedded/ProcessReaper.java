package io.natsharness.harness.internal.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure every server process the harness starts dies with the JVM, even when the JVM itself
 * is killed.
 *
 * <p>Two mechanisms, because each covers a case the other cannot:
 * <ul>
 *   <li>a shutdown hook destroys the children on an orderly exit (fast, and lets them flush);</li>
 *   <li>a watchdog: one tiny {@code sh} process per JVM that reads child pids from a pipe. When the
 *       JVM dies for any reason, even SIGKILL, the kernel closes the pipe, {@code read} sees EOF
 *       and the watchdog sends SIGKILL to every pid it still holds. Shutdown hooks never run on a
 *       crash, so this is the only way to honour "processes die with the JVM" from Java.</li>
 * </ul>
 *
 * <p>This is the one JVM-wide object in the harness: processes belong to the JVM, not to a test
 * context, so their reaper cannot live in an {@code ExtensionContext.Store}.
 */
public final class ProcessReaper {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessReaper.class);

    // "+pid" adds, "-pid" removes; on EOF every remaining pid gets SIGKILL (SIGCONT first so a
    // paused server is not left stopped if the kill is refused for any reason).
    private static final String WATCHDOG_SCRIPT = String.join("\n",
            "pids=' '",
            "while IFS= read -r line; do",
            "  case \"$line\" in",
            "    +*) pids=\"$pids${line#+} \" ;;",
            "    -*) pids=$(printf '%s' \"$pids\" | sed \"s/ ${line#-} / /\") ;;",
            "  esac",
            "done",
            "for p in $pids; do kill -CONT $p 2>/dev/null; kill -KILL $p 2>/dev/null; done",
            "");

    private static final ProcessReaper INSTANCE = new ProcessReaper();

    private final Set<ProcessHandle> children = ConcurrentHashMap.newKeySet();
    private final OutputStream watchdogPipe;

    private ProcessReaper() {
        this.watchdogPipe = startWatchdog();
        Runtime.getRuntime().addShutdownHook(new Thread(this::destroyAll, "nats-harness-reaper"));
    }

    /** The JVM-wide reaper. */
    public static ProcessReaper instance() {
        return INSTANCE;
    }

    /** Registers a freshly started child so it dies with the JVM. */
    public void register(Process process) {
        children.add(process.toHandle());
        tellWatchdog("+" + process.pid());
    }

    /** Forgets a child that has ended normally. */
    public void unregister(Process process) {
        children.remove(process.toHandle());
        tellWatchdog("-" + process.pid());
    }

    private void destroyAll() {
        for (ProcessHandle child : children) {
            // a paused (SIGSTOPped) child ignores SIGTERM until resumed: SIGKILL is certain.
            child.destroyForcibly();
        }
    }

    private synchronized void tellWatchdog(String line) {
        if (watchdogPipe == null) {
            return;
        }
        try {
            watchdogPipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            watchdogPipe.flush();
        } catch (IOException e) {
            LOG.debug("process watchdog is gone; relying on the shutdown hook only", e);
        }
    }

    private static OutputStream startWatchdog() {
        try {
            Process watchdog = new ProcessBuilder("sh", "-c", WATCHDOG_SCRIPT)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return watchdog.getOutputStream();
        } catch (IOException e) {
            LOG.warn("could not start the process watchdog (no 'sh'?): server processes will only be "
                    + "cleaned up on an orderly JVM exit", e);
            return null;
        }
    }
}
