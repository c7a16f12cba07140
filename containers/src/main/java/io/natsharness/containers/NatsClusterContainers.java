package io.natsharness.containers;

import io.nats.client.Options;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * A 3-node NATS cluster with JetStream, one container per node on a network of its own: R3
 * streams work and survive the loss of any one node.
 *
 * <p>Nodes are {@code nats-1}, {@code nats-2}, {@code nats-3} (server names and network aliases),
 * each routed to all three; they start in parallel, because JetStream answers only once a quorum is
 * up, and a node counts as ready when JetStream answers it. Nodes do not advertise the cluster's
 * internal addresses to clients: clients use {@link #urls()}.
 *
 * <pre>{@code
 * try (NatsClusterContainers cluster = new NatsClusterContainers()) {
 *     cluster.start();
 *     Connection connection = Nats.connect(cluster.clientOptions().build());
 *     connection.jetStreamManagement().addStream(StreamConfiguration.builder()
 *             .name("ORDERS").subjects("orders.>").replicas(3).build());
 *     cluster.nodes().get(0).faults().stop(); // the stream carries on
 * }
 * }</pre>
 */
public final class NatsClusterContainers implements AutoCloseable {

    public static final int SIZE = 3;
    public static final String CLUSTER_NAME = "natsharness";

    private static final Logger LOG = LoggerFactory.getLogger(NatsClusterContainers.class);

    private final Network network;
    private final List<NatsContainer> nodes;

    /** Nodes of the image {@link ContainerImages#nats()} names. */
    public NatsClusterContainers() {
        this(NatsContainer::new);
    }

    /** Nodes of the given image. */
    public NatsClusterContainers(DockerImageName image) {
        this(() -> new NatsContainer(image));
    }

    private NatsClusterContainers(Supplier<NatsContainer> newNode) {
        this.network = Network.builder()
                .createNetworkCmdModifier(command -> command.withLabels(ContainerLabels.forThisProcess()))
                .build();
        List<String> names = IntStream.rangeClosed(1, SIZE).mapToObj(i -> "nats-" + i).collect(Collectors.toList());
        List<String> routes = names.stream().map(name -> "nats://" + name + ":" + NatsContainer.ROUTE_PORT)
                .collect(Collectors.toList());
        List<NatsContainer> created = new ArrayList<>();
        for (String name : names) {
            created.add(newNode.get()
                    .withNetwork(network)
                    .withNetworkAliases(name)
                    .withServerName(name)
                    .withJetStream()
                    .withClusterRoutes(CLUSTER_NAME, routes));
        }
        this.nodes = List.copyOf(created);
    }

    /** The same configuration file on every node (e.g. users and permissions). */
    public NatsClusterContainers withConfig(String natsServerConf) {
        nodes.forEach(node -> node.withConfig(natsServerConf));
        return this;
    }

    /** TLS on every node's client port; certificates should name localhost and 127.0.0.1. */
    public NatsClusterContainers withTls(TlsMaterial tls) {
        nodes.forEach(node -> node.withTls(tls));
        return this;
    }

    /** The credentials readiness checks and {@link #clientOptions()} use. */
    public NatsClusterContainers withClientCredentials(String user, String password) {
        nodes.forEach(node -> node.withClientCredentials(user, password));
        return this;
    }

    /** The token readiness checks and {@link #clientOptions()} use. */
    public NatsClusterContainers withClientToken(String token) {
        nodes.forEach(node -> node.withClientToken(token));
        return this;
    }

    /**
     * Starts the three nodes in parallel and waits until JetStream answers on each.
     *
     * @throws IllegalStateException when a node does not come up; every node is stopped then
     */
    public NatsClusterContainers start() {
        try {
            Startables.deepStart(nodes).join();
        } catch (CompletionException e) {
            close();
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("the NATS cluster did not start: " + cause.getMessage(), cause);
        }
        try {
            awaitReplicatedPlacement(java.time.Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        LOG.info("NATS cluster up: {}", urls());
        return this;
    }

    /**
     * Each node answering JetStream is not enough: until the meta leader knows all three peers, an
     * R3 stream is refused ("no suitable peers for placement"). Ready means one can be placed: a
     * throw-away in-memory R3 stream is created, then deleted.
     */
    private void awaitReplicatedPlacement(java.time.Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        String name = "NH_READY_" + Long.toHexString(System.nanoTime());
        Exception last = null;
        try (io.nats.client.Connection nc = io.nats.client.Nats.connect(clientOptions()
                .errorListener(new io.nats.client.ErrorListener() {}).build())) {
            io.nats.client.JetStreamManagement jsm = nc.jetStreamManagement();
            while (System.nanoTime() < end) {
                try {
                    jsm.addStream(io.nats.client.api.StreamConfiguration.builder().name(name)
                            .subjects("nh.ready." + name).replicas(3)
                            .storageType(io.nats.client.api.StorageType.Memory).build());
                    jsm.deleteStream(name);
                    return;
                } catch (Exception e) {
                    last = e;
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the NATS cluster", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot reach the NATS cluster at " + urls() + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException("the NATS cluster did not accept a 3-replica stream within "
                + timeout.toSeconds() + " s: " + (last == null ? "no answer" : last.getMessage()), last);
    }

    /** The nodes, {@code nats-1} first; each has its own {@link NatsContainer#faults()}. */
    public List<NatsContainer> nodes() {
        return nodes;
    }

    /** Each node's client URL, as reachable from this machine. */
    public List<String> urls() {
        return nodes.stream().map(NatsContainer::getNatsUrl).collect(Collectors.toList());
    }

    /** The network the nodes share; other containers on it reach them as nats-1…nats-3. */
    public Network network() {
        return network;
    }

    /**
     * jnats options listing every node (the client fails over between them), with the TLS context
     * and credentials of the nodes.
     */
    public Options.Builder clientOptions() {
        return nodes.get(0).clientOptions(urls()).ignoreDiscoveredServers();
    }

    /** Stops and removes every node and the network. */
    @Override
    public void close() {
        for (NatsContainer node : nodes) {
            try {
                node.stop();
            } catch (RuntimeException e) {
                LOG.warn("could not stop {}: {}", node.getNetworkAliases(), e.getMessage());
            }
        }
        network.close();
    }
}
