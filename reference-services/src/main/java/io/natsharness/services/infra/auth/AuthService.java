package io.natsharness.services.infra.auth;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import io.natsharness.proto.common.v1.RecordMeta;
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
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.CommittedEvents;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.Validation;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Principals with salted slow password hashes, and signed bearer tokens (HS256 JWS) carrying
 * subject, scopes and expiry, with revocation kept in Redis until each token's expiry.
 *
 * <pre>{@code
 * ServiceHost.builder().connection(nats).add(new AuthService(ctx)).build().start();
 * }</pre>
 */
public final class AuthService implements NatsService {

  static final Pattern PRINCIPAL_ID = Pattern.compile("[a-z0-9][a-z0-9_.-]{2,63}");
  static final Pattern SCOPE = Pattern.compile("[a-z0-9_.]+(:[a-z0-9_.*]+)?");
  static final int DEFAULT_TTL_SECONDS = 3600;
  static final int MAX_TTL_SECONDS = 86_400;
  private static final String BAD_CREDENTIALS = "invalid principal or password";

  private final ServiceContext ctx;
  private final AuthStore store;
  private final PasswordHasher hasher = new PasswordHasher();
  private final TokenCodec tokens;
  private final SecureRandom random = new SecureRandom();

  public AuthService(ServiceContext ctx) {
    this.ctx = ctx;
    this.store = new AuthStore(ctx);
    this.tokens = new TokenCodec(store::signingKey);
  }

  @Override
  public String name() {
    return "auth";
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints
        .unary("register_principal", this::registerPrincipal)
        .unary("issue_token", this::issueToken)
        .unary("validate_token", this::validateToken)
        .unary("revoke_token", this::revokeToken);
  }

  Principal registerPrincipal(RegisterPrincipalRequest request, CallContext call) {
    String id = Validation.matches(request.getPrincipalId(), PRINCIPAL_ID, "principal_id");
    String password = request.getPassword();
    Validation.require(password.length() >= 8 && password.length() <= 128, "password",
        "must be 8 to 128 characters");
    PrincipalKind kind = Validation.specified(request.getKind(), "kind");
    for (int i = 0; i < request.getScopesCount(); i++) {
      Validation.matches(request.getScopes(i), SCOPE, "scopes[" + i + "]");
    }
    Validation.maxLength(request.getDisplayName(), 200, "display_name");
    if (store.principalExists(id)) {
      throw RpcException.alreadyExists("principal " + id + " is already registered");
    }
    Timestamp now = Timestamps.fromMillis(ctx.clock().millis());
    Principal principal = Principal.newBuilder()
        .setPrincipalId(id)
        .setKind(kind)
        .addAllScopes(new TreeSet<>(request.getScopesList()))
        .setDisplayName(request.getDisplayName())
        .setMeta(RecordMeta.newBuilder().setCreatedAt(now).setUpdatedAt(now).setVersion(1))
        .build();
    byte[] salt = hasher.newSalt();
    if (!store.createPrincipal(new AuthStore.StoredPrincipal(principal, salt, hasher.hash(password, salt)))) {
      throw RpcException.alreadyExists("principal " + id + " is already registered");
    }
    CommittedEvents.publish(ctx, "evt.infra.auth.v1.principal_registered", PrincipalRegistered.newBuilder()
        .setPrincipalId(id).setKind(kind).addAllScopes(principal.getScopesList()).build(),
        "principal_registered:" + id);
    return principal;
  }

