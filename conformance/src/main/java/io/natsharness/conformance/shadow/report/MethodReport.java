package io.natsharness.conformance.shadow.report;

import java.util.List;

/**
 * One method over the run: how many requests, how many mismatched (at least one regression), the
 * rate against its threshold, and its fields.
 *
 * @param service catalog service
 * @param method method name ({@code charge})
 * @param subject NATS subject, the method's id in configuration
 * @param compared requests answered by primary and candidate
 * @param noiseMeasured of those, requests with a noise baseline
 * @param mismatched requests with at least one regression
 * @param mismatchRate mismatched / compared (0 when nothing was compared)
 * @param threshold the highest mismatch rate that passes
 * @param passed whether mismatchRate <= threshold
 * @param fields fields with regressions first, then noise, each by name
 * @param notes things to know (noise not measured, requests not sent)
 */
public record MethodReport(String service, String method, String subject, int compared, int noiseMeasured,
    int mismatched, double mismatchRate, double threshold, boolean passed, List<FieldReport> fields,
    List<String> notes) {

  public MethodReport {
    fields = List.copyOf(fields);
    notes = List.copyOf(notes);
  }

  /** The check id the runner's selection and known-failure lists use: {@code shadow.<service>.<method>}. */
  public String checkId() {
    return "shadow." + service + "." + method;
  }

  public List<FieldReport> regressions() {
    return fields.stream().filter(f -> f.verdict() == Verdict.REGRESSION).toList();
  }
}
