package io.natsharness.conformance.contract.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.util.Timestamps;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Breaker;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.Polling;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.infra.auth.v1.IssueTokenRequest;
import io.natsharness.proto.infra.auth.v1.IssueTokenResponse;
import io.natsharness.proto.infra.auth.v1.Principal;
import io.natsharness.proto.infra.auth.v1.PrincipalKind;
import io.natsharness.proto.infra.auth.v1.PrincipalRegistered;
import io.natsharness.proto.infra.auth.v1.RegisterPrincipalRequest;
import io.natsharness.proto.infra.auth.v1.TokenClaims;
import io.natsharness.proto.infra.auth.v1.ValidateTokenRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Contract checks of {@code auth}: principals (never returning their password), tokens with
 * subject, scopes and expiry, validation that refuses malformed, tampered, expired and revoked
 * tokens, scopes, and the events. Revocation has its own class ({@link AuthRevocationChecks}).
 *
 * <pre>{@code
 * List<Check> checks = AuthChecks.checks();
 * }</pre>
 */
public final class AuthChecks {

  static final String SERVICE = "auth";
  static final String PASSWORD = "correct horse battery staple";
  static final List<String> SCOPES = List.of("game.quests:write", "ai.llm:infer", "game.quests:read");

  private AuthChecks() {}

  public static List<Check> checks() {
    ContractChecks checks = ContractChecks.forService(SERVICE)
        .behaviour("register_principal", "registers", "register_principal returns the principal with its scopes"
            + " sorted and de-duplicated, never its password, and publishes one principal_registered event",
            AuthChecks::registers)
        .error("register_principal", "duplicate", Code.ALREADY_EXISTS, "registering a principal_id twice is"
            + " ALREADY_EXISTS", ctx -> {
              RegisterPrincipalRequest request = principal(ctx);
              auth(ctx).ok("register_principal", request);
              auth(ctx).fails("register_principal", request.toBuilder().setPassword("another password").build(),
                  Code.ALREADY_EXISTS);
            })
        .error("register_principal", "invalid_fields", Code.INVALID_ARGUMENT, "a malformed principal_id, a"
            + " password outside 8-128 characters, an unspecified kind, a malformed scope or a display_name over"
            + " 200 characters is INVALID_ARGUMENT", AuthChecks::invalidPrincipals)
        .error("register_principal", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a registration"
            + " past its deadline is DEADLINE_EXCEEDED and registers nothing", ctx -> {
              RegisterPrincipalRequest request = principal(ctx);
              auth(ctx).call("register_principal").expiredDeadline().fails(request, Code.DEADLINE_EXCEEDED);
              auth(ctx).fails("issue_token", issue(request), Code.UNAUTHENTICATED);
              auth(ctx).ok("register_principal", request);
            })
        .behaviour("issue_token", "issues_claims", "issue_token returns a three-part base64url token whose claims"
            + " carry the subject, the requested scopes (all when none) and an expiry of ttl_seconds (3600 by"
            + " default)", AuthChecks::issuesClaims)
        .error("issue_token", "bad_credentials", Code.UNAUTHENTICATED, "a wrong password and an unknown principal"
            + " are both UNAUTHENTICATED, with the same message", AuthChecks::badCredentials)
        .error("issue_token", "scope_not_granted", Code.PERMISSION_DENIED, "requesting a scope the principal was"
            + " not granted is PERMISSION_DENIED", ctx -> {
              RegisterPrincipalRequest p = registered(ctx);
              auth(ctx).fails("issue_token", issue(p).toBuilder().addScopes("admin:everything").build(),
                  Code.PERMISSION_DENIED);
            })
        .error("issue_token", "invalid_request", Code.INVALID_ARGUMENT, "an empty principal_id or password, or a"
            + " ttl_seconds outside [0, 86400], is INVALID_ARGUMENT", ctx -> {
              RegisterPrincipalRequest p = registered(ctx);
              auth(ctx).failsOnEach("issue_token", issue(p), List.<Breaker<IssueTokenRequest.Builder>>of(
                  Breaker.of("principal_id", b -> b.setPrincipalId("")),
                  Breaker.of("password", b -> b.setPassword("")),
                  Breaker.of("ttl_seconds", b -> b.setTtlSeconds(-1)),
                  Breaker.of("ttl_seconds", b -> b.setTtlSeconds(86_401))));
            })
        .error("issue_token", "expired_deadline", Code.DEADLINE_EXCEEDED, "an issue request past its deadline is"
            + " DEADLINE_EXCEEDED", ctx -> auth(ctx).call("issue_token").expiredDeadline()
                .fails(issue(registered(ctx)), Code.DEADLINE_EXCEEDED))
        .behaviour("validate_token", "valid_token", "a valid token validates to the claims it was issued with,"
            + " with or without a scope it carries", AuthChecks::validToken)
        .error("validate_token", "missing_scope", Code.PERMISSION_DENIED, "a valid token without the"
            + " required_scope (exactly) is PERMISSION_DENIED", ctx -> {
              IssueTokenResponse issued = auth(ctx).ok("issue_token", issue(registered(ctx)).toBuilder()
                  .addScopes("game.quests:read").build());
              auth(ctx).fails("validate_token", validate(issued.getToken(), "game.quests:write"), Code.PERMISSION_DENIED);
              auth(ctx).fails("validate_token", validate(issued.getToken(), "game.quests"), Code.PERMISSION_DENIED);
            })
        .error("validate_token", "malformed_or_tampered", Code.UNAUTHENTICATED, "a malformed token, a token with"
            + " a changed signature and a token with changed claims are UNAUTHENTICATED", AuthChecks::tampered)
        .error("validate_token", "expired", Code.UNAUTHENTICATED, "a token past its expiry is UNAUTHENTICATED",
            AuthChecks::expired)
        .error("validate_token", "empty_token", Code.INVALID_ARGUMENT, "an empty token is INVALID_ARGUMENT",
            ctx -> auth(ctx).failsOn("validate_token", validate("", ""), "token"));
    AuthRevocationChecks.add(checks);
    return checks.build();
  }

