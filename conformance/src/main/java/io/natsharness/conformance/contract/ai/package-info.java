/**
 * Contract checks of the ai domain: ai_integration, model_management and ai_router, one class per
 * service with a static {@code checks()} (ai_router's policies in a helper class), listed by
 * {@link io.natsharness.conformance.contract.AiGameInfraContracts}.
 *
 * <p>Choices where the contract leaves room: the checks never change the status of the seeded
 * models (a shared deployment's routing depends on them); models they register carry a
 * capability unique to the run, so a route or a list sees only them. To route to a model that
 * ai_integration really serves, they register another version of atlas-small (served by name)
 * with such a capability, priced above the seeds so that nobody else's request picks it.
 *
 * <pre>{@code
 * List<Check> checks = AiRouterChecks.checks();
 * }</pre>
 */
package io.natsharness.conformance.contract.ai;
