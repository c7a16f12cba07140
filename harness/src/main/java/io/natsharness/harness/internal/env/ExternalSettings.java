package io.natsharness.harness.internal.env;

import java.util.Optional;

/**
 * The settings of the external backend: a running deployment's URLs and credentials, each from a
 * system property ({@code natsharness.nats.url}, …) or an environment variable ({@code NATS_URL}, …).
 */
public final class ExternalSettings {

    private ExternalSettings() {
    }

    /** {@code natsharness.nats.url} or {@code NATS_URL}: one or more URLs, comma separated. */
    public static Optional<String> natsUrl(Settings settings) {
        return settings.either("natsharness.nats.url", "NATS_URL");
    }

    /** {@code natsharness.redis.url} or {@code REDIS_URL}. */
    public static Optional<String> redisUrl(Settings settings) {
        return settings.either("natsharness.redis.url", "REDIS_URL");
    }

    /** A credential or TLS setting by its variable name, e.g. {@code NATS_USER}; the property is {@code natsharness.nats.user}. */
    public static Optional<String> value(Settings settings, String variable) {
        String property = "natsharness." + variable.toLowerCase().replace('_', '.');
        return settings.either(property, variable);
    }
}