  static Rpc auth(CheckContext ctx) {
    return Rpc.of(ctx, SERVICE);
  }

  static RegisterPrincipalRequest principal(CheckContext ctx) {
    return RegisterPrincipalRequest.newBuilder().setPrincipalId(Names.id(ctx, "user")).setPassword(PASSWORD)
        .setKind(PrincipalKind.USER).addAllScopes(SCOPES).setDisplayName("Test Player").build();
  }

  /** A principal registered through auth's own method. */
  static RegisterPrincipalRequest registered(CheckContext ctx) {
    RegisterPrincipalRequest request = principal(ctx);
    auth(ctx).ok("register_principal", request);
    return request;
  }

  static IssueTokenRequest issue(RegisterPrincipalRequest principal) {
    return IssueTokenRequest.newBuilder().setPrincipalId(principal.getPrincipalId())
        .setPassword(principal.getPassword()).build();
  }

  static ValidateTokenRequest validate(String token, String scope) {
    return ValidateTokenRequest.newBuilder().setToken(token).setRequiredScope(scope).build();
  }

  static IssueTokenResponse token(CheckContext ctx) {
    return auth(ctx).ok("issue_token", issue(registered(ctx)));
  }

  private static void registers(CheckContext ctx) {
    RegisterPrincipalRequest request = principal(ctx).toBuilder().addScopes("ai.llm:infer").build();
    try (EventSpy<PrincipalRegistered> events = EventSpy.on(ctx, SERVICE, "principal_registered")) {
      Principal principal = auth(ctx).ok("register_principal", request);
      assertThat(principal.getPrincipalId()).as("principal_id").isEqualTo(request.getPrincipalId());
      assertThat(principal.getKind()).as("kind").isEqualTo(PrincipalKind.USER);
      assertThat(principal.getScopesList()).as("scopes, sorted, without duplicates")
          .containsExactly("ai.llm:infer", "game.quests:read", "game.quests:write");
      assertThat(principal.getDisplayName()).as("display_name").isEqualTo("Test Player");
      assertThat(new String(principal.toByteArray(), StandardCharsets.ISO_8859_1)).as("the answer's bytes")
          .doesNotContain(PASSWORD);
      PrincipalRegistered event = events.awaitOne(e -> e.getPrincipalId().equals(request.getPrincipalId()));
      assertThat(event.getScopesList()).as("scopes in the event").isEqualTo(principal.getScopesList());
      assertThat(event.toString()).as("the event").doesNotContain(PASSWORD);
    }
  }

  private static void invalidPrincipals(CheckContext ctx) {
    RegisterPrincipalRequest valid = principal(ctx);
    auth(ctx).failsOnEach("register_principal", valid, List.<Breaker<RegisterPrincipalRequest.Builder>>of(
        Breaker.of("principal_id", b -> b.setPrincipalId("")),
        Breaker.of("principal_id", b -> b.setPrincipalId("ab")),
        Breaker.of("principal_id", b -> b.setPrincipalId("Upper-Case")),
        Breaker.of("principal_id", b -> b.setPrincipalId("a".repeat(65))),
        Breaker.of("password", b -> b.setPassword("short")),
        Breaker.of("password", b -> b.setPassword("p".repeat(129))),
        Breaker.of("kind", b -> b.setKind(PrincipalKind.PRINCIPAL_KIND_UNSPECIFIED)),
        Breaker.of("scopes", b -> b.addScopes("Bad Scope")),
        Breaker.of("scopes", b -> b.addScopes("game:write:twice")),
        Breaker.of("display_name", b -> b.setDisplayName("d".repeat(201)))));
    auth(ctx).ok("register_principal", valid);
  }

