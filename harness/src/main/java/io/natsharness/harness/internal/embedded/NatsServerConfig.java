package io.natsharness.harness.internal.embedded;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders a nats-server configuration file. A file rather than flags because clusters, TLS and
 * users have no complete flag form, and a file keeps restarts identical.
 */
final class NatsServerConfig {

    private NatsServerConfig() {
    }

    /**
     * @param serverName   unique per node (JetStream clusters need it)
     * @param clientPort   client port on 127.0.0.1
     * @param storeDir     the JetStream store, kept across restarts
     * @param clusterName  the cluster's name, or null for a single node
     * @param clusterPort  this node's route port (ignored without a cluster)
     * @param routePorts   every node's route port (ignored without a cluster)
     * @param extra        further top-level blocks (TLS, authorization), rendered by the caller
     */
    static String render(String serverName, int clientPort, Path storeDir, String clusterName, int clusterPort,
                         List<Integer> routePorts, String extra) {
        StringBuilder conf = new StringBuilder()
                .append("server_name: ").append(quote(serverName)).append('\n')
                .append("listen: \"127.0.0.1:").append(clientPort).append("\"\n")
                .append("logtime: true\n")
                .append("jetstream {\n  store_dir: ").append(quote(storeDir.toString())).append('\n')
                // small limits: many test environments share one small machine
                .append("  max_memory_store: 256MB\n  max_file_store: 1GB\n}\n");
        if (clusterName != null) {
            conf.append("cluster {\n  name: ").append(quote(clusterName)).append('\n')
                    .append("  listen: \"127.0.0.1:").append(clusterPort).append("\"\n")
                    .append("  routes: [\n")
                    .append(routePorts.stream().filter(p -> p != clusterPort)
                            .map(p -> "    \"nats-route://127.0.0.1:" + p + "\"")
                            .collect(Collectors.joining("\n")))
                    .append("\n  ]\n}\n");
        }
        if (extra != null && !extra.isBlank()) {
            conf.append(extra).append('\n');
        }
        return conf.toString();
    }

    /** A quoted config string; backslashes and quotes escaped. */
    static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
