package io.natsharness.containers;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * A Redis Cluster of three masters (no replicas), the 16384 slots split evenly between them.
 *
 * <p>Cluster nodes tell clients where each slot lives, by the address they announce; behind
 * published ports that address is wrong on one side or the other. So the nodes run on the host's
 * network, bound to 127.0.0.1 at random free ports (the cluster bus on port + 10000): what they
 * announce is what clients on this machine dial. That needs a Docker engine on this machine.
 * Restarting a node through {@link RedisContainer#faults()} keeps its port and its cluster state.
 *
 * <pre>{@code
 * try (RedisClusterContainers cluster = new RedisClusterContainers().start()) {
 *     RedisClusterClient client = RedisClusterClient.create(cluster.redisUris());
 *     client.connect().sync().set("user:42", "alice");
 * }
 * }</pre>
 */
public final class RedisClusterContainers implements AutoCloseable {

    public static final int SIZE = 3;
    private static final int SLOTS = 16384;
    private static final int BUS_OFFSET = 10000;
    private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(RedisClusterContainers.class);

    private final List<RedisContainer> nodes;
    private String password;

    /** Nodes of the image {@link ContainerImages#redis()} names. */
    public RedisClusterContainers() {
        this(RedisContainer::new);
    }

    /** Nodes of the given image. */
    public RedisClusterContainers(DockerImageName image) {
        this(() -> new RedisContainer(image));
    }

    private RedisClusterContainers(Supplier<RedisContainer> newNode) {
        List<RedisContainer> created = new ArrayList<>();
        for (int i = 0; i < SIZE; i++) {
            created.add(newNode.get());
        }
        this.nodes = List.copyOf(created);
    }

    /** The default user's password on every node. */
    public RedisClusterContainers withPassword(String password) {
        nodes.forEach(node -> node.withPassword(password));
        this.password = password;
        return this;
    }

    /**
     * Starts the nodes in parallel, assigns the slots, joins the nodes and waits for
     * {@code cluster_state:ok} on each.
     *
     * @throws IllegalStateException when the engine is not on this machine or the cluster does not
     *                               form; every node is stopped then
     */
    public RedisClusterContainers start() {
        String host = nodes.get(0).getHost();
        if (!Set.of("localhost", "127.0.0.1").contains(host)) {
            throw new IllegalStateException("a Redis Cluster in containers needs the Docker engine on this machine"
                    + " (its nodes use the host's network); the engine is at " + host);
        }
        List<Integer> ports = freePortPairs();
        for (int i = 0; i < SIZE; i++) {
            nodes.get(i).asClusterNodeOnHostNetwork(ports.get(i));
        }
        try {
            Startables.deepStart(nodes).join();
            form();
        } catch (CompletionException | IllegalStateException e) {
            close();
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("the Redis Cluster did not start: " + cause.getMessage(), cause);
        }
        LOG.info("Redis Cluster up on 127.0.0.1 ports {}", ports);
        return this;
    }

    private void form() {
        RedisClient client = RedisClient.create();
        List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
        try {
            for (RedisContainer node : nodes) {
                connections.add(client.connect(node.redisUri()));
            }
            int share = SLOTS / SIZE;
            for (int i = 0; i < SIZE; i++) {
                int last = i == SIZE - 1 ? SLOTS - 1 : (i + 1) * share - 1;
                connections.get(i).sync().clusterAddSlotsRange(Range.create(i * share, last));
            }
            for (int i = 1; i < SIZE; i++) {
                connections.get(0).sync().clusterMeet("127.0.0.1", nodes.get(i).getRedisPort());
            }
            awaitClusterOk(connections);
        } finally {
            connections.forEach(StatefulRedisConnection::close);
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private static void awaitClusterOk(List<StatefulRedisConnection<String, String>> connections) {
        Instant deadline = Instant.now().plus(FORMATION_TIMEOUT);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            boolean allOk = true;
            for (StatefulRedisConnection<String, String> connection : connections) {
                last = connection.sync().clusterInfo();
                if (!last.contains("cluster_state:ok") || !last.contains("cluster_known_nodes:" + SIZE)) {
                    allOk = false;
                    break;
                }
            }
            if (allOk) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the Redis Cluster formed", e);
            }
        }
        throw new IllegalStateException("the Redis Cluster did not reach cluster_state:ok within "
                + FORMATION_TIMEOUT.toSeconds() + "s; last CLUSTER INFO: " + last.replace("\r\n", " "));
    }

    /** The nodes; each has its own {@link RedisContainer#faults()}. */
    public List<RedisContainer> nodes() {
        return nodes;
    }

    /** {@code redis://[default:password@]127.0.0.1:port} of every node: seeds for a cluster client. */
    public List<String> uris() {
        return nodes.stream().map(RedisContainer::getRedisUri).collect(Collectors.toList());
    }

    /** Lettuce URIs of every node, with the password when set. */
    public List<RedisURI> redisUris() {
        return nodes.stream().map(RedisContainer::redisUri).collect(Collectors.toList());
    }

    /** Stops and removes every node. */
    @Override
    public void close() {
        for (RedisContainer node : nodes) {
            try {
                node.stop();
            } catch (RuntimeException e) {
                LOG.warn("could not stop a Redis Cluster node: {}", e.getMessage());
            }
        }
    }

    /** Ports p with p + 10000 free too (the cluster bus), none shared. */
    private static List<Integer> freePortPairs() {
        Set<Integer> chosen = new HashSet<>();
        List<Integer> ports = new ArrayList<>();
        for (int attempt = 0; attempt < 200 && ports.size() < SIZE; attempt++) {
            int port = LoopbackPorts.freePort();
            if (port + BUS_OFFSET <= 65535 && isFree(port + BUS_OFFSET) && chosen.add(port)
                    && !chosen.contains(port + BUS_OFFSET)) {
                ports.add(port);
                chosen.add(port + BUS_OFFSET);
            }
        }
        if (ports.size() < SIZE) {
            throw new IllegalStateException("found no " + SIZE + " free port pairs (port and port + " + BUS_OFFSET
                    + ") on 127.0.0.1");
        }
        return ports;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
