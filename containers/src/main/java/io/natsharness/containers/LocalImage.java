package io.natsharness.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * An image built {@code FROM scratch} out of a binary of this machine and every library {@code ldd}
 * lists for it: what runs where no registry can be reached.
 *
 * <p>The image is built once and reused: it carries a fingerprint of the files it was made from
 * (paths, sizes, modification times), and {@link #ensureBuilt()} builds again only when that changes.
 * A scratch image has no shell, so there is no {@code RUN}; {@code WORKDIR} makes the writable
 * folders ({@code /tmp} always, plus the working directory).
 *
 * <pre>{@code
 * DockerImageName bash = LocalImage.builder()
 *         .withRepository("localhost/natsharness/bash")
 *         .withTag("5.2-local")
 *         .withExecutable(Path.of("/bin/bash"), "/bin/bash")
 *         .build()
 *         .ensureBuilt();
 * }</pre>
 */
public final class LocalImage {

    /** The image label holding the fingerprint of the files it was built from. */
    public static final String FINGERPRINT_LABEL = "io.natsharness.fingerprint";

    private static final Logger LOG = LoggerFactory.getLogger(LocalImage.class);
    /** Part of the fingerprint: bump it when the way images are built changes. */
    private static final String RECIPE = "scratch-v2";
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private final DockerImageName imageName;
    private final Path executable;
    private final String executableInImage;
    private final Map<String, Path> files;
    private final String workdir;

    private LocalImage(Builder builder) {
        this.imageName = DockerImageName.parse(builder.repository).withTag(builder.tag);
        this.executable = builder.executable;
        this.executableInImage = builder.executableInImage;
        this.files = Map.copyOf(builder.files);
        this.workdir = builder.workdir;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The name the image has (or will have) in the local engine. */
    public DockerImageName imageName() {
        return imageName;
    }

    /**
     * Builds the image unless one with the same fingerprint is already there.
     *
     * @return the image's name
     * @throws IllegalStateException when the build fails, with the engine's reason
     */
    public DockerImageName ensureBuilt() {
        // One build at a time in this JVM; two JVMs building the same tag both end with a good image.
        synchronized (LocalImage.class) {
            Map<String, Path> content = content();
            String fingerprint = fingerprint(content);
            DockerClient docker = DockerClientFactory.instance().client();
            if (existingFingerprint(docker).filter(fingerprint::equals).isPresent()) {
                return imageName;
            }
            build(content, fingerprint);
            return imageName;
        }
    }

    private Map<String, Path> content() {
        Map<String, Path> content = new LinkedHashMap<>();
        content.put(executableInImage, executable);
        for (Path library : HostBinaries.sharedLibraries(executable)) {
            content.put(library.toString(), library);
        }
        content.putAll(files);
        return content;
    }

    private Optional<String> existingFingerprint(DockerClient docker) {
        try {
            InspectImageResponse image = docker.inspectImageCmd(imageName.asCanonicalNameString()).exec();
            return Optional.ofNullable(image.getConfig())
                    .map(config -> config.getLabels())
                    .map(labels -> labels.get(FINGERPRINT_LABEL));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    private void build(Map<String, Path> content, String fingerprint) {
        Instant start = Instant.now();
        String name = imageName.asCanonicalNameString();
        ImageFromDockerfile image = new ImageFromDockerfile(name, false);
        content.forEach((inImage, onHost) -> image.withFileFromTransferable(
                "rootfs" + inImage, MountableFile.forHostPath(realPath(onHost))));
        image.withDockerfileFromBuilder(dockerfile -> dockerfile
                .from("scratch")
                .copy("rootfs/", "/")
                .workDir("/tmp")
                .workDir(workdir)
                .label(FINGERPRINT_LABEL, fingerprint)
                .label(ContainerLabels.MARKER, "true")
                // An array: one string would make a shell-form entrypoint, and scratch has no shell.
                .entryPoint(new String[] {executableInImage})
                .build());
        try {
            image.get();
        } catch (Exception e) {
            throw new IllegalStateException("could not build the local image " + name + " from " + executable
                    + ": " + rootMessage(e), e);
        }
        LOG.info("Built {} FROM scratch out of {} and {} other files in {} ms", name, executable,
                content.size() - 1, Duration.between(start, Instant.now()).toMillis());
    }

    private String fingerprint(Map<String, Path> content) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((RECIPE + "|workdir=" + workdir + "|entrypoint=" + executableInImage + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, Path> entry : content.entrySet()) {
                Path real = realPath(entry.getValue());
                String line = entry.getKey() + "|" + real + "|" + Files.size(real) + "|"
                        + Files.getLastModifiedTime(real).toMillis() + "\n";
                digest.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("could not resolve " + path, e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return Objects.requireNonNullElse(root.getMessage(), root.getClass().getSimpleName());
    }

    /** Builds a {@link LocalImage}: repository, tag and executable are required. */
    public static final class Builder {

        private String repository;
        private String tag;
        private Path executable;
        private String executableInImage;
        private final Map<String, Path> files = new LinkedHashMap<>();
        private String workdir = "/data";

        private Builder() {
        }

        /** E.g. {@code localhost/natsharness/nats-server}: a registry-qualified name no substitutor rewrites. */
        public Builder withRepository(String repository) {
            Objects.requireNonNull(repository, "repository");
            try {
                DockerImageName.parse(repository).assertValid();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not a valid image repository: '" + repository + "'", e);
            }
            this.repository = repository;
            return this;
        }

        public Builder withTag(String tag) {
            if (tag == null || !TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("not a valid image tag: '" + tag + "'");
            }
            this.tag = tag;
            return this;
        }

        /**
         * The program the image runs (its entrypoint), copied to {@code pathInImage}; its libraries
         * follow it. Give the host path by the name it is called by: redis picks its mode from it.
         */
        public Builder withExecutable(Path hostPath, String pathInImage) {
            Objects.requireNonNull(hostPath, "hostPath");
            if (!Files.isRegularFile(hostPath) || !Files.isExecutable(hostPath)) {
                throw new IllegalArgumentException("not an executable file: " + hostPath);
            }
            this.executable = hostPath;
            this.executableInImage = absolute(pathInImage);
            return this;
        }

        /** An extra file, copied as it is. */
        public Builder withFile(Path hostPath, String pathInImage) {
            Objects.requireNonNull(hostPath, "hostPath");
            if (!Files.isRegularFile(hostPath)) {
                throw new IllegalArgumentException("not a file: " + hostPath);
            }
            files.put(absolute(pathInImage), hostPath);
            return this;
        }

        /** The working directory, created writable; {@code /data} unless set. */
        public Builder withWorkdir(String workdir) {
            this.workdir = absolute(workdir);
            return this;
        }

        public LocalImage build() {
            if (repository == null) {
                throw new IllegalStateException("a local image needs a repository: call withRepository(..)");
            }
            if (tag == null) {
                throw new IllegalStateException("a local image needs a tag: call withTag(..)");
            }
            if (executable == null) {
                throw new IllegalStateException("a local image needs an executable: call withExecutable(..)");
            }
            return new LocalImage(this);
        }

        private static String absolute(String pathInImage) {
            if (pathInImage == null || !pathInImage.startsWith("/") || pathInImage.contains("..")
                    || pathInImage.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("not an absolute path without spaces or '..': '"
                        + pathInImage + "'");
            }
            return pathInImage;
        }
    }
}
