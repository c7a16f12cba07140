package io.natsharness.conformance.shadow.report;

import io.natsharness.proto.diff.DifferenceKind;
import java.util.List;
import java.util.Map;

/**
 * The differences of one method at one field (path without indices), over the run.
 *
 * @param field the field, e.g. {@code transactions.created_at} or {@code @status}
 * @param verdict regression or noise
 * @param candidateRequests requests on which the candidate differed from the primary here
 * @param candidateRate candidateRequests / compared requests
 * @param noiseRequests requests on which the primaries differed here
 * @param noiseRate noiseRequests / requests with a noise baseline
 * @param kinds the candidate's differences here, by kind
 * @param noiseKinds the primaries' differences here, by kind
 * @param regressions requests counted as mismatched because of this field
 * @param reason why the verdict, in words
 * @param samples a few requests with all answers
 */
public record FieldReport(String field, Verdict verdict, int candidateRequests, double candidateRate,
    int noiseRequests, double noiseRate, Map<DifferenceKind, Integer> kinds, Map<DifferenceKind, Integer> noiseKinds,
    int regressions, String reason, List<Sample> samples) {

  public FieldReport {
    kinds = Map.copyOf(kinds);
    noiseKinds = Map.copyOf(noiseKinds);
    samples = List.copyOf(samples);
  }
}
