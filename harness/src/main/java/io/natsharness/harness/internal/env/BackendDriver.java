package io.natsharness.harness.internal.env;

import io.lettuce.core.resource.ClientResources;
import io.natsharness.harness.Backend;
import io.natsharness.harness.ServerNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One way to provide NATS and Redis: embedded processes, containers or an external deployment.
 * A driver only starts servers and hands back how to reach them; the implementation under test,
 * clients and JUnit wiring are the same for every backend.
 */
public interface BackendDriver {

    /** Which backend this is. */
    Backend backend();

    /**
     * Starts (or, for external, checks) the servers of {@code spec} and returns when every one
     * answers a real client.
     *
     * @param spec      what the test asked for
     * @param workDir   a private folder for stores, configs and logs; deleted after close
     * @param resources Lettuce's shared event loops, for Redis readiness checks
     */
    Servers start(EnvironmentSpec spec, Path workDir, ClientResources resources) throws Exception;

    /**
     * Running servers and how to reach them.
     *
     * @param nats       NATS access of the default user
     * @param natsUsers  NATS access per user name (the default also under "")
     * @param redis      Redis access (empty for {@code RedisTopology.NONE})
     * @param natsNodes  fault switches per NATS node
     * @param redisNodes fault switches per Redis node
     * @param shutdown   stops every server this driver started
     */
    record Servers(NatsAccess nats, Map<String, NatsAccess> natsUsers, Optional<RedisAccess> redis, List<ServerNode> natsNodes,
                   List<ServerNode> redisNodes, AutoCloseable shutdown) {
        public Servers {
            natsUsers = Map.copyOf(natsUsers);
            natsNodes = List.copyOf(natsNodes);
            redisNodes = List.copyOf(redisNodes);
        }
    }
}
