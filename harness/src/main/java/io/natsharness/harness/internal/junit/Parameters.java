package io.natsharness.harness.internal.junit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.natsharness.harness.FaultSwitches;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.RedisTopology;
import io.natsharness.harness.internal.Environment;
import io.natsharness.harness.internal.env.EnvironmentSpec;
import io.natsharness.sdk.client.RpcClient;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/** The parameter types the extension resolves, and how. */
public final class Parameters {

    private static final Set<Class<?>> SUPPORTED = Set.of(Connection.class, JetStream.class,
            JetStreamManagement.class, RpcClient.class, RedisURI.class, RedisClient.class, RedisClusterClient.class,
            HarnessRuntimeInfo.class, FaultSwitches.class);

    private Parameters() {
    }

    /** True for the types the extension resolves. */
    public static boolean supports(Class<?> type) {
        return SUPPORTED.contains(type);
    }

    /** Resolves {@code type} in {@code context}, starting the environment if this is its first use. */
    public static Object resolve(Class<?> type, EnvironmentSpec spec, ExtensionContext context) {
        Environment environment = Environments.getOrStart(spec, context);
        if (type == HarnessRuntimeInfo.class) {
            return environment.info(context.getUniqueId());
        }
        if (type == FaultSwitches.class) {
            return environment.faultSwitches();
        }
        if (type == RedisURI.class || type == RedisClient.class || type == RedisClusterClient.class) {
            requireRedis(type, spec);
        }
        ScopeClients clients = Environments.clients(spec, environment, context);
        if (type == Connection.class) {
            return clients.connection();
        }
        if (type == JetStream.class) {
            return clients.jetStream();
        }
        if (type == JetStreamManagement.class) {
            return clients.jetStreamManagement();
        }
        if (type == RpcClient.class) {
            return clients.rpcClient();
        }
        if (type == RedisURI.class) {
            return environment.info(context.getUniqueId()).redisUri().orElseThrow();
        }
        if (type == RedisClient.class) {
            if (spec.redis() == RedisTopology.CLUSTER) {
                throw new ParameterResolutionException("the environment runs a Redis Cluster: declare a "
                        + "RedisClusterClient parameter instead of RedisClient");
            }
            return clients.redisClient();
        }
        if (type == RedisClusterClient.class) {
            if (spec.redis() != RedisTopology.CLUSTER) {
                throw new ParameterResolutionException("the environment runs a standalone Redis: declare a "
                        + "RedisClient parameter, or ask for RedisTopology.CLUSTER");
            }
            return clients.redisClusterClient();
        }
        throw new ParameterResolutionException("nats-harness does not resolve " + type.getName());
    }

    private static void requireRedis(Class<?> type, EnvironmentSpec spec) {
        if (spec.redis() == RedisTopology.NONE) {
            throw new ParameterResolutionException("a " + type.getSimpleName() + " parameter needs Redis, but the "
                    + "environment has none: use @NatsHarnessTest(redis = true) or "
                    + "NatsHarnessExtension.builder().withRedis(RedisTopology.STANDALONE)");
        }
    }
}
