package io.natsharness.harness;

/**
 * Which Redis the environment gets.
 *
 * <pre>{@code
 * NatsHarnessExtension.builder().withRedis(RedisTopology.CLUSTER).build();
 * }</pre>
 */
public enum RedisTopology {
    /** No Redis at all. */
    NONE,
    /** One Redis server. */
    STANDALONE,
    /** A Redis Cluster of three masters (no replicas), all 16384 slots covered. */
    CLUSTER
}
