package io.natsharness.containers;

import java.nio.file.Path;
import org.testcontainers.utility.DockerImageName;

/**
 * The NATS and Redis images built from this machine's own {@code nats-server} and
 * {@code redis-server}, for when the official images cannot be pulled.
 *
 * <p>Tags carry the binary's version, e.g. {@code localhost/natsharness/nats-server:2.9.10-local};
 * the {@code localhost/} registry keeps image-name substitutors (which rewrite Docker Hub names)
 * away from them. {@code nats-server} comes from {@code NATS_SERVER_BIN} or PATH,
 * {@code redis-server} from {@code REDIS_SERVER_BIN} or PATH.
 *
 * <pre>{@code
 * try (NatsContainer nats = new NatsContainer(LocalImages.nats()).withJetStream()) {
 *     nats.start();
 * }
 * }</pre>
 */
public final class LocalImages {

    public static final String NATS_REPOSITORY = "localhost/natsharness/nats-server";
    public static final String REDIS_REPOSITORY = "localhost/natsharness/redis-server";
    /** Where the binaries sit in the images; the names match the official images' commands. */
    static final String NATS_IN_IMAGE = "/usr/local/bin/nats-server";
    static final String REDIS_IN_IMAGE = "/usr/local/bin/redis-server";

    private LocalImages() {
    }

    /** Builds (once) and names the NATS image made from the host's {@code nats-server}. */
    public static DockerImageName nats() {
        Path binary = HostBinaries.find("NATS_SERVER_BIN", "nats-server").orElseThrow(() -> new IllegalStateException(
                "nats-server was not found (NATS_SERVER_BIN or PATH), so no local NATS image can be built:"
                        + " install it (Debian/Ubuntu: apt-get install nats-server) or make the official image"
                        + " pullable"));
        return spec(NATS_REPOSITORY, binary, NATS_IN_IMAGE).ensureBuilt();
    }

    /** Builds (once) and names the Redis image made from the host's {@code redis-server}. */
    public static DockerImageName redis() {
        Path binary = HostBinaries.find("REDIS_SERVER_BIN", "redis-server").orElseThrow(() -> new IllegalStateException(
                "redis-server was not found (REDIS_SERVER_BIN or PATH), so no local Redis image can be built:"
                        + " install it (Debian/Ubuntu: apt-get install redis-server) or make the official image"
                        + " pullable"));
        return spec(REDIS_REPOSITORY, binary, REDIS_IN_IMAGE).ensureBuilt();
    }

    private static LocalImage spec(String repository, Path binary, String inImage) {
        return LocalImage.builder()
                .withRepository(repository)
                .withTag(HostBinaries.version(binary) + "-local")
                .withExecutable(binary, inImage)
                .withWorkdir("/data")
                .build();
    }
}
