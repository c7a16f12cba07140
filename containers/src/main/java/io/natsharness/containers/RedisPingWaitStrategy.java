package io.natsharness.containers;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * Ready when a Lettuce client gets PONG from the {@link RedisContainer}, as the default user. A
 * server that answers NOAUTH (credentials demanded, none known) is up, so that counts too.
 */
final class RedisPingWaitStrategy extends AbstractWaitStrategy {

    private static final long PAUSE_MILLIS = 100;

    @Override
    protected void waitUntilReady() {
        if (!(waitStrategyTarget instanceof RedisContainer)) {
            throw new IllegalStateException("the Redis PING check only works on a RedisContainer");
        }
        RedisContainer redis = (RedisContainer) waitStrategyTarget;
        Instant deadline = Instant.now().plus(startupTimeout);
        RedisClient client = RedisClient.create();
        client.setOptions(redis.clientOptions());
        try {
            while (true) {
                String problem = attempt(client, redis);
                if (problem == null) {
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new ContainerLaunchException("Redis at " + redis.getHost() + ":" + redis.getRedisPort()
                            + " did not answer PING within " + startupTimeout.toSeconds() + "s: " + problem);
                }
                if (!redis.isRunning()) {
                    throw new ContainerLaunchException(StartupLog.EXITED + " before it was ready (" + problem + ")");
                }
                Thread.sleep(PAUSE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerLaunchException("interrupted while waiting for Redis", e);
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    private static String attempt(RedisClient client, RedisContainer redis) {
        var uri = redis.redisUri();
        uri.setTimeout(Duration.ofSeconds(2));
        try (StatefulRedisConnection<String, String> connection = client.connect(uri)) {
            String reply = connection.sync().ping();
            return "PONG".equals(reply) ? null : "PING answered " + reply;
        } catch (RuntimeException e) {
            String message = deepest(e);
            return message.startsWith("NOAUTH") ? null : message;
        }
    }

    private static String deepest(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }
}
