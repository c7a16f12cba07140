package io.natsharness.conformance.contract;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.contract.kit.ContractCheck;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a registry's contract checks leave uncovered of the catalog, for the registry tests: the
 * documented error codes no check provokes, and the methods with side effects that no check sends
 * an expired deadline.
 *
 * <pre>{@code
 * List<ContractCheck> checks = ContractCoverage.contractChecks(ContentUtilContracts.checks());
 * ContractCoverage.uncheckedErrorCodes(ContentUtilContracts.services(), checks);   // ["state_manager.load DATA_LOSS"]
 * }</pre>
 */
final class ContractCoverage {

  private static final ServiceCatalog CATALOG = ServiceCatalog.load();

  private ContractCoverage() {}

  static List<ContractCheck> contractChecks(List<Check> checks) {
    return checks.stream().map(ContractCheck.class::cast).toList();
  }

  /** The documented codes of the methods of {@code services} that no check provokes, as "service.method CODE". */
  static Set<String> uncheckedErrorCodes(Collection<String> services, List<ContractCheck> checks) {
    Set<String> checked = checks.stream().filter(c -> c.errorCode().isPresent())
        .map(c -> c.service() + "." + c.method() + " " + c.errorCode().get()).collect(Collectors.toSet());
    Set<String> unchecked = new TreeSet<>();
    for (String service : services) {
      for (MethodInfo method : CATALOG.service(service).orElseThrow().methods()) {
        method.errorCodes().stream().map(code -> service + "." + method.name() + " " + code)
            .filter(key -> !checked.contains(key)).forEach(unchecked::add);
      }
    }
    return unchecked;
  }

  /** The methods of {@code services} with side effects that no check sends an expired deadline, as "service.method". */
  static Set<String> mutatingWithoutDeadlineCheck(Collection<String> services, List<ContractCheck> checks) {
    Set<String> covered = checks.stream().filter(c -> c.errorCode().equals(Optional.of(Code.DEADLINE_EXCEEDED)))
        .map(c -> c.service() + "." + c.method()).collect(Collectors.toSet());
    return services.stream().flatMap(s -> CATALOG.service(s).orElseThrow().methods().stream())
        .filter(m -> !m.hasNoSideEffects()).map(m -> m.service() + "." + m.name())
        .filter(m -> !covered.contains(m)).collect(Collectors.toCollection(TreeSet::new));
  }
}
