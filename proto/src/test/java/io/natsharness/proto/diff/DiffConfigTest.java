package io.natsharness.proto.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.common.v1.RecordMeta;
import io.natsharness.proto.infra.auth.v1.IssueTokenResponse;
import io.natsharness.proto.infra.auth.v1.TokenClaims;
import io.natsharness.proto.util.payment.v1.Wallet;
import com.google.protobuf.Timestamp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("DiffConfig")
class DiffConfigTest {

  private static final String ISSUE = "svc.infra.auth.v1.issue_token";

  @Nested
  @DisplayName("parsing")
  class Parsing {

    @Test
    @DisplayName("method rules refine the defaults")
    void methodRulesRefineDefaults() {
      DiffConfig config = DiffConfig.parse("""
          {"default": {"timestampTolerance": [{"path": "**", "tolerance": "2s"}]},
           "methods": {"svc.infra.auth.v1.issue_token": {
              "ignore": ["token"], "ids": ["claims.token_id"], "unordered": ["claims.scopes"]}}}
          """);
      IssueTokenResponse p = IssueTokenResponse.newBuilder().setToken("a.b.c").setClaims(TokenClaims.newBuilder()
          .setTokenId("tok-1111111111").addScopes("x").addScopes("y")
          .setIssuedAt(Timestamp.newBuilder().setSeconds(100))).build();
      IssueTokenResponse c = IssueTokenResponse.newBuilder().setToken("d.e.f").setClaims(TokenClaims.newBuilder()
          .setTokenId("tok-2222222222").addScopes("y").addScopes("x")
          .setIssuedAt(Timestamp.newBuilder().setSeconds(101))).build();
      assertThat(MessageDiff.compare(p, c, config.rules(ISSUE))).isEmpty();
      assertThat(MessageDiff.compare(p, c, config.rules("svc.util.payment.v1.get_balance")))
          .extracting(Difference::path).containsExactly("token", "claims.token_id", "claims.scopes");
      assertThat(config.methods()).containsExactly(ISSUE);
    }

    @Test
    @DisplayName("numeric tolerances and keyed sets are read")
    void tolerancesAndKeys() {
      DiffConfig config = DiffConfig.parse("""
          {"default": {"numericTolerance": [{"path": "meta.version", "absolute": 1}],
                       "unordered": [{"path": "balances", "key": "currency"}]}}""");
      Wallet p = Wallet.newBuilder().setMeta(RecordMeta.newBuilder().setVersion(3)).build();
      Wallet c = Wallet.newBuilder().setMeta(RecordMeta.newBuilder().setVersion(4)).build();
      assertThat(MessageDiff.compare(p, c, config.rules("any"))).isEmpty();
      assertThat(config.defaults().patterns()).containsExactly("meta.version", "balances");
    }

    @Test
    @DisplayName("merged configs keep both sets of rules, the later winning where both match")
    void merge() {
      DiffConfig shipped = DiffConfig.parse("{\"methods\": {\"svc.a\": {\"numericTolerance\": [{\"path\": \"meta.version\", \"absolute\": 5}]}}}");
      DiffConfig user = DiffConfig.parse("{\"default\": {\"ignore\": [\"owner_id\"]}, \"methods\": {\"svc.a\": "
          + "{\"numericTolerance\": [{\"path\": \"meta.version\", \"absolute\": 0}]}}}");
      Wallet p = Wallet.newBuilder().setOwnerId("a").setMeta(RecordMeta.newBuilder().setVersion(3)).build();
      Wallet c = Wallet.newBuilder().setOwnerId("b").setMeta(RecordMeta.newBuilder().setVersion(4)).build();
      assertThat(MessageDiff.compare(p, c, shipped.rules("svc.a"))).extracting(Difference::path).containsExactly("owner_id");
      assertThat(MessageDiff.compare(p, c, shipped.merge(user).rules("svc.a")))
          .extracting(Difference::path).containsExactly("meta.version");
      assertThat(shipped.merge(user).methods()).containsExactly("svc.a");
    }

    @Test
    @DisplayName("an empty config has no rules")
    void empty() {
      assertThat(DiffConfig.parse("{}").defaults().isEmpty()).isTrue();
      assertThat(DiffConfig.empty().rules(ISSUE).isEmpty()).isTrue();
    }
  }

  @Nested
  @DisplayName("refusing bad input")
  class Refusing {

    @Test
    @DisplayName("malformed JSON")
    void malformed() {
      assertThatThrownBy(() -> DiffConfig.parse("{\"default\": ["))
          .hasMessageStartingWith("comparison rules are not a JSON object: ");
    }

    @Test
    @DisplayName("an unknown key, naming where and what is allowed")
    void unknownKey() {
      assertThatThrownBy(() -> DiffConfig.parse("{\"methods\": {\"svc.a\": {\"ignored\": []}}}"))
          .hasMessage("methods.\"svc.a\": unknown key \"ignored\" (expected one of [ids, ignore, numericTolerance, "
              + "timestampTolerance, unordered])");
      assertThatThrownBy(() -> DiffConfig.parse("{\"defaults\": {}}"))
          .hasMessage("unknown key \"defaults\" (expected one of [default, methods])");
    }

    @Test
    @DisplayName("a value of the wrong kind")
    void wrongKind() {
      assertThatThrownBy(() -> DiffConfig.parse("{\"default\": {\"ignore\": \"meta\"}}"))
          .hasMessage("default.ignore: expected a JSON array");
      assertThatThrownBy(() -> DiffConfig.parse("{\"default\": {\"numericTolerance\": [{\"absolute\": 1}]}}"))
          .hasMessage("default.numericTolerance: \"path\" is required");
    }

    @Test
    @DisplayName("a malformed pattern or tolerance")
    void malformedPatterns() {
      assertThatThrownBy(() -> DiffConfig.parse("{\"default\": {\"ignore\": [\"meta..x\"]}}"))
          .hasMessage("default: malformed field path pattern 'meta..x': use field names joined by '.', with * for one "
              + "name and ** for any number, e.g. 'meta.updated_at' or '**.created_at'");
      assertThatThrownBy(() -> DiffConfig.parse(
          "{\"default\": {\"timestampTolerance\": [{\"path\": \"**\", \"tolerance\": \"2 hours\"}]}}"))
          .hasMessage("default: malformed tolerance '2 hours': use a number and ms, s or m, e.g. '250ms' or '2s'");
    }

    @Test
    @DisplayName("subjects and paths that do not fit the contract, all at once")
    void checkedAgainstTheCatalog() {
      DiffConfig config = DiffConfig.parse("""
          {"methods": {"svc.util.payment.v1.charge": {"ignore": ["created_at", "creatd_at", "@status.message"]},
                       "svc.util.payment.v1.nope": {}}}""");
      assertThatThrownBy(() -> config.checkedAgainst(ServiceCatalog.load())).hasMessage("""
          comparison rules do not fit the contract:
            - methods."svc.util.payment.v1.charge": 'creatd_at' matches no field of util.payment.v1.Transaction
            - methods."svc.util.payment.v1.nope": no method of the catalog has this subject""");
    }
  }
}
