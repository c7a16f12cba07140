package io.natsharness.harness.internal.containers;

import io.lettuce.core.resource.ClientResources;
import io.natsharness.containers.DockerCheck;
import io.natsharness.containers.NatsClusterContainers;
import io.natsharness.containers.NatsContainer;
import io.natsharness.containers.RedisContainer;
import io.natsharness.containers.TlsMaterial;
import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessException;
import io.natsharness.harness.NatsUser;
import io.natsharness.harness.RedisTopology;
import io.natsharness.harness.ServerNode;
import io.natsharness.harness.internal.embedded.NatsServerConfig;
import io.natsharness.harness.internal.env.BackendDriver;
import io.natsharness.harness.internal.env.EnvironmentSpec;
import io.natsharness.harness.internal.env.NatsAccess;
import io.natsharness.harness.internal.env.RedisAccess;
import io.natsharness.harness.internal.env.SecuritySpec;
import io.natsharness.harness.internal.tls.SecurityMaterial;
import io.natsharness.harness.internal.tls.ThrowAwayCa;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.testcontainers.containers.GenericContainer;

/**
 * The containers backend: NATS and Redis as Testcontainers of the containers module (official
 * images, or images built locally from the host's binaries when nothing can be pulled).
 */
public final class ContainersDriver implements BackendDriver {

    /** Asking for containers where no Docker answers fails within this, never after minutes. */
    private static final Duration DOCKER_CHECK = Duration.ofSeconds(5);

    @Override
    public Backend backend() {
        return Backend.CONTAINERS;
    }

    @Override
    public Servers start(EnvironmentSpec spec, Path workDir, ClientResources resources) {
        DockerCheck.Result docker = DockerCheck.check(DOCKER_CHECK);
        if (!docker.available()) {
            throw new HarnessException("the containers backend needs a Docker engine: " + docker.message());
        }
        if (spec.redis() == RedisTopology.CLUSTER) {
            throw new HarnessException("the containers backend runs a standalone Redis only; use the embedded "
                    + "backend for RedisTopology.CLUSTER");
        }
        SecuritySpec security = spec.security();
        SecurityMaterial material = SecurityMaterial.create(security, workDir.resolve("tls"),
                List.of("localhost", "127.0.0.1"));
        List<GenericContainer<?>> started = new ArrayList<>();
        try {
            List<ServerNode> natsNodes = new ArrayList<>();
            List<String> urls = startNats(spec, material, started, natsNodes);
            Map<String, NatsAccess> natsUsers = material.natsAccess(urls);
            Optional<RedisAccess> redis = Optional.empty();
            List<ServerNode> redisNodes = new ArrayList<>();
            if (spec.redis() == RedisTopology.STANDALONE) {
                RedisContainer container = redisContainer(security, material);
                container.start();
                started.add(container);
                redisNodes.add(new ContainerNode("redis-0", container, container.faults(), container.getRedisPort()));
                redis = Optional.of(new RedisAccess(RedisTopology.STANDALONE, container.getHost(),
                        List.of(container.getRedisPort()), security.redisUser().map(SecuritySpec.RedisUser::name),
                        security.redisUser().map(SecuritySpec.RedisUser::password).or(security::redisPassword),
                        security.redisTls(), security.redisTls() ? material.caFile() : Optional.empty()));
            }
            List<GenericContainer<?>> all = List.copyOf(started);
            return new Servers(natsUsers.get(""), natsUsers, redis, natsNodes, redisNodes,
                    () -> all.forEach(GenericContainer::stop));
        } catch (RuntimeException e) {
            started.forEach(GenericContainer::stop);
            throw e;
        }
    }

    private static List<String> startNats(EnvironmentSpec spec, SecurityMaterial material,
                                          List<GenericContainer<?>> started, List<ServerNode> nodes) {
        List<String> urls = new ArrayList<>();
        if (spec.natsNodes() == 1) {
            NatsContainer nats = configure(new NatsContainer().withJetStream(), material);
            nats.start();
            started.add(nats);
            nodes.add(new ContainerNode("nats-0", nats, nats.faults(), nats.getClientPort()));
            urls.add("nats://" + nats.getHost() + ":" + nats.getClientPort());
            return urls;
        }
        NatsClusterContainers cluster = new NatsClusterContainers();
        if (material.spec().natsTls()) {
            cluster.withTls(tls(material));
        }
        if (!material.spec().natsUsers().isEmpty()) {
            throw new HarnessException("the containers backend runs a JetStream cluster without NATS users; use the "
                    + "embedded backend for users on a cluster");
        }
        cluster.start();
        for (NatsContainer node : cluster.nodes()) {
            started.add(node);
            nodes.add(new ContainerNode("nats-" + nodes.size(), node, node.faults(), node.getClientPort()));
            urls.add("nats://" + node.getHost() + ":" + node.getClientPort());
        }
        return urls;
    }

    private static NatsContainer configure(NatsContainer nats, SecurityMaterial material) {
        SecuritySpec spec = material.spec();
        if (spec.natsTls()) {
            nats.withTls(tls(material));
        }
        if (!spec.natsUsers().isEmpty()) {
            nats.withConfig(NatsServerConfig.authorization(material));
            NatsUser first = spec.natsUsers().get(0);
            if (first.kind() == NatsUser.Kind.TOKEN) {
                nats.withClientToken(first.secret());
            } else {
                nats.withClientCredentials(SecurityMaterial.ADMIN, material.adminPassword());
            }
        }
        return nats;
    }

    private static RedisContainer redisContainer(SecuritySpec security, SecurityMaterial material) {
        RedisContainer redis = new RedisContainer();
        if (material.redisNeedsPassword()) {
            redis.withPassword(material.redisAdminPassword());
        }
        security.redisUser().ifPresent(u -> redis.withAclUser(u.name(), u.password(), String.join(" ", u.rules())));
        if (security.redisTls()) {
            redis.withTls(tls(material));
        }
        return redis;
    }

    private static TlsMaterial tls(SecurityMaterial material) {
        ThrowAwayCa.IssuedFiles server = material.server().orElseThrow();
        TlsMaterial.Builder builder = TlsMaterial.builder().withCaCertificate(server.caFile())
                .withServerCertificate(server.certFile(), server.keyFile());
        material.client().ifPresent(c -> builder.withClientCertificate(c.certFile(), c.keyFile()));
        return builder.build();
    }
}
