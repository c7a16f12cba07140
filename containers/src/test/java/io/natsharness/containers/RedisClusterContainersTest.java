package io.natsharness.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("RedisClusterContainers, three masters")
class RedisClusterContainersTest {

    private static RedisClusterContainers cluster;
    private static RedisClusterClient client;

    @BeforeAll
    static void start() {
        cluster = new RedisClusterContainers().withPassword("cluster-secret").start();
        client = RedisClusterClient.create(cluster.redisUris());
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Nested
    @DisplayName("once started")
    class Started {

        @Test
        @DisplayName("hands out one URI per node, on 127.0.0.1 ports, with the password")
        void uris() {
            assertThat(cluster.uris()).hasSize(3).doesNotHaveDuplicates()
                    .allMatch(uri -> uri.matches("redis://default:cluster-secret@localhost:\\d+"));
        }

        @Test
        @DisplayName("a cluster client spreads keys over the three masters and reads them back")
        void keysOverAllMasters() {
            try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
                RedisAdvancedClusterCommands<String, String> redis = connection.sync();
                for (int i = 0; i < 60; i++) {
                    redis.set("key:" + i, "value-" + i);
                }
                for (int i = 0; i < 60; i++) {
                    assertThat(redis.get("key:" + i)).isEqualTo("value-" + i);
                }
                assertThat(connection.getPartitions().size()).isEqualTo(3);
                for (RedisContainer node : cluster.nodes()) {
                    assertThat(keysOn(node)).as("keys on node %s", node.getRedisPort()).isPositive();
                }
            }
        }

        @Test
        @DisplayName("a node restarted through its faults keeps its port and rejoins the cluster")
        void restartNode() {
            RedisContainer node = cluster.nodes().get(1);
            int port = node.getRedisPort();

            node.faults().restart();

            assertThat(node.getRedisPort()).isEqualTo(port);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> clusterInfo(node).contains("cluster_state:ok"));
        }
    }

    private static long keysOn(RedisContainer node) {
        RedisClient single = RedisClient.create();
        try (StatefulRedisConnection<String, String> connection = single.connect(node.redisUri())) {
            return connection.sync().dbsize();
        } finally {
            single.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private static String clusterInfo(RedisContainer node) {
        RedisClient single = RedisClient.create();
        try (StatefulRedisConnection<String, String> connection = single.connect(node.redisUri())) {
            return connection.sync().clusterInfo();
        } finally {
            single.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
