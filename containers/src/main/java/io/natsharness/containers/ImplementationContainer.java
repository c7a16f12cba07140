package io.natsharness.containers;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Set;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * An implementation under test packaged as an image, started with {@code NATS_URL},
 * {@code REDIS_URL} and {@code HTTP_PORT} in its environment.
 *
 * <p>By default start() only waits for the container to run: whether the implementation is ready
 * is for the harness to judge (its services answer {@code $SRV.PING}). {@link #withNats} and
 * {@link #withRedis} join the servers' network and hand over the URLs that work from inside it;
 * {@link #withNatsUrl} and {@link #withRedisUrl} take any URL.
 *
 * <pre>{@code
 * Network network = Network.newNetwork();
 * NatsContainer nats = new NatsContainer().withJetStream().withNetwork(network);
 * nats.start();
 * try (ImplementationContainer service = new ImplementationContainer(DockerImageName.parse("team/payments:1.4"))
 *         .withNats(nats)
 *         .withHttpPort(8080)) {
 *     service.start();
 *     String http = service.getHttpUrl();
 * }
 * }</pre>
 */
public class ImplementationContainer extends GenericContainer<ImplementationContainer> {

    public static final String NATS_URL = "NATS_URL";
    public static final String REDIS_URL = "REDIS_URL";
    public static final String HTTP_PORT = "HTTP_PORT";
    private static final Set<String> NATS_SCHEMES = Set.of("nats", "tls");
    private static final Set<String> REDIS_SCHEMES = Set.of("redis", "rediss");

    private Integer httpPort;

    public ImplementationContainer(DockerImageName image) {
        super(Objects.requireNonNull(image, "image"));
        withLabels(ContainerLabels.forThisProcess());
        // No port or log check: images FROM scratch have no shell for Testcontainers' internal port check.
        waitingFor(new AbstractWaitStrategy() {
            @Override
            protected void waitUntilReady() {
                // running is enough here; the harness waits for $SRV.PING
            }
        });
    }

    /** {@code NATS_URL}: a {@code nats://} or {@code tls://} URL reachable from inside the container. */
    public ImplementationContainer withNatsUrl(String natsUrl) {
        return withEnv(NATS_URL, url(natsUrl, NATS_SCHEMES, "NATS"));
    }

    /** {@code REDIS_URL}: a {@code redis://} or {@code rediss://} URL reachable from inside the container. */
    public ImplementationContainer withRedisUrl(String redisUrl) {
        return withEnv(REDIS_URL, url(redisUrl, REDIS_SCHEMES, "Redis"));
    }

    /** Joins the NATS container's network and sets {@code NATS_URL} to its address there. */
    public ImplementationContainer withNats(NatsContainer nats) {
        Objects.requireNonNull(nats, "nats");
        withNetwork(requireNetwork(nats, "NATS"));
        return withNatsUrl(nats.getInternalNatsUrl());
    }

    /** Joins the Redis container's network and sets {@code REDIS_URL} to its address there. */
    public ImplementationContainer withRedis(RedisContainer redis) {
        Objects.requireNonNull(redis, "redis");
        withNetwork(requireNetwork(redis, "Redis"));
        return withRedisUrl(redis.getInternalRedisUri());
    }

    /** {@code HTTP_PORT}: the port the implementation's legacy HTTP side listens on, published to the host. */
    public ImplementationContainer withHttpPort(int containerPort) {
        if (containerPort < 1 || containerPort > 65535) {
            throw new IllegalArgumentException("not a port: " + containerPort);
        }
        this.httpPort = containerPort;
        withExposedPorts(containerPort);
        return withEnv(HTTP_PORT, Integer.toString(containerPort));
    }

    /**
     * {@code http://host:port} of the HTTP side, from this machine.
     *
     * @throws IllegalStateException when no HTTP port was set
     */
    public String getHttpUrl() {
        if (httpPort == null) {
            throw new IllegalStateException("no HTTP port: call withHttpPort(..) before start()");
        }
        return "http://" + getHost() + ":" + getMappedPort(httpPort);
    }

    @Override
    protected void configure() {
        LoopbackPorts.bind(this);
    }

    private static Network requireNetwork(GenericContainer<?> server, String what) {
        if (server.getNetwork() == null) {
            throw new IllegalArgumentException("the " + what + " container is on no network: give it"
                    + " withNetwork(..) first, so that the implementation can reach it");
        }
        return server.getNetwork();
    }

    private static String url(String value, Set<String> schemes, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the " + what + " URL is empty");
        }
        try {
            URI uri = new URI(value.trim());
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("not a " + what + " URL (" + String.join(", ",
                        schemes.stream().sorted().map(s -> s + "://host:port").toList()) + "): '" + value + "'");
            }
            return value.trim();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a " + what + " URL: '" + value + "'", e);
        }
    }
}
