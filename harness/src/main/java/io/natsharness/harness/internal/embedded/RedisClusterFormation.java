package io.natsharness.harness.internal.embedded;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.natsharness.harness.HarnessException;
import io.natsharness.harness.internal.ready.Readiness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Forms a Redis Cluster of masters from fresh cluster-enabled nodes: slots split evenly, every node
 * meets the first, then waits until each reports {@code cluster_state:ok}. What
 * {@code redis-cli --cluster create} does, without needing redis-cli.
 */
final class RedisClusterFormation {

    private static final int SLOTS = 16384;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private RedisClusterFormation() {
    }

    static void form(List<RedisURI> nodes, ClientResources resources, ClientOptions options) {
        List<RedisClient> clients = new ArrayList<>();
        List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
        try {
            for (RedisURI uri : nodes) {
                RedisClient client = RedisClient.create(resources, uri);
                client.setOptions(options);
                clients.add(client);
                connections.add(client.connect());
            }
            int n = nodes.size();
            for (int i = 0; i < n; i++) {
                int from = SLOTS * i / n;
                int to = SLOTS * (i + 1) / n;
                connections.get(i).sync().clusterAddSlots(IntStream.range(from, to).toArray());
            }
            RedisCommands<String, String> first = connections.get(0).sync();
            for (int i = 1; i < n; i++) {
                first.clusterMeet(nodes.get(i).getHost(), nodes.get(i).getPort());
            }
            for (int i = 0; i < n; i++) {
                RedisCommands<String, String> node = connections.get(i).sync();
                Readiness.await("Redis Cluster node " + nodes.get(i).getPort(), () -> {
                    String info = node.clusterInfo();
                    if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + n)) {
                        throw new IllegalStateException("cluster not formed yet");
                    }
                }, TIMEOUT, () -> true, () -> "");
            }
        } catch (RuntimeException e) {
            if (e instanceof HarnessException) {
                throw e;
            }
            throw new HarnessException("could not form the Redis Cluster: " + e.getMessage(), e);
        } finally {
            connections.forEach(StatefulRedisConnection::close);
            clients.forEach(c -> c.shutdown(Duration.ZERO, Duration.ofSeconds(1)));
        }
    }
}
