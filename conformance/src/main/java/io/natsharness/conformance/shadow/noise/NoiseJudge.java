package io.natsharness.conformance.shadow.noise;

import io.natsharness.conformance.shadow.report.FieldReport;
import io.natsharness.conformance.shadow.report.MethodReport;
import io.natsharness.conformance.shadow.report.Observation;
import io.natsharness.conformance.shadow.report.Sample;
import io.natsharness.conformance.shadow.report.Verdict;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.diff.AnswerJson;
import io.natsharness.proto.diff.Difference;
import io.natsharness.proto.diff.DifferenceKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides, per method and field, whether the candidate's differences are regressions or noise,
 * from the same requests' primary-versus-primary differences (Diffy's idea, with protobuf fields).
 *
 * <p>A candidate difference at a field is <em>explained</em> when the primaries also differ at
 * that field somewhere in the run, with the same kind of difference, and (for a VALUE) the
 * candidate's value stays inside the primaries' {@link Envelope}: a number or timestamp no more
 * than {@value Envelope#NUMERIC_FACTOR} times further from the primary than the primaries ever are
 * from each other, a string of the primaries' lengths, alphabet and literal prefix. A field is a
 * REGRESSION when any of its differences is unexplained, or when the candidate differs there
 * clearly more often than the primaries do: the 95% Wilson interval of its rate lies wholly above
 * that of the primaries'. Otherwise it is NOISE. A request is mismatched when it has an
 * unexplained difference, or any difference at a field flagged by its rate.
 *
 * <pre>{@code
 * MethodReport report = NoiseJudge.judge(method, observations, 0.0, 3);
 * report.regressions(); // fields the candidate broke
 * }</pre>
 */
public final class NoiseJudge {

  private NoiseJudge() {}

  /**
   * Judges the observations of one method.
   *
   * @param threshold the highest mismatch rate that passes
   * @param samplesPerField how many example requests to keep per field
   */
  public static MethodReport judge(MethodInfo method, List<Observation> observations, double threshold,
      int samplesPerField) {
    int compared = observations.size();
    int measured = (int) observations.stream().filter(o -> o.noise().isPresent()).count();
    Map<String, FieldStats> fields = new TreeMap<>();
    for (int i = 0; i < observations.size(); i++) {
      Observation o = observations.get(i);
      for (Difference d : o.differences()) {
        fields.computeIfAbsent(d.field(), FieldStats::new).candidate(i, d);
      }
      if (o.noise().isPresent()) {
        for (Difference d : o.noise().get()) {
          fields.computeIfAbsent(d.field(), FieldStats::new).noise(i, d);
        }
      }
    }
    Set<Integer> mismatched = new HashSet<>();
    List<FieldReport> reports = new ArrayList<>();
    for (FieldStats f : fields.values()) {
      reports.add(f.judge(observations, compared, measured, mismatched, samplesPerField));
    }
    reports.sort(Comparator.comparing((FieldReport r) -> r.verdict() != Verdict.REGRESSION)
        .thenComparing(FieldReport::field));
    double rate = compared == 0 ? 0 : (double) mismatched.size() / compared;
    List<String> notes = new ArrayList<>();
    if (measured < compared) {
      notes.add(measured == 0 ? "noise not measured: every difference counts"
          : "noise measured on " + measured + " of " + compared + " requests");
    }
    return new MethodReport(method.service(), method.name(), method.subject(), compared, measured,
        mismatched.size(), rate, threshold, rate <= threshold, reports, notes);
  }

  /** What one field saw: the candidate's differences by request, and the primaries'. */
  private static final class FieldStats {
    private final String field;
    private final Map<Integer, List<Difference>> candidate = new LinkedHashMap<>();
    private final Set<Integer> noiseRequests = new HashSet<>();
    private final Map<DifferenceKind, Integer> noiseKinds = new EnumMap<>(DifferenceKind.class);
    private final Envelope envelope = new Envelope();

    FieldStats(String field) {
      this.field = field;
    }

    void candidate(int request, Difference d) {
      candidate.computeIfAbsent(request, k -> new ArrayList<>()).add(d);
    }

    void noise(int request, Difference d) {
      noiseRequests.add(request);
      noiseKinds.merge(d.kind(), 1, Integer::sum);
      if (d.kind() == DifferenceKind.VALUE) {
        envelope.widen(d);
      }
    }

    FieldReport judge(List<Observation> observations, int compared, int measured, Set<Integer> mismatched,
        int samplesPerField) {
      Map<DifferenceKind, Integer> kinds = new EnumMap<>(DifferenceKind.class);
      List<Integer> unexplainedRequests = new ArrayList<>();
      String firstReason = null;
      for (Map.Entry<Integer, List<Difference>> e : candidate.entrySet()) {
        boolean unexplained = false;
        for (Difference d : e.getValue()) {
          kinds.merge(d.kind(), 1, Integer::sum);
          String why = unexplained(d, measured);
          if (why != null) {
            unexplained = true;
            firstReason = firstReason == null ? why : firstReason;
          }
        }
        if (unexplained) {
          unexplainedRequests.add(e.getKey());
        }
      }
      int c = candidate.size();
      int p = noiseRequests.size();
      boolean byRate = measured > 0 && c > 0 && Wilson.lower(c, compared) > Wilson.upper(p, measured);
      List<Integer> regressions = byRate ? new ArrayList<>(candidate.keySet()) : unexplainedRequests;
      mismatched.addAll(regressions);
      Verdict verdict = regressions.isEmpty() ? Verdict.NOISE : Verdict.REGRESSION;
      String reason;
      if (verdict == Verdict.NOISE) {
        reason = c == 0 ? "only the primaries differ here"
            : "the primaries differ here too (" + p + " of " + measured + " requests), in the same way";
      } else if (firstReason != null) {
        reason = firstReason;
      } else {
        reason = "the candidate differs here on " + c + " of " + compared + " requests, the primaries on " + p
            + " of " + measured + ": clearly more often (95% Wilson intervals apart)";
      }
      List<Sample> samples = new ArrayList<>();
      List<Integer> sampled = verdict == Verdict.REGRESSION ? regressions
          : new ArrayList<>(candidate.isEmpty() ? noiseRequests.stream().sorted().toList() : candidate.keySet());
      for (int request : sampled) {
        if (samples.size() >= samplesPerField) {
          break;
        }
        samples.add(sample(observations.get(request), candidate.getOrDefault(request, List.of())));
      }
      return new FieldReport(field, verdict, c, compared == 0 ? 0 : (double) c / compared, p,
          measured == 0 ? 0 : (double) p / measured, kinds, noiseKinds, regressions.size(), reason, samples);
    }

    /** Null when the primaries explain the difference, else why they do not. */
    private String unexplained(Difference d, int measured) {
      if (measured == 0) {
        return "noise not measured for this method";
      }
      if (noiseRequests.isEmpty()) {
        return "the primaries never differ here";
      }
      if (!noiseKinds.containsKey(d.kind())) {
        return "the candidate's difference is " + d.kind() + ", the primaries' only " + noiseKinds.keySet();
      }
      return d.kind() == DifferenceKind.VALUE ? envelope.outside(d) : null;
    }

    private Sample sample(Observation o, List<Difference> diffs) {
      // a noise-only field is shown by the primaries' difference there, which made it a field at all
      Difference shown = diffs.isEmpty()
          ? o.noise().orElse(List.of()).stream().filter(d -> d.field().equals(field)).findFirst()
              .orElseThrow(() -> new IllegalStateException("no difference at " + field + " in " + o.requestId()))
          : diffs.get(0);
      return new Sample(o.requestId(), o.step(), o.request(), AnswerJson.write(o.primary()),
          o.secondary().map(AnswerJson::write), AnswerJson.write(o.candidate()), shown);
    }
  }
}
