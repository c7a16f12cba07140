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
import io.natsharness.conformance.contract.kit.ChecksByService;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contract checks of the ai, game and infra services, by service: what each service's
 * SERVICES.md row and proto comments promise, observed over the wire only.
 *
 * <pre>{@code
 * List<Check> checks = AiGameInfraContracts.checks(Set.of("auth"));   // contract.auth.*
 * }</pre>
 */
public final class AiGameInfraContracts {

  private static final ChecksByService BY_SERVICE = ChecksByService.builder()
      .withService("ai_integration", AiIntegrationChecks::checks)
      .withService("model_management", ModelManagementChecks::checks)
      .withService("ai_router", AiRouterChecks::checks)
      .withService("quest_system", QuestSystemChecks::checks)
      .withService("npc_behavior", NpcBehaviorChecks::checks)
      .withService("world_state", WorldStateChecks::checks)
      .withService("body_broker_integration", BodyBrokerChecks::checks)
      .withService("router", RouterChecks::checks)
      .withService("event_bus", EventBusChecks::checks)
      .withService("orchestration", OrchestrationChecks::checks)
      .withService("auth", AuthChecks::checks)
      .withService("capability_registry", CapabilityRegistryChecks::checks)
      .build();

  private AiGameInfraContracts() {}

  /** The services these checks cover. */
  public static Set<String> services() {
    return BY_SERVICE.services();
  }

  /**
   * The services a target must run for every one of these checks to apply: the covered ones, and
   * payment, which orchestration's purchase_item charges and refunds.
   */
  public static Set<String> servicesCalled() {
    Set<String> all = new LinkedHashSet<>(BY_SERVICE.services());
    all.add("payment");
    return Collections.unmodifiableSet(all);
  }

  /** The checks of {@code services} that these checks cover (all of them when empty). */
  public static List<Check> checks(Set<String> services) {
    return BY_SERVICE.checks(services);
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
}
