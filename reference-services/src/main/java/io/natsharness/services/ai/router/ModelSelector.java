package io.natsharness.services.ai.router;

import io.natsharness.proto.ai.models.v1.Model;
import io.natsharness.proto.ai.router.v1.RouteRequest;
import io.natsharness.proto.ai.router.v1.RoutingPolicy;
import io.natsharness.proto.common.v1.Money;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The routing rule of ai_router, pure: merge the request's constraints with the task's policy,
 * keep the models that satisfy all of them, order cheapest first, then by name, then version.
 *
 * <p>Cost limits: each limit that is set (minor_units > 0) admits only models priced in its
 * currency at or below it, so "the smaller of the limits" holds within one currency and two limits
 * in different currencies admit nothing. With no limit, only USD-priced models fit (the proto's
 * "USD when no max_cost is set"). A limit with an empty currency counts as USD.
 *
 * <pre>{@code
 * ModelSelector.Constraints c = ModelSelector.constraints(request, policy);
 * List<Model> ranked = ModelSelector.rank(activeModels, c); // first = the choice
 * }</pre>
 */
final class ModelSelector {

  static final String DEFAULT_CURRENCY = "USD";

  /** The effective constraints of one route. */
  record Constraints(Set<String> capabilities, List<Money> costLimits, int latencyBudgetMs,
      Set<String> excludedModels) {}

  private static final Comparator<Model> PREFERENCE = Comparator
      .comparingLong((Model m) -> m.getCostPer1KTokens().getMinorUnits())
      .thenComparing(Model::getName)
      .thenComparing(Model::getVersion);

  private ModelSelector() {}

  static Constraints constraints(RouteRequest request, Optional<RoutingPolicy> policy) {
    Set<String> capabilities = new LinkedHashSet<>(request.getRequiredCapabilitiesList());
    List<Money> limits = new ArrayList<>();
    addLimit(limits, request.hasMaxCost(), request.getMaxCost());
    int latency = request.getLatencyBudgetMs();
    Set<String> excluded = new LinkedHashSet<>();
    if (policy.isPresent()) {
      RoutingPolicy p = policy.get();
      capabilities.addAll(p.getRequiredCapabilitiesList());
      addLimit(limits, p.hasMaxCost(), p.getMaxCost());
      latency = smallerLimit(latency, p.getLatencyBudgetMs());
      excluded.addAll(p.getExcludedModelsList());
    }
    return new Constraints(capabilities, limits, latency, excluded);
  }

  /** The fitting models, best first. */
  static List<Model> rank(List<Model> models, Constraints c) {
    return models.stream().filter(m -> fits(m, c)).sorted(PREFERENCE).toList();
  }

  static boolean fits(Model m, Constraints c) {
    if (c.excludedModels().contains(m.getName())) {
      return false;
    }
    if (!m.getCapabilitiesList().containsAll(c.capabilities())) {
      return false;
    }
    if (c.latencyBudgetMs() > 0 && m.getLatencyMs() > c.latencyBudgetMs()) {
      return false;
    }
    Money cost = m.getCostPer1KTokens();
    if (c.costLimits().isEmpty()) {
      return cost.getCurrency().equals(DEFAULT_CURRENCY);
    }
    return c.costLimits().stream().allMatch(limit ->
        cost.getCurrency().equals(limit.getCurrency()) && cost.getMinorUnits() <= limit.getMinorUnits());
  }

  private static void addLimit(List<Money> limits, boolean present, Money limit) {
    if (present && limit.getMinorUnits() > 0) {
      limits.add(limit.getCurrency().isEmpty() ? limit.toBuilder().setCurrency(DEFAULT_CURRENCY).build() : limit);
    }
  }

  private static int smallerLimit(int a, int b) {
    if (a <= 0) {
      return Math.max(b, 0);
    }
    return b <= 0 ? a : Math.min(a, b);
  }
}
