package io.natsharness.harness.internal.ready;

/**
 * One attempt at telling whether a server is ready: returns normally when it is, throws with the
 * reason when it is not yet. Stateless per call; {@link Readiness} polls it.
 *
 * <pre>{@code
 * Readiness.await(Readiness.natsJetStream(access, url), Duration.ofSeconds(10), process::isAlive, log::tail);
 * }</pre>
 */
@FunctionalInterface
public interface ReadinessCheck {

    /** One probe; throws when the server is not ready yet. */
    void probe() throws Exception;
}
