package io.natsharness.containers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.testcontainers.containers.GenericContainer;

/**
 * Publishes a container's ports on 127.0.0.1 at host ports chosen here, at random, when the engine
 * runs on this machine.
 *
 * <p>Two reasons: we start servers on loopback only, and a port chosen up front survives
 * {@code docker stop}/{@code docker start}, which is what "restart on the same ports" needs (an
 * engine-chosen port may change on restart). With a remote engine the engine chooses, as usual.
 */
final class LoopbackPorts {

    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "::1");

    private LoopbackPorts() {
    }

    static void bind(GenericContainer<?> container) {
        if (!LOCAL_HOSTS.contains(container.getHost())) {
            return;
        }
        List<String> bindings = container.getExposedPorts().stream()
                .map(port -> "127.0.0.1:" + freePort() + ":" + port)
                .collect(Collectors.toList());
        container.setPortBindings(bindings);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
