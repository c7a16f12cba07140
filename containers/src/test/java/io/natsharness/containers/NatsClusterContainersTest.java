package io.natsharness.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("NatsClusterContainers, three JetStream nodes")
class NatsClusterContainersTest {

    private static NatsClusterContainers cluster;

    @BeforeAll
    static void start() {
        cluster = new NatsClusterContainers().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Nested
    @DisplayName("once started")
    class Started {

        @Test
        @DisplayName("every node has its own URL on this machine")
        void urls() {
            assertThat(cluster.urls()).hasSize(3).doesNotHaveDuplicates()
                    .allMatch(url -> url.startsWith("nats://localhost:"));
        }

        @Test
        @DisplayName("the three nodes form one cluster")
        void oneCluster() throws Exception {
            try (Connection connection = Nats.connect(cluster.nodes().get(0).clientOptions().build())) {
                StreamInfo info = connection.jetStreamManagement().addStream(StreamConfiguration.builder()
                        .name("MEMBERS").subjects("members.>").replicas(3).build());
                assertThat(info.getClusterInfo().getName()).isEqualTo(NatsClusterContainers.CLUSTER_NAME);
                List<String> servers = names(info);
                assertThat(servers).containsExactlyInAnyOrder("nats-1", "nats-2", "nats-3");
            }
        }

        @Test
        @DisplayName("an R3 stream keeps taking messages when its leader is stopped, and the node comes back")
        void survivesLosingLeader() throws Exception {
            try (Connection connection = Nats.connect(cluster.clientOptions()
                    .connectionTimeout(Duration.ofSeconds(2)).build())) {
                JetStreamManagement management = connection.jetStreamManagement();
                management.addStream(StreamConfiguration.builder().name("PAYMENTS").subjects("payments.>")
                        .replicas(3).build());
                JetStream jetStream = connection.jetStream();
                for (int i = 0; i < 5; i++) {
                    jetStream.publish("payments.charged", ("before-" + i).getBytes(StandardCharsets.UTF_8));
                }
                String leader = management.getStreamInfo("PAYMENTS").getClusterInfo().getLeader();
                NatsContainer leaderNode = node(leader);

                leaderNode.faults().stop();
                try {
                    // A new leader is elected among the other two; publishing works again after that.
                    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                            .ignoreExceptionsInstanceOf(IOException.class)
                            .ignoreExceptionsInstanceOf(JetStreamApiException.class)
                            .until(() -> jetStream.publish("payments.charged",
                                    "after".getBytes(StandardCharsets.UTF_8)).getSeqno() == 6);
                    StreamInfo info = management.getStreamInfo("PAYMENTS");
                    assertThat(info.getStreamState().getMsgCount()).isEqualTo(6);
                    assertThat(info.getClusterInfo().getLeader()).isNotEqualTo(leader);
                } finally {
                    leaderNode.faults().start();
                }

                // The stopped node is back on the same port, with the stream, and catches up.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                        .ignoreExceptionsInstanceOf(IOException.class)
                        .ignoreExceptionsInstanceOf(JetStreamApiException.class)
                        .until(() -> allCurrent(management.getStreamInfo("PAYMENTS")));
                try (Connection direct = Nats.connect(leaderNode.clientOptions().build())) {
                    assertThat(direct.jetStreamManagement().getStreamInfo("PAYMENTS").getStreamState().getMsgCount())
                            .isEqualTo(6);
                }
            }
        }
    }

    private static NatsContainer node(String serverName) {
        return cluster.nodes().stream()
                .filter(node -> node.getNetworkAliases().contains(serverName))
                .findFirst().orElseThrow(() -> new AssertionError("no node named " + serverName));
    }

    private static List<String> names(StreamInfo info) {
        List<String> names = info.getClusterInfo().getReplicas().stream().map(r -> r.getName())
                .collect(Collectors.toList());
        names.add(info.getClusterInfo().getLeader());
        return names;
    }

    private static boolean allCurrent(StreamInfo info) {
        return info.getClusterInfo().getReplicas().size() == 2
                && info.getClusterInfo().getReplicas().stream().allMatch(r -> r.isCurrent() && !r.isOffline());
    }
}
