package io.natsharness.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Redis with an ACL user and TLS")
class SecuredRedisTest {

    @RegisterExtension
    static NatsHarnessExtension harness = NatsHarnessExtension.builder()
            .withBackend(Backend.EMBEDDED)
            .withRedisAclUser("app", "app-secret", "~app:*", "+@all")
            .withRedisTls()
            .build();

    @Test
    @DisplayName("the injected client works over TLS as the ACL user, in its key space")
    void injected(RedisClient client, RedisURI uri) {
        assertThat(uri.isSsl()).isTrue();
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().set("app:greeting", "hello");
            assertThat(connection.sync().get("app:greeting")).isEqualTo("hello");
            assertThat(connection.sync().aclWhoami()).isEqualTo("app");
        }
    }

    @Test
    @DisplayName("a key outside the user's pattern is refused with NOPERM")
    void outsideKeySpace(RedisClient client) {
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThatThrownBy(() -> connection.sync().set("billing:secret", "x"))
                    .isInstanceOf(RedisCommandExecutionException.class)
                    .hasMessageStartingWith("NOPERM");
        }
    }

    @Test
    @DisplayName("a wrong password is refused")
    void wrongPassword(HarnessRuntimeInfo info, RedisClient client) {
        RedisURI wrong = info.redisUri().orElseThrow();
        wrong.setCredentialsProvider(io.lettuce.core.StaticCredentialsProvider.class.cast(
                new io.lettuce.core.StaticCredentialsProvider("app", "wrong".toCharArray())));
        RedisClient other = RedisClient.create(wrong);
        other.setOptions(client.getOptions());
        try {
            assertThatThrownBy(other::connect).isInstanceOf(RedisConnectionException.class)
                    .rootCause().hasMessageStartingWith("WRONGPASS");
        } finally {
            other.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }
}
