package io.natsharness.harness.internal.env;

import io.natsharness.harness.Backend;
import io.natsharness.harness.Implementation;
import io.natsharness.harness.RedisTopology;
import java.util.Optional;

/**
 * What a test asked for, from the annotation or the builder. A value: equal specs share an
 * environment when sharing is on (it is the key in the root store).
 *
 * @param backend        the requested backend ({@link Backend#AUTO} = decide at start)
 * @param natsNodes      1, or 3 for a JetStream cluster
 * @param redis          the Redis topology
 * @param implementation the implementation under test, if any
 * @param shared         one environment for every test class with an equal spec, closed at the end of the run
 * @param security       TLS and credentials of NATS and Redis
 */
public record EnvironmentSpec(
        Backend backend,
        int natsNodes,
        RedisTopology redis,
        Optional<Implementation> implementation,
        boolean shared,
        SecuritySpec security) {

    public EnvironmentSpec {
        if (natsNodes != 1 && natsNodes != 3) {
            throw new IllegalArgumentException("a NATS topology has 1 node or a 3-node cluster, not " + natsNodes);
        }
    }

    /** A short description for logs, e.g. "1 NATS node + Redis STANDALONE". */
    public String describe() {
        return (natsNodes == 1 ? "1 NATS node" : natsNodes + "-node NATS cluster") + " with JetStream"
                + (redis == RedisTopology.NONE ? "" : " + Redis " + redis)
                + (security.isPlain() ? "" : " (" + security.describe() + ")")
                + implementation.map(i -> " + implementation " + i).orElse("");
    }
}
