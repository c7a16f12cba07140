package io.natsharness.services.ai.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.natsharness.proto.ai.models.v1.Model;
import io.natsharness.proto.ai.router.v1.RouteRequest;
import io.natsharness.proto.ai.router.v1.RoutingPolicy;
import io.natsharness.proto.common.v1.Money;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ModelSelector")
class ModelSelectorTest {

  private static Model model(String name, String currency, long cost, int latency, String... caps) {
    return Model.newBuilder().setName(name).setVersion("1").addAllCapabilities(List.of(caps)).setLatencyMs(latency)
        .setCostPer1KTokens(Money.newBuilder().setCurrency(currency).setMinorUnits(cost)).build();
  }

  private static Money money(String currency, long units) {
    return Money.newBuilder().setCurrency(currency).setMinorUnits(units).build();
  }

  private static final List<Model> MODELS = List.of(
      model("a", "USD", 5, 100, "chat"), model("b", "USD", 2, 300, "chat", "code"), model("c", "EUR", 1, 10, "chat"));

  @Test
  @DisplayName("keeps the smaller of two limits in one currency")
  void smallerLimit() {
    var c = ModelSelector.constraints(RouteRequest.newBuilder().setMaxCost(money("USD", 10)).build(),
        Optional.of(RoutingPolicy.newBuilder().setMaxCost(money("USD", 3)).build()));

    assertThat(ModelSelector.rank(MODELS, c)).extracting(Model::getName).containsExactly("b");
  }

  @Test
  @DisplayName("admits nothing when the limits name different currencies")
  void twoCurrencies() {
    var c = ModelSelector.constraints(RouteRequest.newBuilder().setMaxCost(money("USD", 10)).build(),
        Optional.of(RoutingPolicy.newBuilder().setMaxCost(money("EUR", 10)).build()));

    assertThat(ModelSelector.rank(MODELS, c)).isEmpty();
  }

  @Test
  @DisplayName("treats a limit of 0 minor units as no limit, comparing in USD")
  void zeroIsUnset() {
    var c = ModelSelector.constraints(RouteRequest.newBuilder().setMaxCost(money("EUR", 0)).build(), Optional.empty());

    assertThat(ModelSelector.rank(MODELS, c)).extracting(Model::getName).containsExactly("b", "a");
  }

  @Test
  @DisplayName("merges capabilities, latency and exclusions of the policy")
  void policy() {
    var c = ModelSelector.constraints(RouteRequest.newBuilder().addRequiredCapabilities("chat").setLatencyBudgetMs(500).build(),
        Optional.of(RoutingPolicy.newBuilder().addRequiredCapabilities("code").setLatencyBudgetMs(200).build()));

    assertThat(ModelSelector.rank(MODELS, c)).isEmpty();
    assertThat(c.capabilities()).containsExactly("chat", "code");
    assertThat(c.latencyBudgetMs()).isEqualTo(200);
  }
}
