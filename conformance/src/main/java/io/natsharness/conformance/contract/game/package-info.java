/**
 * Contract checks of the game domain: quest_system, npc_behavior, world_state and
 * body_broker_integration, one class per service with a static {@code checks()} (streams and
 * progress in helper classes), listed by {@link io.natsharness.conformance.contract.AiGameInfraContracts}.
 *
 * <p>Choices where the contract leaves room: decide's scores are compared exactly with the
 * utility function of npc_behavior.proto reproduced term by term (the proto fixes IEEE double,
 * left to right). A stream that runs "until the deadline" may end up to 400 ms before it, so that
 * its end marker reaches the caller in time. body_broker_integration's commands are caused through
 * world_state and quest_system (the kinds the proto documents, SYNC_ENTITY and NOTIFY), so those
 * services must run in the target too; commands may take up to 8 s to be queued.
 *
 * <pre>{@code
 * List<Check> checks = WorldStateChecks.checks();
 * }</pre>
 */
package io.natsharness.conformance.contract.game;
