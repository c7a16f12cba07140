package io.natsharness.harness.internal.embedded;

import io.natsharness.harness.HarnessException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Random free ports on 127.0.0.1, asked of the kernel (port 0), never guessed. */
final class FreePorts {

    private FreePorts() {
    }

    /**
     * {@code count} distinct free ports. All sockets are held open until every port is known, so
     * the kernel cannot hand the same port out twice within one call (cluster ports).
     */
    static List<Integer> reserve(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, loopback);
                socket.setReuseAddress(true);
                sockets.add(socket);
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new HarnessException("could not find " + count + " free ports on 127.0.0.1: " + e.getMessage(), e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // the port is free again either way
                }
            }
        }
    }
}
