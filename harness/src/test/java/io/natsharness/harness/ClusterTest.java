package io.natsharness.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A 3-node JetStream cluster and a 3-master Redis Cluster")
class ClusterTest {

    @RegisterExtension
    static NatsHarnessExtension harness = NatsHarnessExtension.builder()
            .withBackend(Backend.EMBEDDED)
            .withJetStreamCluster(3)
            .withRedis(RedisTopology.CLUSTER)
            .build();

    @Test
    @DisplayName("an R3 stream keeps accepting and serving messages when one node is killed")
    void r3SurvivesNodeLoss(Connection nats, JetStreamManagement jsm, FaultSwitches faults, HarnessRuntimeInfo info)
            throws Exception {
        assertThat(info.natsUrls()).hasSize(3).doesNotHaveDuplicates();
        String stream = info.uniqueName("R3");
        jsm.addStream(StreamConfiguration.builder().name(stream).subjects(stream).replicas(3).build());
        nats.jetStream().publish(stream, "one".getBytes());

        faults.nats(2).kill();
        try {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                    nats.jetStream().publish(stream, "two".getBytes()));
            StreamInfo streamInfo = jsm.getStreamInfo(stream);
            assertThat(streamInfo.getStreamState().getMsgCount()).isGreaterThanOrEqualTo(2);
            assertThat(streamInfo.getConfiguration().getReplicas()).isEqualTo(3);
        } finally {
            faults.nats(2).start();
        }
    }

    @Test
    @DisplayName("the Redis Cluster spreads keys over all three masters")
    void redisCluster(RedisClusterClient client, FaultSwitches faults) {
        assertThat(faults.redisNodes()).hasSize(3);
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            IntStream.range(0, 30).forEach(i -> connection.sync().set("key-" + i, "v" + i));
            assertThat(connection.sync().get("key-17")).isEqualTo("v17");
            assertThat(connection.sync().clusterInfo()).contains("cluster_state:ok", "cluster_size:3");
        }
    }
}
