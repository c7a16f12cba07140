package io.natsharness.services.infra.auth;

import static io.natsharness.services.testing.RpcAssertions.assertInvalid;
import static io.natsharness.services.testing.RpcAssertions.assertRpcError;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import com.google.rpc.Code;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.nats.client.JetStreamManagement;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.infra.auth.v1.IssueTokenRequest;
import io.natsharness.proto.infra.auth.v1.IssueTokenResponse;
import io.natsharness.proto.infra.auth.v1.Principal;
import io.natsharness.proto.infra.auth.v1.PrincipalKind;
import io.natsharness.proto.infra.auth.v1.PrincipalRegistered;
import io.natsharness.proto.infra.auth.v1.RegisterPrincipalRequest;
import io.natsharness.proto.infra.auth.v1.Revocation;
import io.natsharness.proto.infra.auth.v1.RevokeTokenRequest;
import io.natsharness.proto.infra.auth.v1.TokenClaims;
import io.natsharness.proto.infra.auth.v1.TokenRevoked;
import io.natsharness.proto.infra.auth.v1.ValidateTokenRequest;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.host.ReferenceHost;
import io.natsharness.services.testing.StoredEvents;
import io.natsharness.services.testing.TestHosts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("auth")
class AuthServiceTest {

  private static final String PASSWORD = "correct horse";
  private static ReferenceHost host;

  @BeforeAll
  static void setUp(HarnessRuntimeInfo info, RpcClient client) {
    host = TestHosts.start(info, "auth");
    register(client, "alice", List.of("game.quests:write", "game.quests:read"));
  }

  @AfterAll
  static void stopHost() {
    host.close();
  }

  private static Principal register(RpcClient client, String id, List<String> scopes) {
    return client.call("svc.infra.auth.v1.register_principal", RegisterPrincipalRequest.newBuilder()
        .setPrincipalId(id).setPassword(PASSWORD).setKind(PrincipalKind.USER).addAllScopes(scopes)
        .setDisplayName("Alice").build());
  }

  private static IssueTokenResponse issue(RpcClient client, String id, String password, int ttl, String... scopes) {
    return client.call("svc.infra.auth.v1.issue_token", IssueTokenRequest.newBuilder().setPrincipalId(id)
        .setPassword(password).setTtlSeconds(ttl).addAllScopes(List.of(scopes)).build());
  }

  private static TokenClaims validate(RpcClient client, String token, String scope) {
    return client.call("svc.infra.auth.v1.validate_token",
        ValidateTokenRequest.newBuilder().setToken(token).setRequiredScope(scope).build());
  }

  private static Revocation revoke(RpcClient client, RevokeTokenRequest request) {
    return client.call("svc.infra.auth.v1.revoke_token", request);
  }

  @Nested
  @DisplayName("register_principal")
  class Register {

    @Test
    @DisplayName("stores scopes sorted without duplicates, never the password, and publishes principal_registered")
    void registers(RpcClient client, JetStreamManagement jsm) {
      Principal p = register(client, "bob.the-builder", List.of("b:x", "a", "b:x"));
      assertThat(p.getScopesList()).containsExactly("a", "b:x");
      assertThat(p.getMeta().getVersion()).isEqualTo(1);
      assertThat(p.toString()).doesNotContain(PASSWORD);
      assertThat(StoredEvents.withId(jsm, "EVT_INFRA", "evt.infra.auth.v1.principal_registered",
          "principal_registered:bob.the-builder", PrincipalRegistered.parser()))
          .containsExactly(PrincipalRegistered.newBuilder().setPrincipalId("bob.the-builder")
              .setKind(PrincipalKind.USER).addScopes("a").addScopes("b:x").build());
    }