  private static void issuesClaims(CheckContext ctx) {
    RegisterPrincipalRequest p = registered(ctx);
    IssueTokenResponse all = auth(ctx).ok("issue_token", issue(p));
    assertThat(all.getToken()).as("token").matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    TokenClaims claims = all.getClaims();
    assertThat(claims.getTokenId()).as("token_id").matches("tok-[0-9a-f]{32}");
    assertThat(claims.getSubject()).as("subject").isEqualTo(p.getPrincipalId());
    assertThat(claims.getScopesList()).as("scopes when none are requested")
        .containsExactly("ai.llm:infer", "game.quests:read", "game.quests:write");
    assertThat(Timestamps.toMillis(claims.getExpiresAt()) - Timestamps.toMillis(claims.getIssuedAt()))
        .as("lifetime with the default ttl, ms").isCloseTo(3_600_000L, within(1000L));
    IssueTokenResponse some = auth(ctx).ok("issue_token", issue(p).toBuilder().addScopes("game.quests:write")
        .setTtlSeconds(60).build());
    assertThat(some.getClaims().getScopesList()).as("scopes when one is requested").containsExactly("game.quests:write");
    assertThat(Timestamps.toMillis(some.getClaims().getExpiresAt()) - Timestamps.toMillis(some.getClaims().getIssuedAt()))
        .as("lifetime with ttl_seconds 60, ms").isCloseTo(60_000L, within(1000L));
    assertThat(some.getClaims().getTokenId()).as("token_id of a second token").isNotEqualTo(claims.getTokenId());
  }

  private static void badCredentials(CheckContext ctx) {
    RegisterPrincipalRequest p = registered(ctx);
    Status wrongPassword = auth(ctx).fails("issue_token", issue(p).toBuilder().setPassword("not the password").build(),
        Code.UNAUTHENTICATED);
    Status unknown = auth(ctx).fails("issue_token", issue(p).toBuilder().setPrincipalId(Names.id(ctx, "ghost"))
        .build(), Code.UNAUTHENTICATED);
    assertThat(unknown.getMessage()).as("message for an unknown principal against a wrong password")
        .isEqualTo(wrongPassword.getMessage());
  }

  private static void validToken(CheckContext ctx) {
    IssueTokenResponse issued = token(ctx);
    TokenClaims claims = auth(ctx).ok("validate_token", validate(issued.getToken(), ""));
    assertThat(claims).as("claims of a valid token").isEqualTo(issued.getClaims());
    TokenClaims scoped = auth(ctx).ok("validate_token", validate(issued.getToken(), "game.quests:write"));
    assertThat(scoped).as("claims validated with a scope the token carries").isEqualTo(issued.getClaims());
  }

  private static void tampered(CheckContext ctx) {
    IssueTokenResponse issued = token(ctx);
    String[] parts = issued.getToken().split("\\.");
    char c = parts[2].charAt(5);
    String badSignature = parts[0] + "." + parts[1] + "." + parts[2].substring(0, 5) + (c == 'A' ? 'B' : 'A')
        + parts[2].substring(6);
    String claims = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String forged = claims.replace(issued.getClaims().getSubject(), "intruder" + issued.getClaims().getSubject());
    String badClaims = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(forged.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    assertThat(forged).as("the forged claims differ from the issued ones").isNotEqualTo(claims);
    for (String bad : List.of("not-a-token", "a.b.c", badSignature, badClaims)) {
      auth(ctx).fails("validate_token", validate(bad, ""), Code.UNAUTHENTICATED);
    }
  }

  /** Waits until the service's clock has passed the token's expiry (bounded), as validate_token tells. */
  static void awaitExpiry(CheckContext ctx, IssueTokenResponse issued) {
    Polling.sleepUntil(Timestamps.toMillis(issued.getClaims().getExpiresAt()), Duration.ofSeconds(3));
    Polling.until(Duration.ofSeconds(3),
        () -> auth(ctx).call("validate_token").send(validate(issued.getToken(), "")).isError());
  }

  private static void expired(CheckContext ctx) {
    IssueTokenResponse issued = auth(ctx).ok("issue_token", issue(registered(ctx)).toBuilder().setTtlSeconds(1).build());
    awaitExpiry(ctx, issued);
    auth(ctx).fails("validate_token", validate(issued.getToken(), ""), Code.UNAUTHENTICATED);
  }
}
