package io.natsharness.conformance;

import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckSkipped;
import io.natsharness.conformance.runner.KnownFailures;
import io.natsharness.conformance.target.Target;
import io.natsharness.conformance.target.TargetContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * The plain JUnit entry point of the conformance suite: its checks as dynamic tests, one container
 * per service, so a team runs the suite in its own build and IDE.
 *
 * <pre>{@code
 * @NatsHarnessTest(implementation = "reference")
 * class OurServicesConform {
 *   @TestFactory
 *   Stream<DynamicNode> conformance(HarnessRuntimeInfo info) throws Exception {
 *     Target target = ExternalTarget.connect(info.natsUrl(), Optional.empty());
 *     return ConformanceTests.dynamicTests(target, Set.of("payment"), KnownFailures.none());
 *   }
 * }
 * }</pre>
 *
 * A listed known failure that fails is reported as aborted (skipped), one that passes fails.
 */
public final class ConformanceTests {

  private ConformanceTests() {}

  public static Stream<DynamicNode> dynamicTests(Target target, Set<String> services, KnownFailures known) {
    TargetContext context = new TargetContext(target, Long.toString(System.currentTimeMillis(), 36),
        Duration.ofSeconds(5));
    Map<String, List<Check>> byService = new LinkedHashMap<>();
    for (Check check : ConformanceSuite.checks(services)) {
      byService.computeIfAbsent(check.service(), s -> new java.util.ArrayList<>()).add(check);
    }
    return byService.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(),
        e.getValue().stream().map(check -> DynamicTest.dynamicTest(check.id(), () -> run(check, context, known)))));
  }

  private static void run(Check check, TargetContext context, KnownFailures known) throws Exception {
    Optional<String> reason = known.reason(check.id());
    try {
      check.run(context);
    } catch (CheckSkipped skipped) {
      Assumptions.abort(skipped.getMessage());
    } catch (Exception | AssertionError failure) {
      if (reason.isPresent()) {
        Assumptions.abort("known failure (" + reason.get() + "): " + failure.getMessage());
      }
      throw failure;
    }
    if (reason.isPresent()) {
      Assertions.fail(check.id() + " is listed as a known failure (" + reason.get()
          + ") but passed: remove it from the list");
    }
  }
}
