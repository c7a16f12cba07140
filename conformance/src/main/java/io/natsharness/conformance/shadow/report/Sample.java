package io.natsharness.conformance.shadow.report;

import io.natsharness.proto.diff.Difference;

/**
 * One request with what each side answered, kept as an example of a field's differences. The
 * request and answers are JSON documents (see {@code AnswerJson.write}).
 *
 * @param requestId the Nh-Request-Id
 * @param step the step or traffic record it came from
 * @param request the primary's request as proto3 JSON
 * @param primary the primary's answer
 * @param secondary the noise baseline's answer, when measured
 * @param candidate the candidate's answer
 * @param difference the difference at the field
 */
public record Sample(String requestId, String step, String request, String primary, java.util.Optional<String> secondary,
    String candidate, Difference difference) {

  public Sample {
    java.util.Objects.requireNonNull(secondary, "secondary");
    java.util.Objects.requireNonNull(difference, "difference");
  }
}
