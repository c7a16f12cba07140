package io.natsharness.gateway.support;

import io.natsharness.proto.infra.auth.v1.IssueTokenRequest;
import io.natsharness.proto.infra.auth.v1.IssueTokenResponse;
import io.natsharness.proto.infra.auth.v1.Principal;
import io.natsharness.proto.infra.auth.v1.RegisterPrincipalRequest;
import io.natsharness.proto.infra.auth.v1.Revocation;
import io.natsharness.proto.infra.auth.v1.RevokeTokenRequest;
import io.natsharness.proto.infra.auth.v1.TokenClaims;
import io.natsharness.proto.infra.auth.v1.ValidateTokenRequest;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test {@code auth} service that knows a fixed set of tokens and their scopes, and counts the
 * validations it answers (to see the gateway's cache at work). Only validate_token is real.
 */
public final class ScriptedAuth implements NatsService {

  public final AtomicInteger validations = new AtomicInteger();
  private final Map<String, List<String>> tokens = new ConcurrentHashMap<>();

  /** Makes {@code token} valid with these scopes; its token id is {@code "tok-" + token}. */
  public ScriptedAuth grant(String token, String... scopes) {
    tokens.put(token, List.of(scopes));
    return this;
  }

  /** Forgets a token: from now on the service calls it invalid. */
  public void revoke(String token) {
    tokens.remove(token);
  }

  @Override
  public String name() {
    return "auth";
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.<RegisterPrincipalRequest, Principal>unary("register_principal",
            (q, ctx) -> { throw RpcException.unimplemented("not in the test auth service"); })
        .<IssueTokenRequest, IssueTokenResponse>unary("issue_token",
            (q, ctx) -> { throw RpcException.unimplemented("not in the test auth service"); })
        .<RevokeTokenRequest, Revocation>unary("revoke_token",
            (q, ctx) -> { throw RpcException.unimplemented("not in the test auth service"); })
        .<ValidateTokenRequest, TokenClaims>unary("validate_token", (q, ctx) -> {
          validations.incrementAndGet();
          List<String> scopes = tokens.get(q.getToken());
          if (scopes == null) {
            throw RpcException.unauthenticated("token is invalid or expired");
          }
          if (!q.getRequiredScope().isEmpty() && !scopes.contains(q.getRequiredScope())) {
            throw RpcException.permissionDenied("token lacks scope " + q.getRequiredScope());
          }
          return TokenClaims.newBuilder().setTokenId("tok-" + q.getToken()).setSubject("player-1")
              .addAllScopes(scopes).build();
        });
  }
}
