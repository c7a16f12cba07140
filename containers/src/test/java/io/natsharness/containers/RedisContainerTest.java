package io.natsharness.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.lifecycle.Startables;

@DisplayName("RedisContainer: standalone, password and ACL users, TLS")
class RedisContainerTest {

    @TempDir
    static Path certificates;

    private static RedisContainer plain;
    private static RedisContainer secured;
    private static RedisContainer withTls;
    private static RedisClient client;

    @BeforeAll
    static void start() throws Exception {
        plain = new RedisContainer();
        secured = new RedisContainer().withPassword("default-secret")
                .withAclUser("app", "app-secret", "~app:* +@all -@dangerous");
        withTls = new RedisContainer().withTls(TestCertificates.write(certificates, false));
        Startables.deepStart(plain, secured, withTls).join();
        client = RedisClient.create();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
        for (RedisContainer container : new RedisContainer[] {plain, secured, withTls}) {
            if (container != null) {
                container.stop();
            }
        }
    }

    @Nested
    @DisplayName("standalone")
    class Standalone {

        @Test
        @DisplayName("answers PING through its URI")
        void ping() {
            assertThat(plain.getRedisUri()).isEqualTo("redis://localhost:" + plain.getRedisPort());
            String reply = call(RedisURI.create(plain.getRedisUri()), c -> c.sync().ping());
            assertThat(reply).isEqualTo("PONG");
        }

        @Test
        @DisplayName("stores and reads a key")
        void setAndGet() {
            String value = call(plain.redisUri(), c -> {
                c.sync().set("greeting", "hello");
                return c.sync().get("greeting");
            });
            assertThat(value).isEqualTo("hello");
        }
    }

    @Nested
    @DisplayName("with a password and an ACL user")
    class Acl {

        @Test
        @DisplayName("the URI carries the default user's password")
        void defaultUser() {
            assertThat(secured.getRedisUri())
                    .isEqualTo("redis://default:default-secret@localhost:" + secured.getRedisPort());
            String reply = call(RedisURI.create(secured.getRedisUri()), c -> c.sync().ping());
            assertThat(reply).isEqualTo("PONG");
        }

        @Test
        @DisplayName("the ACL user works on its own keys")
        void aclUser() {
            String value = call(RedisURI.create(secured.getRedisUri("app", "app-secret")), c -> {
                c.sync().set("app:counter", "1");
                return c.sync().get("app:counter");
            });
            assertThat(value).isEqualTo("1");
        }

        @Test
        @DisplayName("the ACL user is denied keys outside its pattern")
        void aclUserDenied() {
            assertThatThrownBy(() -> call(RedisURI.create(secured.getRedisUri("app", "app-secret")),
                    c -> c.sync().set("other:key", "x")))
                    .isInstanceOf(RedisCommandExecutionException.class)
                    // the text after the code changed between Redis versions (7.0 here, 7.x in the official image)
                    .hasMessageStartingWith("NOPERM ");
        }

        @Test
        @DisplayName("a wrong password is refused")
        void wrongPassword() {
            assertThatThrownBy(() -> call(RedisURI.create(secured.getRedisUri("app", "wrong")), c -> c.sync().ping()))
                    .rootCause()
                    .hasMessage("WRONGPASS invalid username-password pair or user is disabled.");
        }

        @Test
        @DisplayName("no password is refused")
        void noPassword() {
            assertThatThrownBy(() -> call(RedisURI.create("redis://localhost:" + secured.getRedisPort()),
                    c -> c.sync().ping()))
                    .rootCause()
                    .hasMessageStartingWith("NOAUTH ");
        }
    }

    @Nested
    @DisplayName("with TLS")
    class Tls {

        @Test
        @DisplayName("a client that trusts the CA gets PONG over rediss://")
        void ping() {
            assertThat(withTls.getRedisUri()).isEqualTo("rediss://localhost:" + withTls.getRedisPort());
            RedisClient tlsClient = RedisClient.create();
            tlsClient.setOptions(withTls.clientOptions());
            try (StatefulRedisConnection<String, String> connection = tlsClient.connect(withTls.redisUri())) {
                assertThat(connection.sync().ping()).isEqualTo("PONG");
            } finally {
                tlsClient.shutdown(0, 2, TimeUnit.SECONDS);
            }
        }
    }

    @Nested
    @DisplayName("builder checks")
    class Checks {

        @Test
        @DisplayName("a password with a space is refused")
        void password() {
            assertThatThrownBy(() -> new RedisContainer(LocalImages.redis()).withPassword("a b"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("the password must be 1 to 256 printable ASCII characters without spaces");
        }

        @Test
        @DisplayName("ACL rules that smuggle in a password are refused")
        void rules() {
            assertThatThrownBy(() -> new RedisContainer(LocalImages.redis()).withAclUser("app", "pw", "+@all >other"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("ACL rules must be one non-empty line without '>' (the password is given"
                            + " separately): '+@all >other'");
        }
    }

    private static <T> T call(RedisURI uri, Function<StatefulRedisConnection<String, String>, T> action) {
        try (StatefulRedisConnection<String, String> connection = client.connect(uri)) {
            return action.apply(connection);
        }
    }
}
