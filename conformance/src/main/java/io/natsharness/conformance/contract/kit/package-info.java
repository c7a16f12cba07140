/**
 * The kit every contract check is built on: checks that know the method and error code they are
 * about ({@link io.natsharness.conformance.contract.kit.ContractChecks}), requests with exactly the
 * headers of WIRE.md ({@link io.natsharness.conformance.contract.kit.Rpc},
 * {@link io.natsharness.conformance.contract.kit.Call}), bad requests that must name their field
 * ({@link io.natsharness.conformance.contract.kit.Breaker}, {@link io.natsharness.conformance.contract.kit.Bad}),
 * streams read message by message ({@link io.natsharness.conformance.contract.kit.OpenStream}),
 * events seen on their subjects ({@link io.natsharness.conformance.contract.kit.EventSpy}) and
 * downstream hops seen by a non-queue subscriber ({@link io.natsharness.conformance.contract.kit.HopSpy}).
 *
 * <p>Everything here speaks the wire only (NATS subjects, headers, protobuf bodies), so the checks
 * built on it hold for an implementation in any language. The one exception is
 * {@link io.natsharness.conformance.contract.kit.Rpc#async}, which goes through the SDK's client
 * for the checks that fire concurrent calls.
 *
 * <pre>{@code
 * List<Check> checks = ContractChecks.forService("payment")
 *     .error("charge", "not_found", Code.NOT_FOUND, "charging an unknown wallet is NOT_FOUND.",
 *         ctx -> Rpc.of(ctx, "payment").fails("charge", request, Code.NOT_FOUND))
 *     .build();
 * }</pre>
 */
package io.natsharness.conformance.contract.kit;
