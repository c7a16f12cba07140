package io.natsharness.containers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds a server binary on this machine, its version and the shared libraries it loads. */
final class HostBinaries {

    private static final Pattern VERSION = Pattern.compile("(\\d+\\.\\d+(?:\\.\\d+)?)");
    /** "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)". */
    private static final Pattern LDD_PATH = Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x[0-9a-fA-F]+\\)");
    private static final long COMMAND_TIMEOUT_SECONDS = 20;

    private HostBinaries() {
    }

    /** The binary named by the environment variable if set, else the first executable on PATH. */
    static Optional<Path> find(String envVariable, String name) {
        String configured = System.getenv(envVariable);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured.trim());
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin");
        List<String> folders = new ArrayList<>(List.of(pathVariable.split(":")));
        // Debian installs nats-server into /usr/sbin, which is not on every user's PATH.
        folders.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin"));
        for (String folder : folders) {
            if (folder.isBlank()) {
                continue;
            }
            Path candidate = Path.of(folder, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The first dotted version number the binary prints for {@code --version}. */
    static String version(Path binary) {
        String output = run(List.of(binary.toString(), "--version"));
        Matcher matcher = VERSION.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException(binary + " --version printed no version number: " + output.trim());
        }
        return matcher.group(1);
    }

    /** Every library {@code ldd} lists with a path (the loader included); empty for a static binary. */
    static List<Path> sharedLibraries(Path binary) {
        String output = run(List.of("ldd", binary.toString()));
        Set<Path> libraries = new LinkedHashSet<>();
        for (String line : output.split("\n")) {
            Matcher matcher = LDD_PATH.matcher(line.trim());
            if (matcher.find()) {
                libraries.add(Path.of(matcher.group(1)));
            }
        }
        return List.copyOf(libraries);
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output;
            try (InputStream in = process.getInputStream()) {
                output = in.readAllBytes();
            }
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                        + COMMAND_TIMEOUT_SECONDS + "s");
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