    @Test
    @DisplayName("stores only a salted PBKDF2 hash of the password")
    void storesAHash(RedisClient redisClient, HarnessRuntimeInfo info) {
      try (StatefulRedisConnection<String, String> redis = redisClient.connect()) {
        String stored = redis.sync().get(info.implementationEnvironment().get("NH_KEY_PREFIX") + "auth:principal:alice");
        assertThat(stored).doesNotContain(PASSWORD)
            .doesNotContain(Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)));
        assertThat(Base64.getDecoder().decode(stored.split("\\|")[1])).hasSize(16);
        assertThat(Base64.getDecoder().decode(stored.split("\\|")[2])).hasSize(32);
      }
    }

    @Test
    @DisplayName("refuses a taken principal_id with ALREADY_EXISTS")
    void duplicate(RpcClient client) {
      assertRpcError(() -> register(client, "alice", List.of()), Code.ALREADY_EXISTS,
          "principal alice is already registered");
    }

    @Test
    @DisplayName("refuses malformed fields, naming each")
    void badFields(RpcClient client) {
      RegisterPrincipalRequest ok = RegisterPrincipalRequest.newBuilder().setPrincipalId("carol")
          .setPassword(PASSWORD).setKind(PrincipalKind.SERVICE).build();
      String call = "svc.infra.auth.v1.register_principal";
      assertInvalid(() -> client.call(call, ok.toBuilder().setPrincipalId("Ca").build()), "principal_id",
          "principal_id: must match [a-z0-9][a-z0-9_.-]{2,63}");
      assertInvalid(() -> client.call(call, ok.toBuilder().setPassword("short").build()), "password",
          "password: must be 8 to 128 characters");
      assertInvalid(() -> client.call(call, ok.toBuilder().setKind(PrincipalKind.PRINCIPAL_KIND_UNSPECIFIED).build()),
          "kind", "kind: must be specified");
      assertInvalid(() -> client.call(call, ok.toBuilder().addScopes("ok").addScopes("Bad Scope").build()),
          "scopes[1]", "scopes[1]: must match [a-z0-9_.]+(:[a-z0-9_.*]+)?");
      assertInvalid(() -> client.call(call, ok.toBuilder().setDisplayName("d".repeat(201)).build()), "display_name",
          "display_name: must be at most 200 characters");
    }
  }

  @Nested
  @DisplayName("issue_token and validate_token")
  class Tokens {

    @Test
    @DisplayName("issue a signed token whose claims validate_token gives back")
    void issueAndValidate(RpcClient client) {
      IssueTokenResponse issued = issue(client, "alice", PASSWORD, 0);
      TokenClaims claims = issued.getClaims();
      assertThat(claims.getTokenId()).matches("tok-[0-9a-f]{32}");
      assertThat(claims.getSubject()).isEqualTo("alice");
      assertThat(claims.getScopesList()).containsExactly("game.quests:read", "game.quests:write");
      assertThat(Timestamps.between(claims.getIssuedAt(), claims.getExpiresAt()).getSeconds()).isEqualTo(3600);
      assertThat(issued.getToken().split("\\.")).hasSize(3);
      assertThat(validate(client, issued.getToken(), "game.quests:write")).isEqualTo(claims);
    }

    @Test
    @DisplayName("carry only the requested scopes; an ungranted one is PERMISSION_DENIED")
    void scopes(RpcClient client) {
      IssueTokenResponse read = issue(client, "alice", PASSWORD, 60, "game.quests:read");
      assertThat(read.getClaims().getScopesList()).containsExactly("game.quests:read");
      assertRpcError(() -> validate(client, read.getToken(), "game.quests:write"), Code.PERMISSION_DENIED,
          "the token does not carry scope game.quests:write");
      assertRpcError(() -> issue(client, "alice", PASSWORD, 60, "admin"), Code.PERMISSION_DENIED,
          "scope admin is not granted to principal alice");
    }

    @Test
    @DisplayName("a wrong password and an unknown principal get the same UNAUTHENTICATED answer")
    void badCredentials(RpcClient client) {
      assertRpcError(() -> issue(client, "alice", "wrong password", 0), Code.UNAUTHENTICATED,
          "invalid principal or password");
      assertRpcError(() -> issue(client, "nobody", PASSWORD, 0), Code.UNAUTHENTICATED, "invalid principal or password");
    }

    @Test
    @DisplayName("a tampered token is UNAUTHENTICATED")
    void tampered(RpcClient client) {
      String token = issue(client, "alice", PASSWORD, 60).getToken();
      String[] parts = token.split("\\.");
      String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
          .replace("\"sub\":\"alice\"", "\"sub\":\"mallory\"");
      String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
          .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
      assertRpcError(() -> validate(client, forged, ""), Code.UNAUTHENTICATED, "the token's signature is invalid");
      assertRpcError(() -> validate(client, "not-a-token", ""), Code.UNAUTHENTICATED, "the token is malformed");
    }

    @Test
    @DisplayName("an expired token is UNAUTHENTICATED (no clock skew)")
    void expired(RpcClient client) throws InterruptedException {
      String token = issue(client, "alice", PASSWORD, 1).getToken();
      Thread.sleep(Duration.ofMillis(2100).toMillis());
      assertRpcError(() -> validate(client, token, ""), Code.UNAUTHENTICATED, "the token has expired");
    }

    @Test
    @DisplayName("refuse empty fields and a TTL above a day")
    void badFields(RpcClient client) {
      assertInvalid(() -> issue(client, "", PASSWORD, 0), "principal_id", "principal_id: must not be empty");
      assertInvalid(() -> issue(client, "alice", "", 0), "password", "password: must not be empty");
      assertInvalid(() -> issue(client, "alice", PASSWORD, 86_401), "ttl_seconds", "ttl_seconds: must be in [0, 86400]");
      assertInvalid(() -> validate(client, "", ""), "token", "token: must not be empty");
    }
  }

  @Nested
  @DisplayName("revoke_token")
  class Revoke {

    @Test
    @DisplayName("by token: validate refuses it, a repeat returns the first revocation, one event")
    void byToken(RpcClient client, JetStreamManagement jsm) {
      IssueTokenResponse issued = issue(client, "alice", PASSWORD, 600);
      Revocation first = revoke(client, RevokeTokenRequest.newBuilder().setToken(issued.getToken()).setReason("logout").build());
      assertThat(first.getTokenId()).isEqualTo(issued.getClaims().getTokenId());
      assertThat(first.getSubject()).isEqualTo("alice");
      assertThat(first.getExpiresAt()).isEqualTo(issued.getClaims().getExpiresAt());
      assertRpcError(() -> validate(client, issued.getToken(), ""), Code.UNAUTHENTICATED, "the token has been revoked");
      Revocation again = revoke(client, RevokeTokenRequest.newBuilder().setTokenId(first.getTokenId()).setReason("x").build());
      assertThat(again).isEqualTo(first);
      assertThat(StoredEvents.withId(jsm, "EVT_INFRA", "evt.infra.auth.v1.token_revoked",
          "token_revoked:" + first.getTokenId(), TokenRevoked.parser())).hasSize(1);
    }

    @Test
    @DisplayName("by an id never issued is NOT_FOUND; neither target is INVALID_ARGUMENT")
    void unknownAndMissing(RpcClient client) {
      assertRpcError(() -> revoke(client, RevokeTokenRequest.newBuilder().setTokenId("tok-0").build()), Code.NOT_FOUND,
          "token tok-0 was never issued or has expired");
      assertInvalid(() -> revoke(client, RevokeTokenRequest.getDefaultInstance()), "target",
          "target: token or token_id is required");
      assertRpcError(() -> revoke(client, RevokeTokenRequest.newBuilder().setToken("a.b.c").build()),
          Code.UNAUTHENTICATED, "the token is malformed");
    }

    @Test
    @DisplayName("tokens and revocations survive a restart of the host")
    void survivesRestart(RpcClient client, HarnessRuntimeInfo info) {
      IssueTokenResponse kept = issue(client, "alice", PASSWORD, 600);
      IssueTokenResponse revoked = issue(client, "alice", PASSWORD, 600);
      revoke(client, RevokeTokenRequest.newBuilder().setToken(revoked.getToken()).build());
      host.close();
      host = TestHosts.start(info, "auth");
      assertThat(validate(client, kept.getToken(), "")).isEqualTo(kept.getClaims());
      assertRpcError(() -> validate(client, revoked.getToken(), ""), Code.UNAUTHENTICATED, "the token has been revoked");
    }
  }
}
