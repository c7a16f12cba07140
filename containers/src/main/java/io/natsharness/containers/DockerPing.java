package io.natsharness.containers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code GET /_ping} against one Docker endpoint, bounded by a deadline.
 *
 * <p>A TLS endpoint ({@code DOCKER_TLS_VERIFY}) is only connected to: the handshake needs the
 * client certificates Testcontainers reads, and it runs right after.
 */
final class DockerPing {

    private static final byte[] REQUEST = "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private DockerPing() {
    }

    /** Null when the engine answered 200, else the reason. */
    static String ping(URI endpoint, Instant deadline) {
        String scheme = String.valueOf(endpoint.getScheme());
        try {
            switch (scheme) {
                case "unix":
                    return unix(endpoint.getPath());
                case "tcp":
                case "http":
                case "https":
                    return tcp(endpoint, deadline);
                default:
                    return null; // npipe, ssh: left to Testcontainers
            }
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private static String unix(String path) throws IOException {
        // Blocking; the caller's deadline interrupts this thread, which closes the channel.
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(path));
            channel.write(ByteBuffer.wrap(REQUEST));
            return statusProblem(Channels.newInputStream(channel));
        }
    }

    private static String tcp(URI endpoint, Instant deadline) throws IOException {
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : 2375;
        int timeout = (int) Math.max(1, Duration.between(Instant.now(), deadline).toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.getHost(), port), timeout);
            if ("1".equals(System.getenv("DOCKER_TLS_VERIFY")) || "https".equals(endpoint.getScheme())) {
                return null;
            }
            // Longer than the caller's deadline, which decides; this only frees the thread afterwards.
            socket.setSoTimeout(timeout + 2000);
            OutputStream out = socket.getOutputStream();
            out.write(REQUEST);
            out.flush();
            return statusProblem(socket.getInputStream());
        }
    }

    private static String statusProblem(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n' && line.length() < 200) {
            line.append((char) c);
        }
        String status = line.toString().trim();
        if (status.startsWith("HTTP/1.") && status.contains(" 200")) {
            return null;
        }
        return status.isEmpty() ? "the connection closed without an answer" : "unexpected answer '" + status + "'";
    }
}
