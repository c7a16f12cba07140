package io.natsharness.services.ai.router;

import io.natsharness.proto.common.v1.Money;
import io.natsharness.services.game.kit.Checks;
import java.util.List;

/** The field rules of ai_router's requests, as its proto comments state them. */
final class RouterValidation {

  private RouterValidation() {}

  /** task, capabilities, max_cost and latency budget: shared by route, infer and set_policy. */
  static void constraints(String task, List<String> capabilities, String capabilitiesField,
      boolean hasMaxCost, Money maxCost, int latencyBudgetMs) {
    Checks.format("task", task, Checks.LOWER_64);
    for (int i = 0; i < capabilities.size(); i++) {
      Checks.required(capabilitiesField + "[" + i + "]", capabilities.get(i));
    }
    if (hasMaxCost) {
      Checks.atLeast("max_cost.minor_units", maxCost.getMinorUnits(), 0);
    }
    Checks.atLeast("latency_budget_ms", latencyBudgetMs, 0);
  }

  static void excludedModels(List<String> excluded) {
    for (int i = 0; i < excluded.size(); i++) {
      Checks.required("excluded_models[" + i + "]", excluded.get(i));
    }
  }
}
