package io.natsharness.conformance.contract.kit;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the contract checks of one service, checking against the catalog as it goes: the method
 * must exist, an error check's code must be one the method documents (or DEADLINE_EXCEEDED, which
 * WIRE.md gives every method), behaviours are lower_snake_case, ids unique and descriptions not
 * blank. A check that drifts from the contract therefore fails to build instead of testing
 * something the contract never promised.
 *
 * <pre>{@code
 * List<Check> checks = ContractChecks.forService("payment")
 *     .behaviour("charge", "debits", "a charge takes its amount from the balance.", ctx -> ...)
 *     .error("charge", "insufficient_funds", Code.FAILED_PRECONDITION, "...", ctx -> ...)
 *     .build();
 * }</pre>
 */
public final class ContractChecks {

  private final ServiceInfo service;
  private final List<Check> checks = new ArrayList<>();
  private final Set<String> ids = new HashSet<>();

  private ContractChecks(ServiceInfo service) {
    this.service = service;
  }

  /**
   * Starts the checks of {@code serviceName}.
   *
   * @throws IllegalArgumentException when the catalog has no such service
   */
  public static ContractChecks forService(String serviceName) {
    return new ContractChecks(ServiceCatalog.load().service(serviceName).orElseThrow(
        () -> new IllegalArgumentException("the catalog has no service '" + serviceName + "'")));
  }

  /** Adds a check of a behaviour of {@code method}: {@code contract.<service>.<method>.<behaviour>}. */
  public ContractChecks behaviour(String method, String behaviour, String description, Check.Body body) {
    return add(method, behaviour, Optional.empty(), description, body);
  }

  /**
   * Adds a check that {@code method} answers {@code code} in the situation the check sets up.
   *
   * @throws IllegalArgumentException when the method does not document {@code code}
   */
  public ContractChecks error(String method, String behaviour, Code code, String description, Check.Body body) {
    MethodInfo info = method(method);
    if (!documents(info, code)) {
      throw new IllegalArgumentException(info.subject() + " does not document " + code + " (it documents "
          + info.errorCodes() + "): the check " + behaviour + " asks for something the contract never promised");
    }
    return add(method, behaviour, Optional.of(code), description, body);
  }

  public List<Check> build() {
    return List.copyOf(checks);
  }

  /** Whether {@code method} may answer {@code code}: a documented code, or an expired deadline. */
  static boolean documents(MethodInfo method, Code code) {
    return code == Code.DEADLINE_EXCEEDED || method.errorCodes().contains(code);
  }

  private ContractChecks add(String method, String behaviour, Optional<Code> code, String description,
      Check.Body body) {
    method(method);
    if (!behaviour.matches("[a-z0-9_]+")) {
      throw new IllegalArgumentException("behaviour '" + behaviour + "' must be lower_snake_case");
    }
    // Not "one sentence ending in '.'": the ai, game and infra checks' descriptions are phrases.
    if (description.isBlank()) {
      throw new IllegalArgumentException("the description of " + behaviour + " must not be blank");
    }
    String id = "contract." + service.name() + "." + method + "." + behaviour;
    if (!ids.add(id)) {
      throw new IllegalArgumentException("duplicate check id " + id);
    }
    checks.add(new ContractCheck(id, service.name(), method, code, description, body));
    return this;
  }

  private MethodInfo method(String name) {
    return service.method(name).orElseThrow(() -> new IllegalArgumentException(
        service.name() + " has no method '" + name + "' in the catalog"));
  }
}
