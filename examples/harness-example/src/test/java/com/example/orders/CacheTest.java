package com.example.orders;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessExtension;
import io.natsharness.harness.RedisTopology;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("A cache on Redis, with the builder")
class CacheTest {

    @RegisterExtension
    static NatsHarnessExtension harness = NatsHarnessExtension.builder()
            .withRedis(RedisTopology.STANDALONE)
            .build();

    @Test
    @DisplayName("each test writes under its own key prefix")
    void isolated(RedisClient redis, HarnessRuntimeInfo info) {
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            connection.sync().set(info.keyPrefix() + "greeting", "hello");
            assertThat(connection.sync().get(info.keyPrefix() + "greeting")).isEqualTo("hello");
            assertThat(info.keyPrefix()).startsWith("nh-");
        }
    }
}
