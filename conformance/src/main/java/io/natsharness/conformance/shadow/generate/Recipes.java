package io.natsharness.conformance.shadow.generate;

import java.util.Map;
import java.util.Optional;

/**
 * The recipes of the reference contract, by catalog service name. The list of services comes
 * from the catalog; a recipe only says how to reach valid state for its service, which the
 * descriptors cannot tell (a wallet must exist before a charge). A catalog service without a
 * recipe still gets requests, filled from its descriptors.
 */
final class Recipes {

  private static final Map<String, Recipe> BY_SERVICE = Map.ofEntries(
      Map.entry("ai_integration", AiRecipes::aiIntegration),
      Map.entry("model_management", AiRecipes::modelManagement),
      Map.entry("ai_router", AiRecipes::aiRouter),
      Map.entry("story_teller", ContentRecipes::storyTeller),
      Map.entry("environmental_narrative", ContentRecipes::environmentalNarrative),
      Map.entry("language_system", ContentRecipes::languageSystem),
      Map.entry("knowledge_base", ContentRecipes::knowledgeBase),
      Map.entry("quest_system", GameRecipes::questSystem),
      Map.entry("npc_behavior", GameRecipes::npcBehavior),
      Map.entry("world_state", GameRecipes::worldState),
      Map.entry("body_broker_integration", GameRecipes::bodyBroker),
      Map.entry("router", InfraRecipes::router),
      Map.entry("event_bus", InfraRecipes::eventBus),
      Map.entry("orchestration", InfraRecipes::orchestration),
      Map.entry("auth", InfraRecipes::auth),
      Map.entry("capability_registry", InfraRecipes::capabilityRegistry),
      Map.entry("payment", UtilRecipes::payment),
      Map.entry("performance_mode", UtilRecipes::performanceMode),
      Map.entry("settings", UtilRecipes::settings),
      Map.entry("state_manager", UtilRecipes::stateManager),
      Map.entry("time_manager", UtilRecipes::timeManager),
      Map.entry("weather_manager", UtilRecipes::weather));

  /**
   * Services whose scenarios run before the others, in this order: time_manager sets the clock's
   * scale that weather and descriptions read.
   */
  static final java.util.List<String> FIRST = java.util.List.of("time_manager");

  private Recipes() {}

  static Optional<Recipe> of(String service) {
    return Optional.ofNullable(BY_SERVICE.get(service));
  }

  static java.util.Set<String> services() {
    return BY_SERVICE.keySet();
  }
}
