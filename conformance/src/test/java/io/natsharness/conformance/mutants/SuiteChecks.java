package io.natsharness.conformance.mutants;

import io.natsharness.conformance.ConformanceSuite;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.contract.AiGameInfraContracts;
import io.natsharness.conformance.contract.ContentUtilContracts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks the suite holds one service to: {@link ConformanceSuite#checks} and the contract
 * checks of both registries. Whether the suite already includes the contract checks or not, each
 * check counts once (by id), so the selection is the whole suite for that service either way.
 *
 * <pre>{@code
 * List<Check> payment = SuiteChecks.forService("payment");
 * }</pre>
 */
final class SuiteChecks {

  private SuiteChecks() {}

  static List<Check> forService(String service) {
    Map<String, Check> byId = new LinkedHashMap<>();
    Set<String> one = Set.of(service);
    ConformanceSuite.checks(one).forEach(c -> byId.putIfAbsent(c.id(), c));
    AiGameInfraContracts.checks(one).forEach(c -> byId.putIfAbsent(c.id(), c));
    ContentUtilContracts.checks(one).forEach(c -> byId.putIfAbsent(c.id(), c));
    return List.copyOf(byId.values());
  }
}
