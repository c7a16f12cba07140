package io.natsharness.containers;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.testcontainers.DockerClientFactory;

/**
 * Does a Docker engine answer? Answers within the given time, never after Testcontainers' retries.
 *
 * <p>An explicit {@code DOCKER_HOST} is pinged first ({@code GET /_ping} over its unix socket or TCP):
 * if it does not answer, the answer is no, even if Testcontainers would fall back to another engine,
 * because that is not the engine that was asked for. Then Testcontainers itself must find a client,
 * on a daemon thread that is abandoned when time runs out.
 *
 * <pre>{@code
 * DockerCheck.Result docker = DockerCheck.check(Duration.ofSeconds(5));
 * if (!docker.available()) {
 *     throw new IllegalStateException(docker.message());
 * }
 * }</pre>
 */
public final class DockerCheck {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    static final String ADVICE = "Install Docker (Debian/Ubuntu: apt-get install docker.io) and start it (dockerd),"
            + " point DOCKER_HOST at a running engine, or choose another backend.";

    /**
     * The outcome of a check.
     *
     * @param available whether an engine answered
     * @param message   which engine answered, or why none did and what to do
     */
    public record Result(boolean available, String message) {
        public Result {
            Objects.requireNonNull(message, "message");
        }
    }

    private DockerCheck() {
    }

    /** True when a Docker engine answers within {@code timeout}. */
    public static boolean isDockerAvailable(Duration timeout) {
        return check(timeout).available();
    }

    /** Throws {@link IllegalStateException} with the reason and the advice when no engine answers. */
    public static void requireDocker(Duration timeout) {
        Result result = check(timeout);
        if (!result.available()) {
            throw new IllegalStateException(result.message());
        }
    }

    /**
     * Checks, taking at most about {@code timeout}.
     *
     * @throws IllegalArgumentException when the timeout is not positive
     */
    public static Result check(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive: " + timeout);
        }
        Instant deadline = Instant.now().plus(timeout);
        CompletableFuture<Result> outcome = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                outcome.complete(probe(deadline));
            } catch (Throwable e) {
                outcome.complete(new Result(false, "No Docker engine was found: " + rootMessage(e) + ". " + ADVICE));
            }
        }, "natsharness-docker-check");
        worker.setDaemon(true);
        worker.start();
        try {
            return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            return new Result(false, "No Docker engine answered within " + describe(timeout) + " ("
                    + where() + "). " + ADVICE + configurationHint());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, "Interrupted while checking for Docker");
        } catch (ExecutionException e) {
            return new Result(false, "No Docker engine was found: " + rootMessage(e) + ". " + ADVICE);
        }
    }

    private static Result probe(Instant deadline) {
        String dockerHost = System.getenv("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            URI endpoint = URI.create(dockerHost.trim());
            String problem = DockerPing.ping(endpoint, deadline);
            if (problem != null) {
                return new Result(false, "No Docker engine answered at " + dockerHost.trim() + " (DOCKER_HOST): "
                        + problem + ". " + ADVICE);
            }
        }
        DockerClientFactory factory = DockerClientFactory.instance();
        if (!factory.isDockerAvailable()) {
            return new Result(false, "No Docker engine was found (Testcontainers tried DOCKER_HOST, "
                    + "~/.testcontainers.properties and the usual sockets). " + ADVICE);
        }
        String version = factory.client().versionCmd().exec().getVersion();
        return new Result(true, "Docker " + version + " answers at " + factory.getTransportConfig().getDockerHost());
    }

    private static String where() {
        String dockerHost = System.getenv("DOCKER_HOST");
        return dockerHost == null || dockerHost.isBlank() ? "DOCKER_HOST is not set" : "DOCKER_HOST=" + dockerHost;
    }

    private static String configurationHint() {
        if (System.getenv("TESTCONTAINERS_RYUK_DISABLED") != null
                && System.getenv("TESTCONTAINERS_HOST_OVERRIDE") != null) {
            return "";
        }
        return " Where no registry can be reached, set TESTCONTAINERS_RYUK_DISABLED=true and"
                + " TESTCONTAINERS_HOST_OVERRIDE=localhost in the environment: without them Testcontainers waits on"
                + " image pulls.";
    }

    private static String describe(Duration timeout) {
        long millis = timeout.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return Objects.requireNonNullElse(root.getMessage(), root.getClass().getSimpleName());
    }
}
