package io.natsharness.harness;

import static io.natsharness.harness.EngineRuns.failures;
import static io.natsharness.harness.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import io.natsharness.harness.fixtures.BashImages;
import io.natsharness.harness.fixtures.ExitingImageFixture;
import io.natsharness.harness.fixtures.ImageFixture;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.testcontainers.DockerClientFactory;

@DisplayName("Implementation.image(..) on the embedded backend")
class ImageImplementationTest {

    @Nested
    @DisplayName("an image that serves its service")
    class Serving {

        @Test
        @DisplayName("is started on the host network, answers $SRV.PING before the tests run, and is removed after")
        void startedAwaitedAndRemoved() {
            EngineExecutionResults results = run(ImageFixture.class);

            results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
            List<String> ids = EngineRuns.entries(results, "container");
            assertThat(ids).hasSize(1);
            assertThat(containersOf(BashImages.SERVICE_TAG, false)).as("running containers left").isEmpty();
            assertThat(docker().listContainersCmd().withShowAll(true).withIdFilter(ids).exec())
                    .as("the implementation's container, stopped or not").isEmpty();
        }
    }

    @Nested
    @DisplayName("an image whose process exits at once")
    class Exiting {

        @Test
        @DisplayName("fails the start with its output, without waiting for the start timeout, and leaves no container")
        void failsWithItsOutput() {
            EngineExecutionResults results = run(ExitingImageFixture.class);

            assertThat(failures(results)).singleElement().satisfies(failure -> {
                assertThat(failure).isInstanceOf(HarnessException.class);
                assertThat(failure).hasMessage("implementation image " + BashImages.EXITING_TAG
                        + " services=[settings] exited during start-up. Its log ends with:\n"
                        + "implementation output:\nmissing setting: DATABASE");
            });
            assertThat(containersOf(BashImages.EXITING_TAG, true)).as("containers left, stopped or not").isEmpty();
        }
    }

    private static List<Container> containersOf(String image, boolean evenStopped) {
        return docker().listContainersCmd().withShowAll(evenStopped)
                .withAncestorFilter(List.of(image))
                .withLabelFilter(ImageFixture.ownLabels())
                .exec();
    }

    private static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }
}
