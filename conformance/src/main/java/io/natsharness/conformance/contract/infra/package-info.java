/**
 * Contract checks of the infra domain: router, event_bus, orchestration, auth and
 * capability_registry, one class per service with a static {@code checks()}, listed by
 * {@link io.natsharness.conformance.contract.AiGameInfraContracts}. They are built on the kit all
 * contract checks share, {@link io.natsharness.conformance.contract.kit}.
 *
 * <p>Choices where the contract leaves room: route modes are shared state that a gateway obeys, so
 * the mode checks change only router's own get_route_mode route (a pure read, on which SHADOW is
 * safe) and put it back. event_bus checks publish to {@code evt.infra.<run-unique>.v1.*}, never to a
 * real service's topic. orchestration's step calls run in the background and may outlive the
 * request, so its hop check asks for the caller's trace id and the documented Idempotency-Key, not
 * for a deadline no later than the caller's (ai_router's hops are held to both). Expiries judged by
 * the service's clock (leases, tokens) are waited for with a bounded poll, so a small clock
 * difference with an external deployment does not fail a check.
 *
 * <pre>{@code
 * List<Check> checks = OrchestrationChecks.checks();   // the target must run payment and quest_system
 * }</pre>
 */
package io.natsharness.conformance.contract.infra;
