package io.natsharness.harness.internal.ready;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsharness.harness.HarnessException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The readiness checks of the harness and the loop that polls them. "Ready" always means a real
 * client got a real answer, never just an open port.
 *
 * <pre>{@code
 * Readiness.await(Readiness.redisPing(uri, resources), Duration.ofSeconds(10), () -> true, () -> "");
 * }</pre>
 */
public final class Readiness {

    private static final long POLL_MILLIS = 15;

    private Readiness() {
    }

    /** A jnats client connects and the server answers {@code PING}. */
    public static ReadinessCheck nats(Options options) {
        return () -> {
            try (Connection nc = Nats.connect(options)) {
                nc.flush(Duration.ofSeconds(1));
            }
        };
    }

    /**
     * A jnats client connects and JetStream answers an account-info request (in a cluster this only
     * succeeds once the meta leader is elected, which is what "ready" has to mean there).
     */
    public static ReadinessCheck natsJetStream(Options options) {
        return () -> {
            try (Connection nc = Nats.connect(options)) {
                nc.jetStreamManagement().getAccountStatistics();
            }
        };
    }

    /** A Lettuce client connects (with the URI's credentials and TLS) and {@code PING} answers {@code PONG}. */
    public static ReadinessCheck redisPing(RedisURI uri, ClientResources resources,
                                           io.lettuce.core.ClientOptions clientOptions) {
        return () -> {
            RedisClient client = RedisClient.create(resources, uri);
            client.setOptions(clientOptions);
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                String pong = connection.sync().ping();
                if (!"PONG".equals(pong)) {
                    throw new IllegalStateException("PING answered " + pong);
                }
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        };
    }

    /**
     * Polls {@code check} until it passes, the process dies or {@code timeout} passes; bounded.
     *
     * @param what      what is being waited for, for the error message ("nats-0 on port 4222")
     * @param alive     false once the server process has died (fail at once, no point waiting)
     * @param diagnosis the log tail to put in the error
     * @throws HarnessException when the server died or did not become ready in time
     */
    public static void await(String what, ReadinessCheck check, Duration timeout, BooleanSupplier alive,
                             Supplier<String> diagnosis) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            if (!alive.getAsBoolean()) {
                throw new ServerDiedException(what + " exited during start-up. Its log ends with:\n"
                        + diagnosis.get(), diagnosis.get());
            }
            try {
                check.probe();
                return;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new HarnessException(what + " was not ready after " + timeout.toMillis() + " ms (last probe: "
                        + describe(last) + "). Its log ends with:\n" + diagnosis.get(), last);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HarnessException("interrupted while waiting for " + what, e);
            }
        }
    }

    private static String describe(Throwable error) {
        return error == null ? "none" : error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    /** The server process ended while we waited for it; carries its log so callers can see why. */
    public static final class ServerDiedException extends HarnessException {
        private static final long serialVersionUID = 1L;
        private final String log;

        ServerDiedException(String message, String log) {
            super(message);
            this.log = log;
        }

        /** True when the server died because another process took its port first. */
        public boolean portTaken() {
            return log.contains("address already in use") || log.contains("Address already in use");
        }
    }
}