  IssueTokenResponse issueToken(IssueTokenRequest request, CallContext call) {
    String id = Validation.nonEmpty(request.getPrincipalId(), "principal_id");
    String password = Validation.nonEmpty(request.getPassword(), "password");
    int ttl = Validation.inRange(request.getTtlSeconds(), 0, MAX_TTL_SECONDS, "ttl_seconds");
    AuthStore.StoredPrincipal stored = store.principal(id).orElse(null);
    if (stored == null) {
      hasher.burn(password);
      throw RpcException.unauthenticated(BAD_CREDENTIALS);
    }
    if (!hasher.matches(password, stored.salt(), stored.hash())) {
      throw RpcException.unauthenticated(BAD_CREDENTIALS);
    }
    List<String> granted = stored.principal().getScopesList();
    TreeSet<String> scopes = new TreeSet<>(request.getScopesList());
    for (String scope : scopes) {
      if (!granted.contains(scope)) {
        throw RpcException.permissionDenied("scope " + scope + " is not granted to principal " + id);
      }
    }
    if (scopes.isEmpty()) {
      scopes.addAll(granted);
    }
    // Whole seconds: the token carries Unix seconds, so the claims answered equal the ones validated.
    long issuedAt = Math.floorDiv(ctx.clock().millis(), 1000);
    long expiresAt = issuedAt + (ttl == 0 ? DEFAULT_TTL_SECONDS : ttl);
    byte[] idBytes = new byte[16];
    random.nextBytes(idBytes);
    TokenClaims claims = TokenClaims.newBuilder()
        .setTokenId("tok-" + HexFormat.of().formatHex(idBytes))
        .setSubject(id)
        .addAllScopes(scopes)
        .setIssuedAt(Timestamps.fromSeconds(issuedAt))
        .setExpiresAt(Timestamps.fromSeconds(expiresAt))
        .build();
    store.recordIssued(claims.getTokenId(), id, expiresAt * 1000);
    return IssueTokenResponse.newBuilder().setToken(tokens.encode(claims)).setClaims(claims).build();
  }

  TokenClaims validateToken(ValidateTokenRequest request, CallContext call) {
    String token = Validation.nonEmpty(request.getToken(), "token");
    TokenClaims claims = tokens.decode(token);
    if (ctx.clock().millis() >= Timestamps.toMillis(claims.getExpiresAt())) {
      throw RpcException.unauthenticated("the token has expired");
    }
    if (store.revocation(claims.getTokenId()).isPresent()) {
      throw RpcException.unauthenticated("the token has been revoked");
    }
    String scope = request.getRequiredScope();
    if (!scope.isEmpty() && !claims.getScopesList().contains(scope)) {
      throw RpcException.permissionDenied("the token does not carry scope " + scope);
    }
    return claims;
  }

  Revocation revokeToken(RevokeTokenRequest request, CallContext call) {
    Validation.maxLength(request.getReason(), 200, "reason");
    String tokenId;
    String subject;
    long expiresAt;
    switch (request.getTargetCase()) {
      case TOKEN -> {
        TokenClaims claims = tokens.decode(Validation.nonEmpty(request.getToken(), "token"));
        tokenId = claims.getTokenId();
        subject = claims.getSubject();
        expiresAt = Timestamps.toMillis(claims.getExpiresAt());
      }
      case TOKEN_ID -> {
        tokenId = Validation.nonEmpty(request.getTokenId(), "token_id");
        AuthStore.IssuedToken issued = store.issued(tokenId).orElseThrow(() ->
            RpcException.notFound("token " + tokenId + " was never issued or has expired"));
        subject = issued.subject();
        expiresAt = issued.expiresAtMillis();
      }
      default -> throw RpcException.invalidArgument("target", "token or token_id is required");
    }
    long now = ctx.clock().millis();
    if (now >= expiresAt) {
      throw RpcException.notFound("token " + tokenId + " has already expired: nothing to revoke");
    }
    Revocation revocation = Revocation.newBuilder()
        .setTokenId(tokenId)
        .setSubject(subject)
        .setRevokedAt(Timestamps.fromMillis(now))
        .setExpiresAt(Timestamps.fromMillis(expiresAt))
        .setReason(request.getReason())
        .build();
    AuthStore.Revoked revoked = store.revoke(revocation, expiresAt);
    if (revoked.created()) {
      CommittedEvents.publish(ctx, "evt.infra.auth.v1.token_revoked", TokenRevoked.newBuilder().setTokenId(tokenId)
          .setSubject(subject).setExpiresAt(revocation.getExpiresAt()).build(), "token_revoked:" + tokenId);
    }
    return revoked.revocation();
  }
}
