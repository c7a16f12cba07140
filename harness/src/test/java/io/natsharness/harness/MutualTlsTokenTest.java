package io.natsharness.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.natsharness.harness.internal.tls.PemSsl;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("NATS with mutual TLS and a token")
class MutualTlsTokenTest {

    @RegisterExtension
    static NatsHarnessExtension harness = NatsHarnessExtension.builder()
            .withBackend(Backend.EMBEDDED)
            .withoutRedis()
            .withMutualTls()
            .withNatsUsers(NatsUser.token("tok-3f9a1c07"))
            .build();

    @Test
    @DisplayName("accepts the injected client, which presents the CA's client certificate")
    void injected(Connection nats, HarnessRuntimeInfo info) throws Exception {
        nats.flush(Duration.ofSeconds(1));
        assertThat(info.implementationEnvironment()).containsKeys("NATS_CA_FILE", "NATS_CERT_FILE", "NATS_KEY_FILE")
                .containsEntry("NATS_TOKEN", "tok-3f9a1c07");
    }

    @Test
    @DisplayName("refuses a client that trusts the CA but has no certificate")
    void noClientCertificate(HarnessRuntimeInfo info) {
        Options options = new Options.Builder().server(info.natsUrl()).token("tok-3f9a1c07".toCharArray())
                .sslContext(PemSsl.context(info.caCertificate().orElseThrow(), Optional.empty(), Optional.empty()))
                .maxReconnects(0).connectionTimeout(Duration.ofSeconds(2)).errorListener(new ErrorListener() { })
                .build();

        assertThatThrownBy(() -> Nats.connect(options).close()).isInstanceOf(java.io.IOException.class);
    }

    @Test
    @DisplayName("refuses a wrong token with the server's Authorization Violation")
    void wrongToken(HarnessRuntimeInfo info) {
        Options options = info.natsOptions().token("wrong-token".toCharArray()).maxReconnects(0).build();

        assertThatThrownBy(() -> Nats.connect(options).close()).hasMessageContaining("Authorization Violation");
    }
}
