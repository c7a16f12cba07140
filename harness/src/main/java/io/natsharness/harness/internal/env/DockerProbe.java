package io.natsharness.harness.internal.env;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks the Docker engine's {@code /_ping} whether it answers, within a couple of seconds; never
 * a minutes-long retry. Used by backend detection, where asking Testcontainers would first
 * initialise its whole client strategy.
 */
public final class DockerProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private DockerProbe() {
    }

    /** True when a Docker engine at {@code DOCKER_HOST} (or the default socket) answers {@code OK}. */
    public static boolean answers() {
        CompletableFuture<Boolean> ping = CompletableFuture.supplyAsync(DockerProbe::ping);
        try {
            return ping.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            ping.cancel(true);
            return false;
        }
    }

    private static boolean ping() {
        String host = System.getenv("DOCKER_HOST");
        try (SocketChannel channel = open(host == null || host.isBlank() ? "unix:///var/run/docker.sock" : host)) {
            if (channel == null) {
                return false;
            }
            channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocate(512);
            StringBuilder answer = new StringBuilder();
            while (channel.read(buffer) > 0 && answer.length() < 4096) {
                buffer.flip();
                answer.append(StandardCharsets.US_ASCII.decode(buffer));
                buffer.clear();
            }
            return answer.toString().startsWith("HTTP/1.") && answer.toString().contains(" 200 ");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static SocketChannel open(String dockerHost) throws IOException {
        URI uri = URI.create(dockerHost);
        if ("unix".equals(uri.getScheme())) {
            Path socket = Path.of(uri.getPath());
            if (!Files.exists(socket)) {
                return null;
            }
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return channel;
        }
        if ("tcp".equals(uri.getScheme())) {
            return SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
        }
        return null;
    }
}
