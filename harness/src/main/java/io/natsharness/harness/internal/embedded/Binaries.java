package io.natsharness.harness.internal.embedded;

import io.natsharness.harness.HarnessException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import redis.embedded.core.ExecutableProvider;

/**
 * Finds the server binaries of the embedded backend.
 *
 * <pre>{@code
 * Path nats = Binaries.natsServer().orElseThrow();
 * }</pre>
 */
public final class Binaries {

    /** Environment variable naming the nats-server binary. */
    public static final String NATS_SERVER_BIN = "NATS_SERVER_BIN";
    /** Environment variable naming the redis-server binary. */
    public static final String REDIS_SERVER_BIN = "REDIS_SERVER_BIN";

    // Debian installs nats-server in /usr/sbin, which is not on a normal user's PATH.
    private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/usr/local/sbin", "/usr/local/bin");

    private Binaries() {
    }

    /** {@code NATS_SERVER_BIN} if set (it must then exist), else {@code nats-server} on PATH. */
    public static Optional<Path> natsServer() {
        return explicitOrPath(NATS_SERVER_BIN, "nats-server");
    }

    /** {@code REDIS_SERVER_BIN} if set, else {@code redis-server} on PATH; empty when neither. */
    public static Optional<Path> redisServerOnPath() {
        return explicitOrPath(REDIS_SERVER_BIN, "redis-server");
    }

    /**
     * The redis-server to run: from PATH, else the binary embedded-redis ships (extracted once).
     *
     * @throws HarnessException when neither exists for this platform
     */
    public static Path redisServer() {
        Optional<Path> onPath = redisServerOnPath();
        if (onPath.isPresent()) {
            return onPath.get();
        }
        try {
            File file = ExecutableProvider.newJarResourceProvider().get();
            if (!file.canExecute() && !file.setExecutable(true)) {
                throw new HarnessException("the redis-server shipped by embedded-redis at " + file
                        + " is not executable; install redis-server (apt-get install redis-server)");
            }
            return file.toPath();
        } catch (IOException | RuntimeException e) {
            if (e instanceof HarnessException he) {
                throw he;
            }
            throw new HarnessException("no redis-server: none on PATH and embedded-redis has no binary for this "
                    + "platform (" + e.getMessage() + "); install redis-server (apt-get install redis-server) or "
                    + "set " + REDIS_SERVER_BIN, e);
        }
    }

    private static Optional<Path> explicitOrPath(String variable, String name) {
        String explicit = System.getenv(variable);
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            if (!Files.isExecutable(path)) {
                throw new HarnessException(variable + "=" + explicit + " is not an executable file; fix or unset it");
            }
            return Optional.of(path);
        }
        return onPath(name);
    }

    private static Optional<Path> onPath(String name) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(EXTRA_DIRS);
        List<Path> candidates = new ArrayList<>();
        for (String dir : dirs) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, name));
            }
        }
        // keep the path as found, not its symlink target: Debian's redis-server is a symlink to
        // redis-check-rdb, and redis picks its mode from the name it was started under.
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }
}
