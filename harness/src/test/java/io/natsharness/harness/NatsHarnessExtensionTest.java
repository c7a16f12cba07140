package io.natsharness.harness;

import static io.natsharness.harness.EngineRuns.entries;
import static io.natsharness.harness.EngineRuns.failures;
import static io.natsharness.harness.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.harness.fixtures.AnnotatedFixture;
import io.natsharness.harness.fixtures.FailingFixture;
import io.natsharness.harness.fixtures.InstanceFieldFixture;
import io.natsharness.harness.fixtures.NoRedisFixture;
import io.natsharness.harness.fixtures.ParallelFixture;
import io.natsharness.harness.fixtures.SharedFirstFixture;
import io.natsharness.harness.fixtures.SharedSecondFixture;
import io.natsharness.harness.fixtures.StaticFieldNestedFixture;
import io.natsharness.harness.fixtures.UnconfiguredFixture;
import io.natsharness.harness.internal.junit.ServerLogs;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

@DisplayName("NatsHarnessExtension")
class NatsHarnessExtensionTest {

    @Nested
    @DisplayName("with @NatsHarnessTest on the class")
    class Annotated {

        @Test
        @DisplayName("resolves every parameter type and runs all tests on one environment")
        void oneEnvironmentPerClass() {
            EngineExecutionResults results = run(AnnotatedFixture.class);

            results.testEvents().assertStatistics(stats -> stats.started(3).succeeded(3));
            assertThat(entries(results, "natsUrl")).hasSize(2).containsOnly(entries(results, "natsUrl").get(0));
        }

        @Test
        @DisplayName("gives each test method its own key prefix, distinct from the class's")
        void keyPrefixPerTest() {
            EngineExecutionResults results = run(AnnotatedFixture.class);

            List<String> prefixes = entries(results, "keyPrefix");
            assertThat(prefixes).hasSize(2).doesNotHaveDuplicates();
            assertThat(entries(results, "classPrefix")).singleElement().isNotIn(prefixes);
        }

        @Test
        @DisplayName("refuses a Redis parameter when the environment has no Redis, saying what to change")
        void redisParameterWithoutRedis() {
            EngineExecutionResults results = run(NoRedisFixture.class);

            results.testEvents().assertStatistics(stats -> stats.failed(1));
            assertThat(failures(results)).singleElement().extracting(Throwable::getMessage).isEqualTo(
                    "a RedisClient parameter needs Redis, but the environment has none: use "
                            + "@NatsHarnessTest(redis = true) or NatsHarnessExtension.builder()"
                            + ".withRedis(RedisTopology.STANDALONE)");
        }

        @Test
        @DisplayName("explains how to configure it when registered without configuration")
        void unconfigured() {
            EngineExecutionResults results = run(UnconfiguredFixture.class);

            assertThat(failures(results)).singleElement().extracting(Throwable::getMessage).isEqualTo(
                    "NatsHarnessExtension was registered without a configuration: annotate the test class with "
                            + "@NatsHarnessTest, or register NatsHarnessExtension.builder()...build() in a "
                            + "@RegisterExtension field");
        }
    }

    @Nested
    @DisplayName("with the builder")
    class Builder {

        @Test
        @DisplayName("in an instance field starts one environment per test")
        void perTest() {
            EngineExecutionResults results = run(InstanceFieldFixture.class);

            results.testEvents().assertStatistics(stats -> stats.succeeded(2));
            assertThat(entries(results, "natsUrl")).hasSize(2).doesNotHaveDuplicates();
        }

        @Test
        @DisplayName("in a static field shares the class's environment with @Nested classes")
        void nestedShareTheClassEnvironment() {
            EngineExecutionResults results = run(StaticFieldNestedFixture.class);

            results.testEvents().assertStatistics(stats -> stats.succeeded(3));
            assertThat(entries(results, "natsUrl")).hasSize(3).containsOnly(entries(results, "natsUrl").get(0));
        }

        @Test
        @DisplayName("refuses a cluster size other than 1 or 3")
        void clusterSize() {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> NatsHarnessExtension.builder()
                            .withJetStreamCluster(2))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("withJetStreamCluster(2) is not supported: use 1 (single node) or 3 (a cluster "
                            + "that survives the loss of one node)");
        }
    }

    @Nested
    @DisplayName("with a shared environment")
    class Shared {

        @Test
        @DisplayName("starts it once for every class of equal configuration and closes it at the end of the run")
        void sharedAcrossClasses() throws Exception {
            EngineExecutionResults results = run(SharedFirstFixture.class, SharedSecondFixture.class);

            results.testEvents().assertStatistics(stats -> stats.succeeded(2));
            List<String> urls = entries(results, "natsUrl");
            assertThat(urls).hasSize(2).containsOnly(urls.get(0));
            int port = URI.create(urls.get(0)).getPort();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
                    .isInstanceOf(ConnectException.class);
        }
    }

    @Nested
    @DisplayName("under parallel execution")
    class Parallel {

        @Test
        @DisplayName("isolates concurrent tests by key prefix and JetStream names")
        void concurrentTestsAreIsolated() {
            EngineExecutionResults results = run(Map.of(
                    "junit.jupiter.execution.parallel.enabled", "true",
                    "junit.jupiter.execution.parallel.config.strategy", "fixed",
                    "junit.jupiter.execution.parallel.config.fixed.parallelism", "3"), ParallelFixture.class);

            results.testEvents().assertStatistics(stats -> stats.succeeded(6));
            assertThat(entries(results, "keyPrefix")).hasSize(6).doesNotHaveDuplicates();
            assertThat(entries(results, "thread")).hasSizeGreaterThan(1).satisfies(
                    threads -> assertThat(threads.stream().distinct().count()).isGreaterThan(1));
        }
    }

    @Nested
    @DisplayName("when a test fails")
    class Failure {

        @Test
        @DisplayName("attaches the tail of each server's log to the failure and the report")
        void attachesLogTails() {
            EngineExecutionResults results = run(FailingFixture.class);

            Throwable failure = failures(results).get(0);
            assertThat(failure).isInstanceOf(AssertionError.class);
            assertThat(failure.getSuppressed()).singleElement().isInstanceOf(ServerLogs.class)
                    .extracting(Throwable::getMessage).asString()
                    .startsWith("server logs at the time of the failure:\n----- nats-0 (port ")
                    .contains("Server is ready")
                    .contains("----- redis-0 (port ")
                    .contains("Ready to accept connections");
            assertThat(entries(results, "nats-harness server logs")).singleElement().asString()
                    .contains("Server is ready");
        }
    }
}
