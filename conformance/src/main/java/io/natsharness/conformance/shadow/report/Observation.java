package io.natsharness.conformance.shadow.report;

import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.diff.Answer;
import io.natsharness.proto.diff.Difference;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One request as every side answered it, with the differences found: what a report is made of.
 * The gateway's SHADOW mode can make these from live traffic (without a secondary).
 *
 * @param method the method called
 * @param step the step's name in its scenario, or the record's position in a traffic file
 * @param requestId the Nh-Request-Id every side got
 * @param request the primary's request as proto3 JSON
 * @param primary the primary's answer
 * @param secondary the noise baseline's answer (a second primary, or the primary again), when measured
 * @param candidate the candidate's answer
 * @param differences candidate against primary
 * @param noise secondary against primary, when measured
 */
public record Observation(MethodInfo method, String step, String requestId, String request, Answer primary,
    Optional<Answer> secondary, Answer candidate, List<Difference> differences, Optional<List<Difference>> noise) {

  public Observation {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(candidate, "candidate");
    differences = List.copyOf(differences);
    noise = noise.map(List::copyOf);
  }
}
