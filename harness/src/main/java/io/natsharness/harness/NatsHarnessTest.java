package io.natsharness.harness;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class one environment (NATS with JetStream, and Redis), started before the first
 * test and closed after the last; {@code @Nested} classes share it. For per-test environments,
 * security or a cluster of other shape, use {@link NatsHarnessExtension#builder()}.
 *
 * <pre>{@code
 * @NatsHarnessTest
 * class PaymentTest {
 *     @Test
 *     void charges(Connection nats, RpcClient client, HarnessRuntimeInfo info, RedisURI redis) { ... }
 * }
 *
 * @NatsHarnessTest(redis = false, backend = Backend.EMBEDDED, implementation = "reference",
 *                  services = {"payment", "quest_system"})
 * class WithServices { ... }
 * }</pre>
 *
 * <p>Parameters a test, lifecycle method or constructor can declare: {@code io.nats.client.Connection},
 * {@code JetStream}, {@code JetStreamManagement}, {@code io.natsharness.sdk.client.RpcClient},
 * {@code io.lettuce.core.RedisURI}, {@code RedisClient} (standalone), {@code RedisClusterClient}
 * (cluster), {@link HarnessRuntimeInfo} and {@link FaultSwitches}. Clients are made per test
 * method (per class in class-level callbacks) and closed after it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(NatsHarnessExtension.class)
public @interface NatsHarnessTest {

    /** Where the servers come from; {@link Backend#AUTO} follows {@code -Dnatsharness.backend}, {@code NH_BACKEND}, then detection. */
    Backend backend() default Backend.AUTO;

    /** 1 for a single NATS node, 3 for a JetStream cluster. */
    int natsNodes() default 1;

    /** Whether the environment has Redis at all. */
    boolean redis() default true;

    /** The Redis topology when {@link #redis()} is true. */
    RedisTopology redisTopology() default RedisTopology.STANDALONE;

    /** The name of an in-process implementation to start ({@code ImplementationProvider.name()}); empty = none. */
    String implementation() default "";

    /** The catalog services of that implementation to start and wait for; empty = all it offers. */
    String[] services() default {};

    /** Share one environment with every other test class of equal configuration; closed at the end of the run. */
    boolean shared() default false;
}
