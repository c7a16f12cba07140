/**
 * Contract checks of the util services (time_manager, weather_manager, settings, payment,
 * performance_mode, state_manager): one public class per service with a static {@code checks()},
 * listed by {@link io.natsharness.conformance.contract.ContentUtilContracts}.
 *
 * <p>Choices where the contract left room, so the checks hold on a shared deployment and for an
 * implementation in any language:
 * <ul>
 *   <li>State is set up through the services' own methods only, with ids from
 *       {@code ctx.unique(..)}; writes that cannot be made unique (time_manager's clock, which only
 *       has the world "default" for sure) are undone after each check.</li>
 *   <li>settings picks its keys from what {@code list} declares, never from a known catalogue,
 *       and writes only at PLAYER scope for run-unique players; a check that needs a kind of key
 *       the catalogue does not declare is skipped, not failed.</li>
 *   <li>Timing is read from the answers' own {@code real_time}, so the time checks compare game
 *       time with the real instants the service says it computed for, not with the caller's
 *       clock.</li>
 *   <li>Events are counted in distinct {@code Nats-Msg-Id}s, which must end with the event id the
 *       proto gives (a deployment may prefix its namespace, as the reference does).</li>
 *   <li>DATA_LOSS of state_manager.load is the one documented code no wire check can provoke.</li>
 * </ul>
 *
 * <pre>{@code
 * List<Check> checks = PaymentChecks.checks();   // contract.payment.*
 * }</pre>
 */
package io.natsharness.conformance.contract.util;
