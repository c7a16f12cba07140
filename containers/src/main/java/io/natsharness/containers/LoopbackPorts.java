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

    /**
     * A port free on 127.0.0.1 now, from below Linux's ephemeral range (32768-60999): the kernel
     * hands ephemeral ports to every outgoing connection, so one of those may be taken again
     * between our check and Docker's bind, which on a busy machine happens ("port is already
     * allocated"). Falls back to an ephemeral port when the lower range seems full.
     */
    static int freePort() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 64; attempt++) {
            int candidate = random.nextInt(20000, 32000);
            try (ServerSocket socket = new ServerSocket(candidate, 0, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
