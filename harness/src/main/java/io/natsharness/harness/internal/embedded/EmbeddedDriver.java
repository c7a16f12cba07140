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
import io.natsharness.harness.internal.env.SecuritySpec;
import io.natsharness.harness.internal.tls.SecurityMaterial;
import io.natsharness.harness.internal.ready.Readiness;
import io.natsharness.harness.internal.ready.Readiness.ServerDiedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

        SecurityMaterial material = SecurityMaterial.create(spec.security(), dir.resolve("tls"),
                List.of("localhost", "127.0.0.1"));
        Map<String, NatsAccess> natsUsers = material.natsAccess(
                clientPorts.stream().map(p -> "nats://127.0.0.1:" + p).toList());
        NatsAccess probe = material.probeAccess(natsUsers);
        String clusterName = natsCount > 1 ? "nh-" + dir.getParent().getFileName() : null;
        String security = NatsServerConfig.security(material);
        List<ProcessNode> natsNodes = new ArrayList<>();
        for (int i = 0; i < natsCount; i++) {
            natsNodes.add(natsNode(i, natsBin, dir, clientPorts.get(i), clusterName,
                    natsCount > 1 ? routePorts.get(i) : 0, routePorts, security, probe));
        }
        Optional<RedisAccess> redis = redisCount == 0 ? Optional.empty() : Optional.of(redisAccess(spec, material,
                redisPorts));
        RedisAccess admin = redis.map(r -> new RedisAccess(r.topology(), r.host(), r.ports(), Optional.empty(),
                material.redisNeedsPassword() ? Optional.of(material.redisAdminPassword()) : Optional.empty(),
                r.tls(), r.caFile())).orElse(null);
        List<ProcessNode> redisNodes = new ArrayList<>();
        for (int i = 0; i < redisCount; i++) {
            Path nodeDir = Files.createDirectories(dir.resolve("redis-" + i));
            int port = redisPorts.get(i);
            redisNodes.add(new ProcessNode("redis-" + i, port,
                    RedisCommandLine.of(redisBin, port, nodeDir, spec.redis(), material), nodeDir,
                    nodeDir.resolve("redis-server.log"),
                    Readiness.redisPing(admin.uri(port), resources, admin.clientOptions())));
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
            RedisClusterFormation.form(admin.uris(), resources, admin.clientOptions());
        }
        List<ProcessNode> all = List.copyOf(started);
        return new Servers(natsUsers.get(""), natsUsers, redis, List.<ServerNode>copyOf(natsNodes),
                List.<ServerNode>copyOf(redisNodes), () -> all.forEach(ProcessNode::close));
    }

    private static RedisAccess redisAccess(EnvironmentSpec spec, SecurityMaterial material, List<Integer> ports) {
        SecuritySpec security = spec.security();
        Optional<String> user = security.redisUser().map(SecuritySpec.RedisUser::name);
        Optional<String> password = security.redisUser().map(SecuritySpec.RedisUser::password)
                .or(security::redisPassword);
        return new RedisAccess(spec.redis(), "127.0.0.1", ports, user, password, security.redisTls(),
                security.redisTls() ? material.caFile() : Optional.empty());
    }

    private static ProcessNode natsNode(int index, Path bin, Path dir, int port, String clusterName, int routePort,
                                        List<Integer> routePorts, String security, NatsAccess probe)
            throws IOException {
        Path nodeDir = Files.createDirectories(dir.resolve("nats-" + index));
        Path store = Files.createDirectories(nodeDir.resolve("jetstream"));
        Path conf = nodeDir.resolve("nats.conf");
        Files.writeString(conf, NatsServerConfig.render("nh-" + index, port, store, clusterName, routePort,
                routePorts, security));
        return new ProcessNode("nats-" + index, port, List.of(bin.toString(), "-c", conf.toString()), nodeDir,
                nodeDir.resolve("nats-server.log"),
                Readiness.natsJetStream(probe.probeOptions(probe.urls().get(index)).build()));
    }

    private static List<ProcessNode> concat(List<ProcessNode> a, List<ProcessNode> b) {
        List<ProcessNode> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
