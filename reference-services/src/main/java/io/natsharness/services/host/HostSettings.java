package io.natsharness.services.host;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** What a {@link ReferenceHost} was asked to run with; built and checked by its builder. */
record HostSettings(
    String natsUrl,
    String redisUrl,
    String httpHost,
    int httpPort,
    String keyPrefix,
    String services,
    long worldSeed,
    Clock clock,
    Duration drainTimeout,
    Optional<String> natsUser,
    Optional<String> natsPassword,
    Optional<String> natsToken,
    Optional<String> natsNkeySeed,
    Optional<String> natsCaFile,
    Optional<String> natsCertFile,
    Optional<String> natsKeyFile,
    Optional<String> redisUser,
    Optional<String> redisPassword) {}
