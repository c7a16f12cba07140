package io.natsharness.conformance.contract.infra;

import static io.natsharness.conformance.contract.infra.AuthChecks.auth;
import static io.natsharness.conformance.contract.infra.AuthChecks.issue;
import static io.natsharness.conformance.contract.infra.AuthChecks.registered;
import static io.natsharness.conformance.contract.infra.AuthChecks.token;
import static io.natsharness.conformance.contract.infra.AuthChecks.validate;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.proto.infra.auth.v1.IssueTokenResponse;
import io.natsharness.proto.infra.auth.v1.Revocation;
import io.natsharness.proto.infra.auth.v1.RevokeTokenRequest;
import io.natsharness.proto.infra.auth.v1.TokenClaims;
import io.natsharness.proto.infra.auth.v1.TokenRevoked;

/**
 * auth's revoke_token: by the token or by its id, idempotent, the token_revoked event, and the
 * errors.
 *
 * <pre>{@code
 * ContractChecks checks = ContractChecks.forService("auth");
 * AuthRevocationChecks.add(checks);
 * }</pre>
 */
final class AuthRevocationChecks {

  private AuthRevocationChecks() {}

  static void add(ContractChecks checks) {
    checks
        .behaviour("revoke_token", "revokes_once", "revoking a token makes validate_token refuse it, publishes"
            + " one token_revoked event, and a repeat returns the first revocation and publishes nothing",
            AuthRevocationChecks::revokesOnce)
        .behaviour("revoke_token", "by_token_id", "an operator can revoke a token by its token_id",
            ctx -> {
              IssueTokenResponse issued = token(ctx);
              Revocation revocation = auth(ctx).ok("revoke_token", RevokeTokenRequest.newBuilder()
                  .setTokenId(issued.getClaims().getTokenId()).setReason("operator").build());
              assertThat(revocation.getSubject()).as("subject").isEqualTo(issued.getClaims().getSubject());
              auth(ctx).fails("validate_token", validate(issued.getToken(), ""), Code.UNAUTHENTICATED);
            })
        .error("revoke_token", "nothing_to_revoke", Code.NOT_FOUND, "a token_id never issued, or a token already"
            + " expired, is NOT_FOUND", AuthRevocationChecks::nothingToRevoke)
        .error("revoke_token", "bad_signature", Code.UNAUTHENTICATED, "a given token that is malformed or whose"
            + " signature fails is UNAUTHENTICATED", ctx -> {
              IssueTokenResponse issued = token(ctx);
              String[] parts = issued.getToken().split("\\.");
              String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
              auth(ctx).fails("revoke_token", RevokeTokenRequest.newBuilder().setToken(forged).build(),
                  Code.UNAUTHENTICATED);
              auth(ctx).fails("revoke_token", RevokeTokenRequest.newBuilder().setToken("garbage").build(),
                  Code.UNAUTHENTICATED);
              auth(ctx).ok("validate_token", validate(issued.getToken(), ""));
            })
        .error("revoke_token", "invalid_request", Code.INVALID_ARGUMENT, "neither token nor token_id, or a reason"
            + " over 200 characters, is INVALID_ARGUMENT", ctx -> {
              IssueTokenResponse issued = token(ctx);
              auth(ctx).fails("revoke_token", RevokeTokenRequest.newBuilder().setReason("why").build(),
                  Code.INVALID_ARGUMENT);
              auth(ctx).failsOn("revoke_token", RevokeTokenRequest.newBuilder().setToken(issued.getToken())
                  .setReason("r".repeat(201)).build(), "reason");
              auth(ctx).ok("validate_token", validate(issued.getToken(), ""));
            })
        .error("revoke_token", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a revocation past its"
            + " deadline is DEADLINE_EXCEEDED and the token stays valid", ctx -> {
              IssueTokenResponse issued = token(ctx);
              auth(ctx).call("revoke_token").expiredDeadline().fails(RevokeTokenRequest.newBuilder()
                  .setToken(issued.getToken()).build(), Code.DEADLINE_EXCEEDED);
              auth(ctx).ok("validate_token", validate(issued.getToken(), ""));
            });
  }

  private static void revokesOnce(CheckContext ctx) {
    IssueTokenResponse issued = token(ctx);
    TokenClaims claims = issued.getClaims();
    try (EventSpy<TokenRevoked> events = EventSpy.on(ctx, AuthChecks.SERVICE, "token_revoked")) {
      Revocation revocation = auth(ctx).ok("revoke_token", RevokeTokenRequest.newBuilder()
          .setToken(issued.getToken()).setReason("logout").build());
      assertThat(revocation.getTokenId()).as("token_id").isEqualTo(claims.getTokenId());
      assertThat(revocation.getSubject()).as("subject").isEqualTo(claims.getSubject());
      assertThat(revocation.getExpiresAt()).as("expires_at (the token's)").isEqualTo(claims.getExpiresAt());
      assertThat(revocation.getReason()).as("reason").isEqualTo("logout");
      assertThat(revocation.hasRevokedAt()).as("revoked_at is set").isTrue();
      auth(ctx).fails("validate_token", validate(issued.getToken(), ""), Code.UNAUTHENTICATED);
      TokenRevoked event = events.awaitOne(e -> e.getTokenId().equals(claims.getTokenId()));
      assertThat(event.getSubject()).as("subject in the event").isEqualTo(claims.getSubject());
      Revocation again = auth(ctx).ok("revoke_token", RevokeTokenRequest.newBuilder()
          .setTokenId(claims.getTokenId()).setReason("again").build());
      assertThat(again).as("the repeat's answer (the first revocation)").isEqualTo(revocation);
      events.assertDistinct(e -> e.getTokenId().equals(claims.getTokenId()), 1, EventSpy.SETTLE);
    }
  }

  private static void nothingToRevoke(CheckContext ctx) {
    auth(ctx).fails("revoke_token", RevokeTokenRequest.newBuilder()
        .setTokenId(Names.derived("tok-", 32, ctx.unique("never"))).build(), Code.NOT_FOUND);
    IssueTokenResponse shortLived = auth(ctx).ok("issue_token", issue(registered(ctx)).toBuilder()
        .setTtlSeconds(1).build());
    AuthChecks.awaitExpiry(ctx, shortLived);
    auth(ctx).fails("revoke_token", RevokeTokenRequest.newBuilder().setToken(shortLived.getToken()).build(),
        Code.NOT_FOUND);
  }
}
