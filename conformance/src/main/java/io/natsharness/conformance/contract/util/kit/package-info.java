/**
 * What the contract checks of the content and util services share: checks that know their method
 * and error code ({@link io.natsharness.conformance.contract.util.kit.ContractChecks}), calls that
 * speak only the wire ({@link io.natsharness.conformance.contract.util.kit.Wire}), and spies on
 * event subjects and downstream hops ({@link io.natsharness.conformance.contract.util.kit.EventSpy},
 * {@link io.natsharness.conformance.contract.util.kit.HopSpy}).
 *
 * <pre>{@code
 * List<Check> checks = ContractChecks.forService("payment")
 *     .error("charge", "not_found", Code.NOT_FOUND, "charging an unknown wallet is NOT_FOUND.",
 *         ctx -> Wire.of(ctx, "payment").error("charge", request, Code.NOT_FOUND))
 *     .build();
 * }</pre>
 */
package io.natsharness.conformance.contract.util.kit;
