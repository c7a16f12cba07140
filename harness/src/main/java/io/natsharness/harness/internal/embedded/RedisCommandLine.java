package io.natsharness.harness.internal.embedded;

import io.natsharness.harness.RedisTopology;
import io.natsharness.harness.internal.env.SecuritySpec;
import io.natsharness.harness.internal.tls.SecurityMaterial;
import io.natsharness.harness.internal.tls.ThrowAwayCa;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The redis-server command line of one node: port, store, cluster mode, passwords, ACL user, TLS. */
final class RedisCommandLine {

    private RedisCommandLine() {
    }

    static List<String> of(Path bin, int port, Path dir, RedisTopology topology, SecurityMaterial material) {
        SecuritySpec spec = material.spec();
        List<String> command = new ArrayList<>(List.of(bin.toString(), "--bind", "127.0.0.1",
                // the embedded-redis binary runs in its own folder: always say where to write
                "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--daemonize", "no"));
        if (spec.redisTls()) {
            ThrowAwayCa.IssuedFiles files = material.server().orElseThrow();
            command.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
                    "--tls-cert-file", files.certFile().toString(), "--tls-key-file", files.keyFile().toString(),
                    "--tls-ca-cert-file", files.caFile().toString(), "--tls-auth-clients", "no"));
            if (topology == RedisTopology.CLUSTER) {
                command.addAll(List.of("--tls-cluster", "yes", "--tls-replication", "yes"));
            }
        } else {
            command.addAll(List.of("--port", Integer.toString(port)));
        }
        if (topology == RedisTopology.CLUSTER) {
            command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "2000"));
        }
        if (material.redisNeedsPassword()) {
            // the default user keeps a password the harness knows: readiness and cluster set-up use it
            command.addAll(List.of("--requirepass", material.redisAdminPassword()));
            if (topology == RedisTopology.CLUSTER) {
                command.addAll(List.of("--masterauth", material.redisAdminPassword()));
            }
        }
        spec.redisUser().ifPresent(user -> {
            command.addAll(List.of("--user", user.name(), "on", ">" + user.password()));
            command.addAll(user.rules());
        });
        return command;
    }
}
