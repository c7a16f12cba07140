package io.natsharness.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("NATS with TLS and users")
class SecuredNatsTest {

    @RegisterExtension
    static NatsHarnessExtension harness = NatsHarnessExtension.builder()
            .withBackend(Backend.EMBEDDED)
            .withoutRedis()
            .withTls()
            .withNatsUsers(
                    NatsUser.password("app", "app-secret"),
                    NatsUser.password("reader", "reader-secret")
                            .allowPublish("orders.get", "_INBOX.>").allowSubscribe("_INBOX.>", "orders.>"),
                    NatsUser.nkey("robot"))
            .build();

    @Nested
    @DisplayName("accepts")
    class Accepts {

        @Test
        @DisplayName("the injected client: first user, over TLS, with JetStream")
        void injectedClient(Connection nats, JetStreamManagement jsm, HarnessRuntimeInfo info) throws Exception {
            assertThat(info.natsUrl()).startsWith("tls://127.0.0.1:");
            assertThat(nats.getServerInfo().isTLSRequired()).isTrue();
            assertThat(jsm.getAccountStatistics()).isNotNull();
            assertThat(info.caCertificate()).hasValueSatisfying(ca -> assertThat(ca).isRegularFile());
        }

        @Test
        @DisplayName("an nkey user signing the server's nonce")
        void nkeyUser(HarnessRuntimeInfo info) throws Exception {
            try (Connection robot = Nats.connect(info.natsOptions("robot").build())) {
                robot.flush(Duration.ofSeconds(2));
                assertThat(robot.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            }
        }

        @Test
        @DisplayName("a restricted user on its allowed subjects")
        void allowedSubject(HarnessRuntimeInfo info, Connection app) throws Exception {
            app.createDispatcher(msg -> app.publish(msg.getReplyTo(), "order-1".getBytes())).subscribe("orders.get");
            app.flush(Duration.ofSeconds(1));
            try (Connection reader = Nats.connect(info.natsOptions("reader").build())) {
                assertThat(new String(reader.request("orders.get", new byte[0], Duration.ofSeconds(2)).getData()))
                        .isEqualTo("order-1");
            }
        }
    }

    @Nested
    @DisplayName("refuses")
    class Refuses {

        @Test
        @DisplayName("a wrong password with the server's Authorization Violation")
        void wrongPassword(HarnessRuntimeInfo info) {
            Options options = info.natsOptions().userInfo("app", "wrong").maxReconnects(0).build();

            assertThatThrownBy(() -> Nats.connect(options).close())
                    .hasMessageContaining("Authorization Violation");
        }

        @Test
        @DisplayName("a plaintext client against the TLS server")
        void plaintextClient(HarnessRuntimeInfo info) {
            Options options = new Options.Builder().server(info.natsUrl().replace("tls://", "nats://"))
                    .userInfo("app", "app-secret").maxReconnects(0).connectionTimeout(Duration.ofSeconds(2))
                    .errorListener(new ErrorListener() { }).build();

            assertThatThrownBy(() -> Nats.connect(options).close()).isInstanceOf(java.io.IOException.class);
        }

        @Test
        @DisplayName("a publish to a denied subject with the server's Permissions Violation")
        void deniedSubject(HarnessRuntimeInfo info) throws Exception {
            List<String> errors = new CopyOnWriteArrayList<>();
            Options options = info.natsOptions("reader").errorListener(new ErrorListener() {
                @Override
                public void errorOccurred(Connection conn, String error) {
                    errors.add(error);
                }
            }).build();
            try (Connection reader = Nats.connect(options)) {
                reader.publish("payments.charge", "x".getBytes());
                reader.flush(Duration.ofSeconds(1));
                await().atMost(Duration.ofSeconds(5)).until(() -> !errors.isEmpty());
            }
            assertThat(errors).first().asString()
                    .isEqualToIgnoringCase("Permissions Violation for Publish to \"payments.charge\"");
        }

        @Test
        @DisplayName("an unknown user name, listing the users there are")
        void unknownUser(HarnessRuntimeInfo info) {
            assertThatThrownBy(() -> info.natsOptions("mallory")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("no NATS user 'mallory' in this environment; its users are [app, reader, robot]");
        }
    }
}
