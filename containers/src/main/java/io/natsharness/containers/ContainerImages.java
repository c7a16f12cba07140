package io.natsharness.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.RemoteDockerImage;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ImageNameSubstitutor;
import org.testcontainers.utility.LazyFuture;

/**
 * Which image a NATS or Redis container runs: the official one by name, else one built here.
 *
 * <p>The name comes from the system property ({@value #NATS_IMAGE_PROPERTY},
 * {@value #REDIS_IMAGE_PROPERTY}), else the environment ({@value #NATS_IMAGE_ENV},
 * {@value #REDIS_IMAGE_ENV}), else the defaults {@value #DEFAULT_NATS} and {@value #DEFAULT_REDIS};
 * Testcontainers' {@link ImageNameSubstitutor} (e.g. {@code hub.image.name.prefix} for a private
 * registry) then applies. If that image is not in the local engine, it is pulled once, with no
 * retries (Testcontainers would retry for two minutes); if the pull fails, the image
 * {@link LocalImages} builds from the host's binaries is used instead, and a warning says so. The
 * value {@value #LOCAL} asks for the local image directly.
 *
 * <pre>{@code
 * DockerImageName image = ContainerImages.nats(); // nats:2.10-alpine, or the local build offline
 * }</pre>
 */
public final class ContainerImages {

    public static final String DEFAULT_NATS = "nats:2.10-alpine";
    public static final String DEFAULT_REDIS = "redis:7-alpine";
    public static final String NATS_IMAGE_PROPERTY = "nh.nats.image";
    public static final String REDIS_IMAGE_PROPERTY = "nh.redis.image";
    public static final String NATS_IMAGE_ENV = "NH_NATS_IMAGE";
    public static final String REDIS_IMAGE_ENV = "NH_REDIS_IMAGE";
    /** The image name that means: use the image built from the host's binary. */
    public static final String LOCAL = "local";

    private static final Logger LOG = LoggerFactory.getLogger(ContainerImages.class);
    private static final Duration PULL_TIMEOUT = Duration.ofMinutes(2);
    /** Requested name to outcome: a failed pull is not tried again in this JVM. */
    private static final Map<String, DockerImageName> RESOLVED = new ConcurrentHashMap<>();

    private ContainerImages() {
    }

    /** The NATS image to run; pulls or builds it when needed. */
    public static DockerImageName nats() {
        return resolve(configured(NATS_IMAGE_PROPERTY, NATS_IMAGE_ENV, DEFAULT_NATS), LocalImages::nats);
    }

    /** The Redis image to run; pulls or builds it when needed. */
    public static DockerImageName redis() {
        return resolve(configured(REDIS_IMAGE_PROPERTY, REDIS_IMAGE_ENV, DEFAULT_REDIS), LocalImages::redis);
    }

    /**
     * The requested image (after substitution) if it is present or can be pulled, else the fallback.
     *
     * @param requested an image name, or {@value #LOCAL} for the fallback directly
     * @param fallback  builds the local image and names it
     */
    public static DockerImageName resolve(String requested, Supplier<DockerImageName> fallback) {
        Objects.requireNonNull(fallback, "fallback");
        if (requested == null || requested.isBlank()) {
            throw new IllegalArgumentException("an image name is required (or '" + LOCAL + "')");
        }
        String name = requested.trim();
        if (LOCAL.equals(name.toLowerCase(Locale.ROOT))) {
            return fallback.get();
        }
        DockerImageName wanted;
        try {
            wanted = ImageNameSubstitutor.instance().apply(DockerImageName.parse(name));
            wanted.assertValid();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid image name: '" + name + "'", e);
        }
        DockerImageName known = RESOLVED.get(name);
        if (known != null && isPresent(known)) {
            return known;
        }
        DockerImageName outcome = presentOrPulled(wanted).orElseGet(fallback);
        RESOLVED.put(name, outcome);
        return outcome;
    }

    /** The image for a container: resolved when the container starts, never substituted twice. */
    static RemoteDockerImage lazily(Supplier<DockerImageName> image) {
        LazyFuture<String> future = new LazyFuture<>() {
            @Override
            protected String resolve() {
                return image.get().asCanonicalNameString();
            }
        };
        return new RemoteDockerImage(future).withImageNameSubstitutor(ImageNameSubstitutor.noop());
    }

    private static Optional<DockerImageName> presentOrPulled(DockerImageName image) {
        if (isPresent(image)) {
            return Optional.of(image);
        }
        DockerClient docker = DockerClientFactory.instance().client();
        try (QuietPull callback = docker.pullImageCmd(image.getUnversionedPart())
                .withTag(image.getVersionPart())
                .exec(new QuietPull())) {
            boolean finished = callback.awaitCompletion(PULL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (callback.failure != null) {
                throw callback.failure;
            }
            if (finished) {
                LOG.info("Pulled {}", image.asCanonicalNameString());
                return Optional.of(image);
            }
            LOG.warn("Pulling {} took longer than {}s; building a local image instead",
                    image.asCanonicalNameString(), PULL_TIMEOUT.toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pulling " + image.asCanonicalNameString(), e);
        } catch (Throwable e) {
            LOG.warn("Could not pull {} ({}); building a local image from this machine's binary instead",
                    image.asCanonicalNameString(), firstLine(e.getMessage()));
        }
        return Optional.empty();
    }

    /** Keeps a failed pull's error for the caller instead of logging it at ERROR level. */
    private static final class QuietPull extends PullImageResultCallback {
        private volatile Throwable failure;

        @Override
        public void onError(Throwable throwable) {
            failure = throwable;
            try {
                close();
            } catch (java.io.IOException e) {
                // closing a failed pull; nothing left to release
            }
        }
    }

    static boolean isPresent(DockerImageName image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image.asCanonicalNameString()).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static String configured(String property, String env, String defaultName) {
        String fromProperty = System.getProperty(property);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return fromProperty;
        }
        String fromEnv = System.getenv(env);
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv : defaultName;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
