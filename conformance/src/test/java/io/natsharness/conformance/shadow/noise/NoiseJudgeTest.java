package io.natsharness.conformance.shadow.noise;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.natsharness.conformance.shadow.report.FieldReport;
import io.natsharness.conformance.shadow.report.MethodReport;
import io.natsharness.conformance.shadow.report.Observation;
import io.natsharness.conformance.shadow.report.Verdict;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.diff.Answer;
import io.natsharness.proto.diff.DiffRules;
import io.natsharness.proto.diff.MessageDiff;
import io.natsharness.proto.infra.auth.v1.IssueTokenResponse;
import io.natsharness.proto.infra.auth.v1.TokenClaims;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("NoiseJudge")
class NoiseJudgeTest {

  private static final MethodInfo ISSUE = ServiceCatalog.load().method("svc.infra.auth.v1.issue_token").orElseThrow();

  /** A token answer: id, subject and issue time as given. */
  private static IssueTokenResponse token(String id, String subject, long issuedAtMillis) {
    return IssueTokenResponse.newBuilder().setToken("eyJhbGciOiJIUzI1NiJ9." + id).setClaims(TokenClaims.newBuilder()
        .setTokenId(id).setSubject(subject).setIssuedAt(Timestamp.newBuilder().setSeconds(issuedAtMillis / 1000)
            .setNanos((int) (issuedAtMillis % 1000) * 1_000_000))).build();
  }

  private static Observation observe(int i, IssueTokenResponse p, IssueTokenResponse s, IssueTokenResponse c) {
    Answer pa = Answer.of(p);
    Answer sa = Answer.of(s);
    Answer ca = Answer.of(c);
    return new Observation(ISSUE, "issue", "req-" + i, "{}", pa, Optional.of(sa), ca,
        MessageDiff.compare(ISSUE, pa, ca, DiffRules.none()), Optional.of(MessageDiff.compare(ISSUE, pa, sa, DiffRules.none())));
  }

