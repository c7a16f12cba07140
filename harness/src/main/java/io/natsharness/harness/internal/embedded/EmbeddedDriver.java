package io.natsharness.harness.internal.embedded;

import io.lettuce.core.resource.ClientResources;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessException;
import io.natsharness.harness.RedisTopology;
import io.natsharness.harness.ServerNode;
import io.natsharness.harness.internal.env.BackendDriver;
import io.natsharness.harness.internal.env.EnvironmentSpec;
import io.natsharness.harness.internal.env.NatsAccess;
import io.natsharness.harness.internal.env.RedisAccess;
import io.natsharness.harness.internal.ready.Readiness;
import io.natsharness.harness.internal.ready.Readiness.ServerDiedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded backend: nats-server and redis-server as child processes of the test JVM on random
 * free ports, each with its own store under the environment's work folder.
 */
public final class EmbeddedDriver implements BackendDriver {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDriver.class);
    // Ports are found free, then handed to the server a moment later: another process can take
    // one in between. Rare, so a couple of fresh attempts are enough.
    private static final int ATTEMPTS = 3;

    @Override
    public Backend backend() {
        return Backend.EMBEDDED;
    }

    @Override
    public Servers start(EnvironmentSpec spec, Path workDir, ClientResources resources) throws IOException {
        Path natsBin = Binaries.natsServer().orElseThrow(() -> new HarnessException(
                "nats-server not found on PATH (nor in /usr/sbin); install it (apt-get install nats-server) "
                        + "or set " + Binaries.NATS_SERVER_BIN + " to its path"));
        Path redisBin = spec.redis() == RedisTopology.NONE ? null : Binaries.redisServer();
        for (int attempt = 1; ; attempt++) {
            Path attemptDir = Files.createDirectories(workDir.resolve("attempt-" + attempt));
            List<ProcessNode> started = new ArrayList<>();
            try {
                return startOnce(spec, natsBin, redisBin, attemptDir, resources, started);
            } catch (ServerDiedException e) {
                started.forEach(ProcessNode::kill);
                if (!e.portTaken() || attempt == ATTEMPTS) {
                    throw e;
                }
                LOG.info("a port was taken by another process before the server bound it; retrying with new ports");
            } catch (RuntimeException e) {
                started.forEach(ProcessNode::kill);
                throw e;
            }
        }
    }

    private Servers startOnce(EnvironmentSpec spec, Path natsBin, Path redisBin, Path dir, ClientResources resources,
                              List<ProcessNode> started) throws IOException {
        int natsCount = spec.natsNodes();
        int redisCount = switch (spec.redis()) {
            case NONE -> 0;
            case STANDALONE -> 1;
            case CLUSTER -> 3;
        };
        List<Integer> ports = FreePorts.reserve(natsCount * (natsCount > 1 ? 2 : 1) + redisCount);
        List<Integer> clientPorts = ports.subList(0, natsCount);
        List<Integer> routePorts = natsCount > 1 ? ports.subList(natsCount, 2 * natsCount) : List.of();
        List<Integer> redisPorts = ports.subList(ports.size() - redisCount, ports.size());

        NatsAccess nats = NatsAccess.plain(clientPorts.stream().map(p -> "nats://127.0.0.1:" + p).toList());
        String clusterName = natsCount > 1 ? "nh-" + dir.getParent().getFileName() : null;
        List<ProcessNode> natsNodes = new ArrayList<>();
        for (int i = 0; i < natsCount; i++) {
            natsNodes.add(natsNode(i, natsBin, dir, clientPorts.get(i), clusterName,
                    natsCount > 1 ? routePorts.get(i) : 0, routePorts, nats));
        }
        Optional<RedisAccess> redis = redisCount == 0 ? Optional.empty()
                : Optional.of(RedisAccess.plain(spec.redis(), "127.0.0.1", redisPorts));
        List<ProcessNode> redisNodes = new ArrayList<>();
        for (int i = 0; i < redisCount; i++) {
            redisNodes.add(redisNode(i, redisBin, dir, redisPorts.get(i), spec.redis(), redis.get(), resources));
        }
        // launch everything first, then wait: the servers start in parallel
        for (ProcessNode node : concat(natsNodes, redisNodes)) {
            node.launch();
            started.add(node);
        }
        for (ProcessNode node : concat(natsNodes, redisNodes)) {
            node.awaitReady();
        }
        if (spec.redis() == RedisTopology.CLUSTER) {
            throw new HarnessException("the embedded backend does not form a Redis Cluster yet; use "
                    + "RedisTopology.STANDALONE");
        }
        List<ProcessNode> all = List.copyOf(started);
        return new Servers(nats, redis, List.<ServerNode>copyOf(natsNodes), List.<ServerNode>copyOf(redisNodes),
                () -> all.forEach(ProcessNode::close));
    }

    private static ProcessNode natsNode(int index, Path bin, Path dir, int port, String clusterName, int routePort,
                                        List<Integer> routePorts, NatsAccess access) throws IOException {
        Path nodeDir = Files.createDirectories(dir.resolve("nats-" + index));
        Path store = Files.createDirectories(nodeDir.resolve("jetstream"));
        Path conf = nodeDir.resolve("nats.conf");
        Files.writeString(conf, NatsServerConfig.render("nh-" + index, port, store, clusterName, routePort,
                routePorts, ""));
        String url = access.urls().get(index);
        return new ProcessNode("nats-" + index, port, List.of(bin.toString(), "-c", conf.toString()), nodeDir,
                nodeDir.resolve("nats-server.log"),
                Readiness.natsJetStream(access.probeOptions(url).build()));
    }

    private static ProcessNode redisNode(int index, Path bin, Path dir, int port, RedisTopology topology,
                                         RedisAccess access, ClientResources resources) throws IOException {
        Path nodeDir = Files.createDirectories(dir.resolve("redis-" + index));
        List<String> command = new ArrayList<>(List.of(bin.toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1",
                // the embedded-redis binary runs in its own folder: always say where to write
                "--dir", nodeDir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no"));
        if (topology == RedisTopology.CLUSTER) {
            command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf"));
        }
        return new ProcessNode("redis-" + index, port, command, nodeDir, nodeDir.resolve("redis-server.log"),
                Readiness.redisPing(access.uri(port), resources, access.clientOptions()));
    }

    private static List<ProcessNode> concat(List<ProcessNode> a, List<ProcessNode> b) {
        List<ProcessNode> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
