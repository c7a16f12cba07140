package io.natsharness.harness;

import java.util.List;

/**
 * The fault switches of every server in the environment: resolve it as a test parameter.
 *
 * <pre>{@code
 * @Test
 * void clientRecovers(FaultSwitches faults, Connection nats) {
 *     faults.nats().pause();
 *     faults.nats().resume();
 *     faults.nats(2).kill();     // one node of a 3-node cluster
 * }
 * }</pre>
 */
public interface FaultSwitches {

    /** Every NATS node, in order (one for a single node, three for a cluster). */
    List<ServerNode> natsNodes();

    /** Every Redis node, in order; empty when the environment has no Redis. */
    List<ServerNode> redisNodes();

    /** The first NATS node. */
    default ServerNode nats() {
        return nats(0);
    }

    /** NATS node {@code index} (0-based); a clear error when there is no such node. */
    default ServerNode nats(int index) {
        return pick(natsNodes(), index, "NATS");
    }

    /** The first Redis node; a clear error when the environment has no Redis. */
    default ServerNode redis() {
        return redis(0);
    }

    /** Redis node {@code index} (0-based); a clear error when there is no such node. */
    default ServerNode redis(int index) {
        return pick(redisNodes(), index, "Redis");
    }

    private static ServerNode pick(List<ServerNode> nodes, int index, String what) {
        if (index < 0 || index >= nodes.size()) {
            throw new IllegalArgumentException("no " + what + " node " + index + ": the environment has "
                    + nodes.size() + " " + what + " node(s), numbered from 0");
        }
        return nodes.get(index);
    }
}
