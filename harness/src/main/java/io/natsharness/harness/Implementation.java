package io.natsharness.harness;

import io.natsharness.sdk.spi.ImplementationProvider;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The implementation under test and how to start it; the extension starts it once the servers are
 * ready, waits until every selected service answers {@code $SRV.PING.<name>}, and stops it after.
 *
 * <pre>{@code
 * Implementation.provider("reference").services("payment", "quest_system");   // in-process, ServiceLoader
 * Implementation.command("python3", "-m", "game.services");                    // any language
 * Implementation.image("ghcr.io/acme/game-services:1.4");                      // a container
 * Implementation.external().services("payment");                               // already running
 * }</pre>
 *
 * <p>Commands and images receive {@code NATS_URL}, {@code REDIS_URL}, {@code HTTP_PORT},
 * {@code NH_KEY_PREFIX}, {@code NH_SERVICES} and the credential variables in their environment
 * (see {@link ImplementationProvider}). Immutable: {@code services(..)} returns a copy.
 */
public final class Implementation {

    /** How the implementation is started. */
    public enum Kind {
        /** In the test JVM, through an {@link ImplementationProvider}. */
        PROVIDER,
        /** A child process: any language. */
        COMMAND,
        /** A container image (needs Docker). */
        IMAGE,
        /** Already running: the harness only waits for its services. */
        EXTERNAL
    }

    private static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    private final Kind kind;
    private final List<String> target;
    private final ImplementationProvider providerInstance;
    private final List<String> services;
    private final Duration startTimeout;

    private Implementation(Kind kind, List<String> target, ImplementationProvider providerInstance,
                           List<String> services, Duration startTimeout) {
        this.kind = kind;
        this.target = List.copyOf(target);
        this.providerInstance = providerInstance;
        this.services = List.copyOf(services);
        this.startTimeout = startTimeout;
    }

    /** The in-process implementation whose {@link ImplementationProvider#name()} is {@code name}, found with ServiceLoader. */
    public static Implementation provider(String name) {
        requireText(name, "provider name");
        return new Implementation(Kind.PROVIDER, List.of(name), null, List.of(), DEFAULT_START_TIMEOUT);
    }

    /** The given in-process implementation (no ServiceLoader lookup). */
    public static Implementation provider(ImplementationProvider provider) {
        Objects.requireNonNull(provider, "provider must not be null");
        return new Implementation(Kind.PROVIDER, List.of(provider.name()), provider, List.of(), DEFAULT_START_TIMEOUT);
    }

    /** A command in any language, e.g. {@code command("node", "services.js")}; stopped after. */
    public static Implementation command(String... argv) {
        if (argv == null || argv.length == 0 || Arrays.stream(argv).anyMatch(Objects::isNull) || argv[0].isBlank()) {
            throw new IllegalArgumentException("command needs a program and its arguments, none of them null, e.g. "
                    + "Implementation.command(\"python3\", \"-m\", \"services\")");
        }
        return new Implementation(Kind.COMMAND, List.of(argv), null, List.of(), DEFAULT_START_TIMEOUT);
    }

    /** A container image, e.g. {@code image("acme/game-services:1.4")}; needs a Docker engine. */
    public static Implementation image(String dockerImage) {
        requireText(dockerImage, "image name");
        if (dockerImage.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("image name must not contain whitespace: '" + dockerImage + "'");
        }
        return new Implementation(Kind.IMAGE, List.of(dockerImage), null, List.of(), DEFAULT_START_TIMEOUT);
    }

    /** An implementation that is already running against the environment's servers. */
    public static Implementation external() {
        return new Implementation(Kind.EXTERNAL, List.of(), null, List.of(), DEFAULT_START_TIMEOUT);
    }

    /** Only these catalog services (default: all the implementation offers), e.g. {@code services("payment")}. */
    public Implementation services(String... names) {
        if (names == null || Arrays.stream(names).anyMatch(n -> n == null || n.isBlank())) {
            throw new IllegalArgumentException("service names must not be null or blank");
        }
        return new Implementation(kind, target, providerInstance, List.of(names), startTimeout);
    }

    /** How long start-up plus the {@code $SRV.PING} wait may take (default 60 s). */
    public Implementation withStartTimeout(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("start timeout must be positive, was " + timeout);
        }
        return new Implementation(kind, target, providerInstance, services, timeout);
    }

    /** How it is started. */
    public Kind kind() {
        return kind;
    }

    /** The provider name, the command line or the image name (empty for {@link Kind#EXTERNAL}). */
    public List<String> target() {
        return target;
    }

    /** The provider instance given to {@link #provider(ImplementationProvider)}. */
    public Optional<ImplementationProvider> providerInstance() {
        return Optional.ofNullable(providerInstance);
    }

    /** The selected services; empty = all. */
    public List<String> services() {
        return services;
    }

    /** The start timeout. */
    public Duration startTimeout() {
        return startTimeout;
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be null or blank");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Implementation other && kind == other.kind && target.equals(other.target)
                && providerInstance == other.providerInstance && services.equals(other.services)
                && startTimeout.equals(other.startTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, target, services, startTimeout);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + (target.isEmpty() ? "" : " " + String.join(" ", target))
                + (services.isEmpty() ? "" : " services=" + services);
    }
}
