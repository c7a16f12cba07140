package io.natsharness.harness;

/**
 * Where NATS and Redis come from.
 *
 * <pre>{@code
 * @NatsHarnessTest(backend = Backend.EMBEDDED)
 * class FastTest { ... }
 * }</pre>
 *
 * <p>{@link #AUTO} defers to the system property {@code natsharness.backend}, then the environment
 * variable {@code NH_BACKEND}, then detection: external if {@code NATS_URL} is set, else embedded
 * if {@code nats-server} is found, else containers if a Docker engine answers.
 */
public enum Backend {
    /** Let the harness choose (see the class description). */
    AUTO,
    /** Child processes of the test JVM on random free ports. */
    EMBEDDED,
    /** Testcontainers. */
    CONTAINERS,
    /** An already running deployment given by {@code NATS_URL} and {@code REDIS_URL}. */
    EXTERNAL
}
