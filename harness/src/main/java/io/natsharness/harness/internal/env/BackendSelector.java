package io.natsharness.harness.internal.env;

import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Decides which backend serves a test, and says why.
 *
 * <p>Order: an explicit backend in the annotation or builder; else the system property
 * {@code natsharness.backend}; else the variable {@code NH_BACKEND}; else detection: external if
 * {@code NATS_URL} is configured, embedded if nats-server is found, containers if Docker answers.
 * Code wins over the outside because a test that says {@code EMBEDDED} usually depends on it
 * (fault switches by signal); {@code AUTO} tests follow what CI asks for.
 */
public final class BackendSelector {

    /** The outcome: a concrete backend and the reason, for the log. */
    public record Choice(Backend backend, String reason) {
    }

    private final Settings settings;
    private final Supplier<Optional<Path>> natsServer;
    private final BooleanSupplier dockerAnswers;

    /**
     * @param settings      system properties and environment
     * @param natsServer    where nats-server is, if anywhere
     * @param dockerAnswers whether a Docker engine answers (asked last, only when needed)
     */
    public BackendSelector(Settings settings, Supplier<Optional<Path>> natsServer, BooleanSupplier dockerAnswers) {
        this.settings = settings;
        this.natsServer = natsServer;
        this.dockerAnswers = dockerAnswers;
    }

    /** Chooses the backend for a test that requested {@code requested}. */
    public Choice choose(Backend requested) {
        if (requested != Backend.AUTO) {
            return new Choice(requested, "requested by the test");
        }
        Optional<String> property = settings.property(Settings.BACKEND_PROPERTY);
        if (property.isPresent()) {
            return fromSetting("-D" + Settings.BACKEND_PROPERTY, property.get());
        }
        Optional<String> variable = settings.variable(Settings.BACKEND_VARIABLE);
        if (variable.isPresent()) {
            return fromSetting(Settings.BACKEND_VARIABLE, variable.get());
        }
        return detect();
    }

    private Choice fromSetting(String source, String value) {
        Backend backend = parse(source, value);
        return backend == Backend.AUTO ? detect() : new Choice(backend, source + "=" + value);
    }

    private Choice detect() {
        if (ExternalSettings.natsUrl(settings).isPresent()) {
            return new Choice(Backend.EXTERNAL, "auto: NATS_URL is set");
        }
        Optional<Path> nats = natsServer.get();
        if (nats.isPresent()) {
            return new Choice(Backend.EMBEDDED, "auto: nats-server found at " + nats.get());
        }
        if (dockerAnswers.getAsBoolean()) {
            return new Choice(Backend.CONTAINERS, "auto: no nats-server on PATH, Docker answers");
        }
        throw new HarnessException("No backend for NATS and Redis is available: nats-server is not on PATH, "
                + "NATS_SERVER_BIN is not set, no Docker engine answers and NATS_URL is not set. Install "
                + "nats-server (apt-get install nats-server) for the embedded backend, or start a Docker engine "
                + "for the containers backend, or set NATS_URL (and REDIS_URL) to use a running deployment.");
    }

    /** Parses a backend name given in a property or variable; a clear error for a typo. */
    static Backend parse(String source, String value) {
        try {
            return Backend.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new HarnessException(source + "=" + value + " is not a backend; use one of "
                    + Arrays.stream(Backend.values()).map(b -> b.name().toLowerCase(Locale.ROOT)).toList());
        }
    }
}
