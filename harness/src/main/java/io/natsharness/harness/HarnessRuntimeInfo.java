package io.natsharness.harness;

import io.lettuce.core.RedisURI;
import io.nats.client.Options;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a test needs to reach the environment: URLs, ports, credentials and the backend that
 * provides them. Immutable; resolvable as a parameter in both the annotation and the builder mode,
 * as a test, lifecycle-method or constructor parameter.
 *
 * <pre>{@code
 * @Test
 * void connectsItself(HarnessRuntimeInfo info) throws Exception {
 *     try (Connection nc = Nats.connect(info.natsOptions().build())) {
 *         nc.publish(info.uniqueName("orders"), "hello".getBytes());
 *     }
 * }
 * }</pre>
 */
public interface HarnessRuntimeInfo {

    /** The backend that provides the servers (never {@link Backend#AUTO}). */
    Backend backend();

    /** Why that backend was chosen, e.g. "NH_BACKEND=embedded" or "nats-server found at /usr/sbin/nats-server". */
    String backendReason();

    /** The URL of the first NATS node, e.g. {@code nats://127.0.0.1:41234} or {@code tls://…}. */
    String natsUrl();

    /** The URLs of every NATS node (one for a single node, three for a cluster). */
    List<String> natsUrls();

    /**
     * A fresh, ready-made jnats options builder: every server URL, TLS and credentials are set,
     * with reconnects that keep trying (so fault-switch tests recover). Add to it as you like.
     */
    Options.Builder natsOptions();

    /**
     * Like {@link #natsOptions()} for another of the environment's NATS users (see {@link NatsUser});
     * a clear error naming the users when there is no such one.
     */
    Options.Builder natsOptions(String user);

    /** The throw-away CA's certificate (PEM) when the environment uses TLS. */
    Optional<Path> caCertificate();

    /** The Redis topology of the environment. */
    RedisTopology redisTopology();

    /** A fresh URI of the (first) Redis node with credentials and TLS; empty without Redis. */
    Optional<RedisURI> redisUri();

    /** Fresh URIs of every Redis node (three for a cluster); empty without Redis. */
    List<RedisURI> redisUris();

    /**
     * A Redis key prefix of the current scope, e.g. {@code nh-3f9a1c:}: unique per test method
     * (and per class in class-level callbacks), so tests that share an environment do not meet.
     */
    String keyPrefix();

    /**
     * {@code base} made unique to the current scope and valid as a JetStream stream, consumer or
     * bucket name, e.g. {@code uniqueName("ORDERS")} gives {@code ORDERS_3f9a1c}.
     */
    String uniqueName(String base);

    /**
     * The environment an implementation under test receives: {@code NATS_URL}, {@code REDIS_URL},
     * {@code HTTP_PORT}, {@code NH_KEY_PREFIX} and the credential and TLS variables that apply.
     */
    Map<String, String> implementationEnvironment();
}
