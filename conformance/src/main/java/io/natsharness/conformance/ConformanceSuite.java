package io.natsharness.conformance;

import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.contract.AiGameInfraContracts;
import io.natsharness.conformance.contract.ContentUtilContracts;
import io.natsharness.conformance.runner.CheckRunner;
import io.natsharness.conformance.runner.RunResult;
import io.natsharness.conformance.target.Target;
import io.natsharness.conformance.target.TargetContext;
import io.natsharness.conformance.wire.WireChecks;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The conformance suite: every wire and contract check of the catalog, run against one target.
 *
 * <pre>{@code
 * try (Target target = ExternalTarget.connect("nats://staging:4222", Optional.empty())) {
 *   RunResult result = ConformanceSuite.run(target, Set.of("payment"), CheckRunner.builder().build());
 *   System.out.println(result.summary());   // "96 checks, 96 passed"
 * }
 * }</pre>
 */
public final class ConformanceSuite {

  public static final String NAME = "conformance";

  private ConformanceSuite() {}

  /**
   * Every check of the suite for the given services (all services when empty), in catalog order:
   * for each service its wire checks (WIRE.md, generated from the catalog), then its contract
   * checks (SERVICES.md and the proto comments). A contract check of a service that calls another
   * (ai_router, story_teller, environmental_narrative, orchestration) needs that one running too.
   */
  public static List<Check> checks(Set<String> services) {
    ServiceCatalog catalog = ServiceCatalog.load();
    List<Check> checks = new ArrayList<>();
    for (var service : catalog.services()) {
      if (services.isEmpty() || services.contains(service.name())) {
        checks.addAll(WireChecks.forService(service));
        Set<String> one = Set.of(service.name());
        if (AiGameInfraContracts.services().contains(service.name())) {
          checks.addAll(AiGameInfraContracts.checks(one));
        }
        if (ContentUtilContracts.services().contains(service.name())) {
          checks.addAll(ContentUtilContracts.checks(one));
        }
      }
    }
    return checks;
  }

  /** Runs the suite's checks for {@code services} against {@code target}. */
  public static RunResult run(Target target, Set<String> services, CheckRunner runner) {
    String runId = Long.toString(System.currentTimeMillis(), 36);
    try (TargetContext context = new TargetContext(target, runId, Duration.ofSeconds(5))) {
      return runner.run(NAME, target.description(), checks(services), context);
    }
  }
}
