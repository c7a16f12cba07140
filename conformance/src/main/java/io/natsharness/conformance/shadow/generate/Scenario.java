package io.natsharness.conformance.shadow.generate;

import java.util.List;

/**
 * The steps that exercise one service, in order: setup through the services' own methods first
 * (create a wallet before charging it), then every method of the service.
 *
 * <pre>{@code
 * Scenario payment = RequestGenerators.create().scenario("payment", 42, "nh");
 * payment.steps().get(0).method().subject(); // "svc.util.payment.v1.create_wallet"
 * }</pre>
 *
 * @param service the catalog service the scenario is about
 * @param seed the seed its values came from
 * @param steps the calls, in order
 */
public record Scenario(String service, long seed, List<Step> steps) {

  public Scenario {
    steps = List.copyOf(steps);
  }
}
