package io.natsharness.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

@DisplayName("Leftovers")
class LeftoversTest {

    private final DockerClient docker = DockerClientFactory.instance().client();
    /** Marks what this test creates, so that it can clean up whatever an assertion leaves behind. */
    private final String testRun = UUID.randomUUID().toString();

    @AfterEach
    void cleanUp() {
        Leftovers.removeLabelled(Map.of("test-run", testRun));
    }

    @Nested
    @DisplayName("removeOrphans")
    class Orphans {

        @Test
        @DisplayName("removes a container whose owner process is gone")
        void removesOrphan() throws Exception {
            String orphan = container(owner(deadPid(), "0"));

            Leftovers.removeOrphans();

            assertThat(exists(orphan)).isFalse();
        }

        @Test
        @DisplayName("keeps a container whose owner process still runs")
        void keepsLiveOwner() {
            String live = container(ContainerLabels.forThisProcess());

            Leftovers.removeOrphans();

            assertThat(exists(live)).isTrue();
        }

        @Test
        @DisplayName("removes a container whose process id now belongs to a different process")
        void removesReusedPid() {
            Map<String, String> labels = ContainerLabels.forThisProcess();
            labels.put(ContainerLabels.PROCESS_START, "1");
            String reused = container(labels);

            Leftovers.removeOrphans();

            assertThat(exists(reused)).isFalse();
        }

        @Test
        @DisplayName("removes an orphaned network too")
        void removesNetwork() throws Exception {
            Map<String, String> labels = owner(deadPid(), "0");
            labels.put("test-run", testRun);
            String network = docker.createNetworkCmd().withName("nh-orphan-" + testRun).withLabels(labels).exec().getId();

            Leftovers.removeOrphans();

            assertThat(docker.listNetworksCmd().withIdFilter(network).exec()).isEmpty();
        }
    }

    @Nested
    @DisplayName("removeLabelled and removeOwn")
    class ByLabel {

        @Test
        @DisplayName("removeLabelled removes exactly the containers with all the labels")
        void removeLabelled() {
            String first = container(ContainerLabels.forThisProcess());
            String second = container(ContainerLabels.forThisProcess());

            int removed = Leftovers.removeLabelled(Map.of("test-run", testRun));

            assertThat(removed).isEqualTo(2);
            assertThat(exists(first)).isFalse();
            assertThat(exists(second)).isFalse();
        }

        @Test
        @DisplayName("removeOwn removes the containers of this JVM")
        void removeOwn() {
            String own = container(ContainerLabels.forThisProcess());

            assertThat(Leftovers.removeOwn()).isGreaterThanOrEqualTo(1);

            assertThat(exists(own)).isFalse();
        }

        @Test
        @DisplayName("an empty label set is refused, rather than removing everything")
        void emptyFilter() {
            assertThatThrownBy(() -> Leftovers.removeLabelled(Map.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("at least one label is needed to choose what to remove");
        }
    }

    /** A created (never started) container: enough to be listed and removed. */
    private String container(Map<String, String> labels) {
        Map<String, String> all = new HashMap<>(labels);
        all.put("test-run", testRun);
        return docker.createContainerCmd(LocalImages.nats().asCanonicalNameString()).withLabels(all).exec().getId();
    }

    private static Map<String, String> owner(long pid, String processStart) {
        Map<String, String> labels = ContainerLabels.forThisProcess();
        labels.put(ContainerLabels.PID, Long.toString(pid));
        labels.put(ContainerLabels.PROCESS_START, processStart);
        return labels;
    }

    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }

    private boolean exists(String id) {
        try {
            docker.inspectContainerCmd(id).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }
}
