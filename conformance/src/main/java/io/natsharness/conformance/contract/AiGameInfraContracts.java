package io.natsharness.conformance.contract;

import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.contract.ai.AiIntegrationChecks;
import io.natsharness.conformance.contract.ai.AiRouterChecks;
import io.natsharness.conformance.contract.ai.ModelManagementChecks;
import io.natsharness.conformance.contract.game.BodyBrokerChecks;
import io.natsharness.conformance.contract.game.NpcBehaviorChecks;
import io.natsharness.conformance.contract.game.QuestSystemChecks;
import io.natsharness.conformance.contract.game.WorldStateChecks;
import io.natsharness.conformance.contract.infra.AuthChecks;
import io.natsharness.conformance.contract.infra.CapabilityRegistryChecks;
import io.natsharness.conformance.contract.infra.EventBusChecks;
import io.natsharness.conformance.contract.infra.OrchestrationChecks;
import io.natsharness.conformance.contract.infra.RouterChecks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The contract checks of the ai, game and infra services, by service: what each service's
 * SERVICES.md row and proto comments promise, observed over the wire only.
 *
 * <pre>{@code
 * List<Check> checks = AiGameInfraContracts.checks(Set.of("auth"));   // contract.auth.*
 * }</pre>
 */
public final class AiGameInfraContracts {

  private static final Map<String, Supplier<List<Check>>> BY_SERVICE = byService();

  private AiGameInfraContracts() {}

  /** The services these checks cover. */
  public static Set<String> services() {
    return BY_SERVICE.keySet();
  }

  /**
   * The services a target must run for every one of these checks to apply: the covered ones, and
   * payment, which orchestration's purchase_item charges and refunds.
   */
  public static Set<String> servicesCalled() {
    Set<String> all = new LinkedHashSet<>(BY_SERVICE.keySet());
    all.add("payment");
    return Collections.unmodifiableSet(all);
  }

  /** The checks of {@code services} that these checks cover (all of them when empty). */
  public static List<Check> checks(Set<String> services) {
    List<Check> checks = new ArrayList<>();
    BY_SERVICE.forEach((service, supplier) -> {
      if (services.isEmpty() || services.contains(service)) {
        checks.addAll(supplier.get());
      }
    });
    return checks;
  }

  /**
   * The documented error codes that no check provokes, as {@code "<service>.<method> <CODE>"}, with
   * the reason: each needs a fault that a check cannot cause through the service's own methods.
   */
  public static Map<String, String> errorCodesNotChecked() {
    return Map.of(
        "ai_router.route UNAVAILABLE", "needs model_management to stop answering while ai_router runs",
        "ai_router.infer UNAVAILABLE", "needs model_management or ai_integration to stop answering while"
            + " ai_router runs",
        "event_bus.publish RESOURCE_EXHAUSTED", "needs the domain's stream to reach its limits; filling a stream"
            + " that may be a shared deployment's is not a check");
  }

  /** Every check of every covered service. */
  public static List<Check> checks() {
    return checks(Set.of());
  }

  private static Map<String, Supplier<List<Check>>> byService() {
    Map<String, Supplier<List<Check>>> map = new LinkedHashMap<>();
    map.put("ai_integration", AiIntegrationChecks::checks);
    map.put("model_management", ModelManagementChecks::checks);
    map.put("ai_router", AiRouterChecks::checks);
    map.put("quest_system", QuestSystemChecks::checks);
    map.put("npc_behavior", NpcBehaviorChecks::checks);
    map.put("world_state", WorldStateChecks::checks);
    map.put("body_broker_integration", BodyBrokerChecks::checks);
    map.put("router", RouterChecks::checks);
    map.put("event_bus", EventBusChecks::checks);
    map.put("orchestration", OrchestrationChecks::checks);
    map.put("auth", AuthChecks::checks);
    map.put("capability_registry", CapabilityRegistryChecks::checks);
    return Collections.unmodifiableMap(map);
  }
}