  /** Ten requests where ids and times differ between every side, as generated ones do. */
  private static List<Observation> noisy(java.util.function.IntFunction<IssueTokenResponse> candidate) {
    List<Observation> out = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      long t = 1_700_000_000_000L + i * 60_000L;
      out.add(observe(i, token(String.format("tok-%032x", 1000 + i), "ann", t),
          token(String.format("tok-%032x", 2000 + i * 7), "ann", t + 3 + i % 4), candidate.apply(i)));
    }
    return out;
  }

  private static IssueTokenResponse goodCandidate(int i) {
    return token(String.format("tok-%032x", 5000 + i * 13), "ann", 1_700_000_000_000L + i * 60_000L + 5);
  }

  private static FieldReport field(MethodReport m, String name) {
    return m.fields().stream().filter(f -> f.field().equals(name)).findFirst().orElseThrow(
        () -> new AssertionError("no field " + name + " in " + m.fields().stream().map(FieldReport::field).toList()));
  }

  @Nested
  @DisplayName("noise")
  class Noise {

    @Test
    @DisplayName("generated ids and clocks that differ between primaries too are noise, not regressions")
    void noiseIsNotARegression() {
      MethodReport m = NoiseJudge.judge(ISSUE, noisy(NoiseJudgeTest::goodCandidate), 0, 3);
      assertThat(m.passed()).isTrue();
      assertThat(m.mismatched()).isZero();
      assertThat(m.regressions()).isEmpty();
      assertThat(field(m, "claims.token_id").verdict()).isEqualTo(Verdict.NOISE);
      assertThat(field(m, "claims.issued_at").verdict()).isEqualTo(Verdict.NOISE);
      assertThat(field(m, "token").verdict()).isEqualTo(Verdict.NOISE);
      assertThat(field(m, "claims.token_id").candidateRequests()).isEqualTo(10);
      assertThat(field(m, "claims.token_id").noiseRequests()).isEqualTo(10);
    }
  }

  @Nested
  @DisplayName("regressions")
  class Regressions {

    @Test
    @DisplayName("a field the primaries always agree on is a regression the first time the candidate differs")
    void deterministicField() {
      MethodReport m = NoiseJudge.judge(ISSUE, noisy(i -> i == 4
          ? goodCandidate(i).toBuilder().setClaims(goodCandidate(i).getClaims().toBuilder().setSubject("bob")).build()
          : goodCandidate(i)), 0, 3);
      assertThat(m.passed()).isFalse();
      assertThat(m.mismatched()).isEqualTo(1);
      assertThat(m.mismatchRate()).isEqualTo(0.1);
      assertThat(m.regressions()).extracting(FieldReport::field).containsExactly("claims.subject");
      FieldReport subject = m.regressions().get(0);
      assertThat(subject.reason()).isEqualTo("the primaries never differ here");
      assertThat(subject.samples()).hasSize(1);
      assertThat(subject.samples().get(0).requestId()).isEqualTo("req-4");
      assertThat(subject.samples().get(0).difference().toString()).isEqualTo("VALUE claims.subject: \"ann\" -> \"bob\"");
      assertThat(subject.samples().get(0).candidate()).contains("\"subject\":\"bob\"");
    }

    @Test
    @DisplayName("a threshold lets a method pass with a few mismatches")
    void threshold() {
      List<Observation> obs = noisy(i -> i == 4
          ? goodCandidate(i).toBuilder().setClaims(goodCandidate(i).getClaims().toBuilder().setSubject("bob")).build()
          : goodCandidate(i));
      assertThat(NoiseJudge.judge(ISSUE, obs, 0.1, 3).passed()).isTrue();
      assertThat(NoiseJudge.judge(ISSUE, obs, 0.09, 3).passed()).isFalse();
    }

    @Test
    @DisplayName("a noisy clock moved far beyond the primaries' spread is a regression")
    void clockBroken() {
      MethodReport m = NoiseJudge.judge(ISSUE, noisy(i -> token(String.format("tok-%032x", 5000 + i),
          "ann", 1_700_000_000_000L + i * 60_000L + (i == 2 ? 86_400_000L : 5))), 0, 3);
      assertThat(m.regressions()).extracting(FieldReport::field).containsExactly("claims.issued_at");
      assertThat(m.regressions().get(0).reason()).isEqualTo(
          "the candidate is 86400000 away from the primary, the primaries at most 6");
      assertThat(m.mismatched()).isEqualTo(1);
      assertThat(field(m, "claims.token_id").verdict()).isEqualTo(Verdict.NOISE);
    }

    @Test
    @DisplayName("a noisy id of another shape is a regression")
    void idShapeBroken() {
      MethodReport m = NoiseJudge.judge(ISSUE, noisy(i -> goodCandidate(i).toBuilder().setClaims(goodCandidate(i)
          .getClaims().toBuilder().setTokenId("token-" + i)).build()), 0, 3);
      assertThat(m.regressions()).extracting(FieldReport::field).containsExactly("claims.token_id");
      assertThat(m.regressions().get(0).reason()).isEqualTo(
          "the candidate's value has 7 characters, the primaries' 36");
      assertThat(m.mismatched()).isEqualTo(10);
    }

    @Test
    @DisplayName("a noisy field the candidate drops is a regression: the primaries never drop it")
    void droppedField() {
      MethodReport m = NoiseJudge.judge(ISSUE, noisy(i -> goodCandidate(i).toBuilder().setClaims(goodCandidate(i)
          .getClaims().toBuilder().clearIssuedAt()).build()), 0, 3);
      assertThat(m.regressions()).extracting(FieldReport::field).containsExactly("claims.issued_at");
      assertThat(m.regressions().get(0).reason()).isEqualTo("the candidate's difference is MISSING, the primaries' only [VALUE]");
    }

    @Test
    @DisplayName("a field the candidate breaks clearly more often than the primaries differ is a regression by rate")
    void byRate() {
      List<Observation> obs = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        // primaries disagree on the subject once in 40 requests; the candidate on every one, in the same way
        IssueTokenResponse p = token("tok-1", i % 2 == 0 ? "ann" : "amy", 1000);
        IssueTokenResponse s = token("tok-1", i == 0 ? (i % 2 == 0 ? "amy" : "ann") : p.getClaims().getSubject(), 1000);
        IssueTokenResponse c = token("tok-1", i % 2 == 0 ? "amy" : "ann", 1000);
        obs.add(observe(i, p, s, c));
      }
      MethodReport m = NoiseJudge.judge(ISSUE, obs, 0, 3);
      assertThat(m.regressions()).extracting(FieldReport::field).containsExactly("claims.subject");
      assertThat(m.regressions().get(0).reason()).isEqualTo("the candidate differs here on 40 of 40 requests, the "
          + "primaries on 1 of 40: clearly more often (95% Wilson intervals apart)");
      assertThat(m.mismatched()).isEqualTo(40);
    }

    @Test
    @DisplayName("without a noise baseline every difference counts, and the report says so")
    void noBaseline() {
      List<Observation> obs = new ArrayList<>();
      for (Observation o : noisy(NoiseJudgeTest::goodCandidate)) {
        obs.add(new Observation(o.method(), o.step(), o.requestId(), o.request(), o.primary(), Optional.empty(),
            o.candidate(), o.differences(), Optional.empty()));
      }
      MethodReport m = NoiseJudge.judge(ISSUE, obs, 0, 3);
      assertThat(m.notes()).containsExactly("noise not measured: every difference counts");
      assertThat(m.regressions()).extracting(FieldReport::reason).containsOnly("noise not measured for this method");
    }
  }

  @Test
  @DisplayName("Wilson intervals are honest for small and extreme counts")
  void wilson() {
    assertThat(Wilson.lower(0, 10)).isZero();
    assertThat(Wilson.upper(10, 10)).isEqualTo(1.0);
    assertThat(Wilson.upper(0, 3)).isBetween(0.56, 0.57);
    assertThat(Wilson.lower(3, 3)).isBetween(0.43, 0.44);
    assertThat(Wilson.lower(0, 0)).isZero();
    assertThat(Wilson.upper(0, 0)).isEqualTo(1.0);
  }
}
