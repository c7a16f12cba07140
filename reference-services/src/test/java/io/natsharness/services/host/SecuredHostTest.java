package io.natsharness.services.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.harness.Backend;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessExtension;
import io.natsharness.harness.NatsUser;
import io.natsharness.proto.infra.router.v1.GetRouteModeRequest;
import io.natsharness.proto.infra.router.v1.RouteMode;
import io.natsharness.proto.infra.router.v1.RouteModeSetting;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.testing.HttpTransport;
import io.natsharness.services.testing.TestHosts;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The host on a locked-down environment: mutual TLS and an nkey user on NATS, an ACL user on Redis. */
@DisplayName("ReferenceHost on secured NATS and Redis")
class SecuredHostTest {

  @RegisterExtension
  static NatsHarnessExtension harness = NatsHarnessExtension.builder()
      .withBackend(Backend.EMBEDDED)
      .withMutualTls()
      .withNatsUsers(NatsUser.nkey("host"))
      .withRedisAclUser("services", "s3cret-pass", "~*", "+@all")
      .build();

  @Test
  @DisplayName("connects with the credentials and TLS files of its environment and serves")
  void servesWithCredentials(HarnessRuntimeInfo info, RpcClient client) {
    Map<String, String> env = info.implementationEnvironment();
    assertThat(env).containsKeys("NATS_NKEY_SEED", "NATS_CA_FILE", "NATS_CERT_FILE", "NATS_KEY_FILE",
        "REDIS_USER", "REDIS_PASSWORD");
    try (ReferenceHost host = TestHosts.start(info, "router")) {
      RouteModeSetting mode = client.call("svc.infra.router.v1.get_route_mode",
          GetRouteModeRequest.newBuilder().setSubject("svc.ai.llm.v1.infer").build());
      assertThat(mode.getMode()).isEqualTo(RouteMode.HTTP);
      assertThat(new HttpTransport(host.httpUrl()).raw("GET", "/health", HttpRequest.BodyPublishers.noBody(), Map.of())
          .statusCode()).isEqualTo(200);
    }
  }
}
