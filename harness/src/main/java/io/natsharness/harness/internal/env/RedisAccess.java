package io.natsharness.harness.internal.env;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.natsharness.harness.RedisTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a client reaches the environment's Redis. Immutable; Lettuce's {@link RedisURI} is mutable,
 * so every call builds fresh ones.
 *
 * @param topology  standalone or cluster ({@link RedisTopology#NONE} never has an access)
 * @param host      host of every node
 * @param ports     client port of every node
 * @param username  ACL user (empty = default user)
 * @param password  password of that user
 * @param tls       whether the nodes speak TLS only
 * @param caFile    the CA to trust when {@code tls}
 */
public record RedisAccess(
        RedisTopology topology,
        String host,
        List<Integer> ports,
        Optional<String> username,
        Optional<String> password,
        boolean tls,
        Optional<Path> caFile) {

    public RedisAccess {
        ports = List.copyOf(ports);
    }

    /** Plain access without credentials or TLS. */
    public static RedisAccess plain(RedisTopology topology, String host, List<Integer> ports) {
        return new RedisAccess(topology, host, ports, Optional.empty(), Optional.empty(), false, Optional.empty());
    }

    /** Fresh URIs of every node. */
    public List<RedisURI> uris() {
        return ports.stream().map(this::uri).toList();
    }

    /** A fresh URI of one node. */
    public RedisURI uri(int port) {
        RedisURI.Builder builder = RedisURI.builder()
                .withHost(host)
                .withPort(port)
                .withTimeout(Duration.ofSeconds(5))
                .withSsl(tls);
        if (password.isPresent()) {
            if (username.isPresent()) {
                builder.withAuthentication(username.get(), password.get());
            } else {
                builder.withPassword(password.get().toCharArray());
            }
        }
        return builder.build();
    }

    /** Client options that trust the CA when TLS is on (Lettuce keeps TLS trust out of the URI). */
    public ClientOptions clientOptions() {
        return ClientOptions.builder().sslOptions(sslOptions()).build();
    }

    /** The same for a cluster client. */
    public ClusterClientOptions clusterClientOptions() {
        return ClusterClientOptions.builder().sslOptions(sslOptions()).build();
    }

    private SslOptions sslOptions() {
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
        caFile.ifPresent(ca -> ssl.trustManager(ca.toFile()));
        return ssl.build();
    }

    /** The {@code REDIS_URL} an implementation gets (first node; Lettuce and redis-py read it alike). */
    public String url() {
        StringBuilder url = new StringBuilder(tls ? "rediss://" : "redis://");
        if (password.isPresent()) {
            username.ifPresent(url::append);
            url.append(':').append(password.get()).append('@');
        }
        return url.append(host).append(':').append(ports.get(0)).toString();
    }

    /** The variables an implementation under test gets for this access. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REDIS_URL", url());
        if (topology == RedisTopology.CLUSTER) {
            env.put("REDIS_CLUSTER_NODES", String.join(",", ports.stream().map(p -> host + ":" + p).toList()));
        }
        username.ifPresent(u -> env.put("REDIS_USER", u));
        password.ifPresent(p -> env.put("REDIS_PASSWORD", p));
        caFile.ifPresent(ca -> env.put("REDIS_CA_FILE", ca.toString()));
        return env;
    }

    @Override
    public String toString() {
        return "RedisAccess[" + topology + " " + host + ports + (username.map(u -> " user=" + u).orElse(""))
                + (tls ? " tls" : "") + "]";
    }
}
