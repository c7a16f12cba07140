package io.natsharness.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.lifecycle.Startables;

@DisplayName("NatsContainer security: user/password, TLS, mutual TLS")
class NatsSecurityTest {

    private static final String USERS = """
            authorization {
              users = [
                { user: alice, password: "alice-secret" }
              ]
            }
            """;

    @TempDir
    static Path certificates;

    private static NatsContainer withPassword;
    private static NatsContainer withTls;
    private static NatsContainer withMutualTls;
    private static TlsMaterial tls;
    private static TlsMaterial mutual;

    @BeforeAll
    static void start() throws Exception {
        tls = TestCertificates.write(certificates, false);
        mutual = TestCertificates.write(certificates, true);
        withPassword = new NatsContainer().withJetStream().withConfig(USERS)
                .withClientCredentials("alice", "alice-secret");
        withTls = new NatsContainer().withJetStream().withTls(tls);
        withMutualTls = new NatsContainer().withTls(mutual);
        Startables.deepStart(withPassword, withTls, withMutualTls).join();
    }

    @AfterAll
    static void stop() {
        for (NatsContainer container : new NatsContainer[] {withPassword, withTls, withMutualTls}) {
            if (container != null) {
                container.stop();
            }
        }
    }

    @Nested
    @DisplayName("user and password from the configuration file")
    class Password {

        @Test
        @DisplayName("the configured user exchanges messages")
        void rightPassword() throws Exception {
            try (Connection connection = Nats.connect(withPassword.clientOptions().build())) {
                assertThat(roundTrip(connection)).isEqualTo("ping");
            }
        }

        @Test
        @DisplayName("a wrong password is refused with 'Authorization Violation'")
        void wrongPassword() {
            List<String> serverErrors = new CopyOnWriteArrayList<>();
            Options options = Options.builder().server(withPassword.getNatsUrl()).userInfo("alice", "wrong")
                    .noReconnect().errorListener(recording(serverErrors)).build();

            assertThatThrownBy(() -> Nats.connect(options))
                    .hasMessage("Authentication error connecting to NATS server: Authorization Violation");
            assertThat(serverErrors).contains("Authorization Violation");
        }
    }

    @Nested
    @DisplayName("TLS with a throw-away CA")
    class Tls {

        @Test
        @DisplayName("hands out a tls:// URL")
        void url() {
            assertThat(withTls.getNatsUrl()).isEqualTo("tls://localhost:" + withTls.getClientPort());
        }

        @Test
        @DisplayName("a client that trusts the CA publishes to JetStream")
        void trustedClient() throws Exception {
            try (Connection connection = Nats.connect(withTls.clientOptions().build())) {
                assertThat(roundTrip(connection)).isEqualTo("ping");
                assertThat(connection.jetStreamManagement().getAccountStatistics().getStreams()).isZero();
            }
        }

        @Test
        @DisplayName("a plaintext client is refused")
        void plaintextClient() {
            List<String> problems = new CopyOnWriteArrayList<>();
            Options options = Options.builder().server("nats://localhost:" + withTls.getClientPort())
                    .noReconnect().errorListener(recording(problems)).build();

            assertThatThrownBy(() -> Nats.connect(options))
                    .hasMessage("Unable to connect to NATS servers: [nats://localhost:" + withTls.getClientPort() + "]");
            assertThat(problems).containsExactly("IOException: SSL required by server.");
        }
    }

    @Nested
    @DisplayName("mutual TLS")
    class MutualTls {

        @Test
        @DisplayName("a client with a certificate from the CA is let in")
        void clientWithCertificate() throws Exception {
            try (Connection connection = Nats.connect(withMutualTls.clientOptions().build())) {
                assertThat(roundTrip(connection)).isEqualTo("ping");
            }
        }

        @Test
        @DisplayName("a client without a certificate is refused by the server")
        void clientWithoutCertificate() {
            List<String> problems = new CopyOnWriteArrayList<>();
            Options options = Options.builder().server(withMutualTls.getNatsUrl())
                    .sslContext(tls.clientSslContext())
                    .connectionTimeout(Duration.ofSeconds(2))
                    .noReconnect().errorListener(recording(problems)).build();

            assertThatThrownBy(() -> Nats.connect(options))
                    .hasMessage("Unable to connect to NATS servers: [" + withMutualTls.getNatsUrl() + "]");
            // Under TLS 1.3 the refusal comes after the client's side of the handshake, so the client
            // only sees a timeout; the server says why.
            assertThat(withMutualTls.getLogs()).contains("TLS handshake error")
                    .contains("client didn't provide a certificate");
        }
    }

    private static String roundTrip(Connection connection) throws Exception {
        Subscription subscription = connection.subscribe("secure.echo");
        connection.flush(Duration.ofSeconds(2));
        connection.publish("secure.echo", "ping".getBytes(StandardCharsets.UTF_8));
        Message message = subscription.nextMessage(Duration.ofSeconds(5));
        return message == null ? "<nothing>" : new String(message.getData(), StandardCharsets.UTF_8);
    }

    private static ErrorListener recording(List<String> serverErrors) {
        return new ErrorListener() {
            @Override
            public void errorOccurred(Connection connection, String error) {
                serverErrors.add(error);
            }

            @Override
            public void exceptionOccurred(Connection connection, Exception exception) {
                Throwable root = exception;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                serverErrors.add(root.getClass().getSimpleName() + ": " + root.getMessage());
            }
        };
    }
}
