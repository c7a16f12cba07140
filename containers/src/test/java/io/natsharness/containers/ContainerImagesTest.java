package io.natsharness.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

@DisplayName("ContainerImages and LocalImages")
class ContainerImagesTest {

    /** A registry on a closed port: the pull fails at once, on any machine. */
    private static final String UNPULLABLE = "localhost:1/natsharness/never:1";

    @Nested
    @DisplayName("resolving an image name")
    class Resolve {

        @Test
        @DisplayName("an image that cannot be pulled falls back to the image built from the host's binary")
        void fallsBackToLocalBuild() {
            AtomicInteger fallbacks = new AtomicInteger();
            DockerImageName image = ContainerImages.resolve(UNPULLABLE, () -> {
                fallbacks.incrementAndGet();
                return LocalImages.nats();
            });

            assertThat(image.asCanonicalNameString()).matches("localhost/natsharness/nats-server:\\d+\\.\\d+\\.\\d+-local");
            assertThat(fallbacks).hasValue(1);
            assertThat(ContainerImages.isPresent(image)).isTrue();
        }

        @Test
        @DisplayName("an image already in the engine is used as it is, without the fallback")
        void presentImageIsUsed() {
            DockerImageName local = LocalImages.nats();

            DockerImageName image = ContainerImages.resolve(local.asCanonicalNameString(), () -> {
                throw new AssertionError("the fallback must not be called");
            });

            assertThat(image).isEqualTo(local);
        }

        @Test
        @DisplayName("'local' asks for the local build directly")
        void localKeyword() {
            assertThat(ContainerImages.resolve("LOCAL", LocalImages::nats)).isEqualTo(LocalImages.nats());
        }

        @Test
        @DisplayName("the system property overrides the default name")
        void systemProperty() {
            String before = System.getProperty(ContainerImages.REDIS_IMAGE_PROPERTY);
            System.setProperty(ContainerImages.REDIS_IMAGE_PROPERTY, UNPULLABLE + "-redis");
            try {
                assertThat(ContainerImages.redis()).isEqualTo(LocalImages.redis());
            } finally {
                if (before == null) {
                    System.clearProperty(ContainerImages.REDIS_IMAGE_PROPERTY);
                } else {
                    System.setProperty(ContainerImages.REDIS_IMAGE_PROPERTY, before);
                }
            }
        }

        @Test
        @DisplayName("a malformed name is refused with the name in the message")
        void malformed() {
            assertThatThrownBy(() -> ContainerImages.resolve("Not An Image", LocalImages::nats))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not a valid image name: 'Not An Image'");
        }
    }

    @Nested
    @DisplayName("local images")
    class Local {

        @Test
        @DisplayName("are built once: a second request reuses the same image")
        void builtOnce() {
            DockerImageName first = LocalImages.redis();
            String id = DockerClientFactory.instance().client().inspectImageCmd(first.asCanonicalNameString()).exec().getId();

            DockerImageName second = LocalImages.redis();

            assertThat(second).isEqualTo(first);
            assertThat(DockerClientFactory.instance().client().inspectImageCmd(second.asCanonicalNameString()).exec()
                    .getId()).isEqualTo(id);
        }

        @Test
        @DisplayName("carry the fingerprint of the files they were made from")
        void fingerprint() {
            DockerImageName image = LocalImages.nats();
            assertThat(DockerClientFactory.instance().client().inspectImageCmd(image.asCanonicalNameString()).exec()
                    .getConfig().getLabels()).containsKey(LocalImage.FINGERPRINT_LABEL);
        }

        @Test
        @DisplayName("need an executable")
        void needExecutable() {
            assertThatThrownBy(() -> LocalImage.builder().withRepository("localhost/x").withTag("1").build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("a local image needs an executable: call withExecutable(..)");
        }

        @Test
        @DisplayName("refuse a file that is not executable")
        void notExecutable(@TempDir Path folder) throws Exception {
            Path plain = Files.writeString(folder.resolve("plain.txt"), "not a program");
            assertThatThrownBy(() -> LocalImage.builder().withExecutable(plain, "/x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not an executable file: " + plain);
        }

        @Test
        @DisplayName("refuse an upper-case repository")
        void repository() {
            assertThatThrownBy(() -> LocalImage.builder().withRepository("localhost/Nats"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not a valid image repository: 'localhost/Nats'");
        }

        @Test
        @DisplayName("refuse a relative path in the image")
        void relativePath() {
            assertThatThrownBy(() -> LocalImage.builder().withWorkdir("data"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not an absolute path without spaces or '..': 'data'");
        }
    }
}
