package io.natsharness.harness.internal.embedded;

import io.natsharness.harness.NatsUser;
import io.natsharness.harness.internal.env.SecuritySpec;
import io.natsharness.harness.internal.tls.SecurityMaterial;
import io.natsharness.harness.internal.tls.ThrowAwayCa;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders a nats-server configuration file. A file rather than flags because clusters, TLS and
 * users have no complete flag form, and a file keeps restarts identical.
 */
public final class NatsServerConfig {

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

    /** The {@code tls} and {@code authorization} blocks of {@code material}; empty when plain. */
    static String security(SecurityMaterial material) {
        StringBuilder conf = new StringBuilder();
        conf.append(tls(material));
        return conf.append(authorization(material)).toString();
    }

    /** The {@code tls} block with the host's PEM files. */
    static String tls(SecurityMaterial material) {
        StringBuilder conf = new StringBuilder();
        SecuritySpec spec = material.spec();
        if (spec.natsTls()) {
            ThrowAwayCa.IssuedFiles files = material.server().orElseThrow();
            conf.append("tls {\n  cert_file: ").append(quote(files.certFile().toString()))
                    .append("\n  key_file: ").append(quote(files.keyFile().toString()))
                    .append("\n  ca_file: ").append(quote(files.caFile().toString()))
                    .append(spec.mutualTls() ? "\n  verify: true" : "")
                    .append("\n  timeout: 2\n}\n");
        }
        return conf.toString();
    }

    /** The {@code authorization} block (users, nkeys, permissions, the harness's admin); empty without users. */
    public static String authorization(SecurityMaterial material) {
        StringBuilder conf = new StringBuilder();
        List<NatsUser> users = material.spec().natsUsers();
        if (users.isEmpty()) {
            return conf.toString();
        }
        if (users.get(0).kind() == NatsUser.Kind.TOKEN) {
            return conf.append("authorization {\n  token: ").append(quote(users.get(0).secret())).append("\n}\n")
                    .toString();
        }
        conf.append("authorization {\n  users: [\n");
        for (NatsUser user : users) {
            conf.append("    { ");
            if (user.kind() == NatsUser.Kind.NKEY) {
                conf.append("nkey: ").append(quote(material.nkeyPublicKey(user.name())));
            } else {
                conf.append("user: ").append(quote(user.name())).append(", password: ").append(quote(user.secret()));
            }
            if (!user.publish().isEmpty() || !user.subscribe().isEmpty()) {
                conf.append(", permissions: {");
                if (!user.publish().isEmpty()) {
                    conf.append(" publish: { allow: ").append(list(user.publish())).append(" }");
                }
                if (!user.publish().isEmpty() && !user.subscribe().isEmpty()) {
                    conf.append(",");
                }
                if (!user.subscribe().isEmpty()) {
                    conf.append(" subscribe: { allow: ").append(list(user.subscribe())).append(" }");
                }
                conf.append(" }");
            }
            conf.append(" }\n");
        }
        conf.append("    { user: ").append(quote(SecurityMaterial.ADMIN)).append(", password: ")
                .append(quote(material.adminPassword())).append(" }\n  ]\n}\n");
        return conf.toString();
    }

    private static String list(List<String> subjects) {
        return subjects.stream().map(NatsServerConfig::quote).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A quoted config string; backslashes and quotes escaped. */
    static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
