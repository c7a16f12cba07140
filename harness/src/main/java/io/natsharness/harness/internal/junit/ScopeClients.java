package io.natsharness.harness.internal.junit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.natsharness.harness.HarnessException;
import io.natsharness.harness.internal.Environment;
import io.natsharness.sdk.client.RpcClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients handed to one scope (a test method, or a class in class-level callbacks), made on
 * first request and closed with the scope's store. Tests may close them themselves; closing twice
 * is harmless.
 */
final class ScopeClients implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScopeClients.class);

    private final Environment environment;
    private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
    private Connection connection;
    private RpcClient rpcClient;
    private RedisClient redisClient;
    private RedisClusterClient redisClusterClient;

    ScopeClients(Environment environment) {
        this.environment = environment;
    }

    synchronized Connection connection() {
        if (connection == null) {
            try {
                connection = Nats.connect(environment.info().natsOptions().build());
            } catch (IOException e) {
                throw new HarnessException("could not connect to NATS at " + environment.info().natsUrls() + ": "
                        + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HarnessException("interrupted while connecting to NATS", e);
            }
            toClose.push(connection::close);
        }
        return connection;
    }

    JetStream jetStream() {
        try {
            return connection().jetStream();
        } catch (IOException e) {
            throw new HarnessException("JetStream is not available: " + e.getMessage(), e);
        }
    }

    JetStreamManagement jetStreamManagement() {
        try {
            return connection().jetStreamManagement();
        } catch (IOException e) {
            throw new HarnessException("JetStream is not available: " + e.getMessage(), e);
        }
    }

    synchronized RpcClient rpcClient() {
        if (rpcClient == null) {
            rpcClient = RpcClient.builder().connection(connection()).build();
            toClose.push(rpcClient);
        }
        return rpcClient;
    }

    synchronized RedisClient redisClient() {
        if (redisClient == null) {
            RedisURI uri = environment.info().redisUri().orElseThrow();
            redisClient = RedisClient.create(environment.redisResources(), uri);
            environment.info().redis().ifPresent(access -> redisClient.setOptions(access.clientOptions()));
            RedisClient client = redisClient;
            toClose.push(() -> client.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
        }
        return redisClient;
    }

    synchronized RedisClusterClient redisClusterClient() {
        if (redisClusterClient == null) {
            redisClusterClient = RedisClusterClient.create(environment.redisResources(),
                    environment.info().redisUris());
            environment.info().redis().ifPresent(access ->
                    redisClusterClient.setOptions(access.clusterClientOptions()));
            RedisClusterClient client = redisClusterClient;
            toClose.push(() -> client.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
        }
        return redisClusterClient;
    }

    @Override
    public synchronized void close() {
        while (!toClose.isEmpty()) {
            try {
                toClose.pop().close();
            } catch (Exception e) {
                LOG.debug("closing a test client failed", e);
            }
        }
    }
}
