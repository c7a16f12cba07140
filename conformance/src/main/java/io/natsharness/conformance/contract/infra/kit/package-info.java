/**
 * The small kit the ai, game and infra contract checks share: checks that know the method and
 * error code they are about ({@link io.natsharness.conformance.contract.infra.kit.ContractChecks}),
 * requests with exactly the headers of WIRE.md ({@link io.natsharness.conformance.contract.infra.kit.Rpc}),
 * streams read message by message ({@link io.natsharness.conformance.contract.infra.kit.OpenStream}),
 * events seen on their subjects ({@link io.natsharness.conformance.contract.infra.kit.EventSpy}) and
 * downstream hops seen by a non-queue subscriber ({@link io.natsharness.conformance.contract.infra.kit.HopSpy}).
 *
 * <p>Everything here speaks the wire only (NATS subjects, headers, protobuf bodies), so the checks
 * built on it hold for an implementation in any language. It lives under {@code contract.infra}
 * only because that folder is this kit's author's; nothing in it is specific to the infra domain.
 */
package io.natsharness.conformance.contract.infra.kit;
