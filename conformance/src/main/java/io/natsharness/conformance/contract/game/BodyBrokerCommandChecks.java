package io.natsharness.conformance.contract.game;

import static io.natsharness.conformance.contract.game.BodyBrokerChecks.broker;
import static io.natsharness.conformance.contract.game.BodyBrokerChecks.close;
import static io.natsharness.conformance.contract.game.BodyBrokerChecks.open;
import static io.natsharness.conformance.contract.game.BodyBrokerChecks.push;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Breaker;
import io.natsharness.conformance.contract.kit.Call;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.OpenStream;
import io.natsharness.conformance.wire.WireReply;
import io.natsharness.proto.game.bodybroker.v1.Command;
import io.natsharness.proto.game.bodybroker.v1.PullCommandsRequest;
import io.natsharness.proto.game.bodybroker.v1.PullCommandsResponse;
import io.natsharness.proto.game.bodybroker.v1.PushStateResponse;
import io.natsharness.proto.game.bodybroker.v1.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * body_broker_integration's pull_commands: commands the backend queues from game events (world
 * changes in the session's region, the player's completed quests), their order and ids,
 * acknowledgement by after_sequence, heartbeats, the end when the session closes, and the errors.
 * The commands are caused through world_state's and quest_system's own methods.
 *
 * <pre>{@code
 * ContractChecks checks = ContractChecks.forService("body_broker_integration");
 * BodyBrokerCommandChecks.add(checks);
 * }</pre>
 */
final class BodyBrokerCommandChecks {

  /** How long a command may take from the game event to the session's queue. */
  private static final Duration QUEUEING = Duration.ofSeconds(8);

  private BodyBrokerCommandChecks() {}

  static void add(ContractChecks checks) {
    checks
        .behaviour("pull_commands", "sync_entity_commands", "a world change in the region of the session's last"
            + " snapshot queues SYNC_ENTITY commands numbered 1, 2, … with id session_id:sequence, streamed in"
            + " order; closing the session ends the stream with the end marker",
            BodyBrokerCommandChecks::syncEntityCommands)
        .behaviour("pull_commands", "notify_on_quest_completed", "the completion of one of the player's quests"
            + " queues a NOTIFY command with a title and a text", BodyBrokerCommandChecks::notifyOnQuestCompleted)
        .behaviour("pull_commands", "acknowledges_by_after_sequence", "pull_commands drops the commands up to"
            + " after_sequence and streams only the later ones", BodyBrokerCommandChecks::acknowledges)
        .behaviour("pull_commands", "heartbeats_until_deadline", "a session without commands gets empty"
            + " heartbeat messages every heartbeat_interval_ms and the end marker near the request's deadline",
            BodyBrokerCommandChecks::heartbeats)
        .error("pull_commands", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a pull past its"
            + " deadline ends with DEADLINE_EXCEEDED and acknowledges nothing", ctx -> {
              Session session = broker(ctx).ok("open_session", open(ctx));
              String region = Names.id(ctx, "r");
              broker(ctx).ok("push_state", push(session.getSessionId(), 1, region));
              WorldStateChecks.world(ctx).ok("put_entity", WorldStateChecks.entity(ctx, region, "npc"));
              long next = awaitPending(ctx, session, region, 2, 1);
              broker(ctx).call("pull_commands").expiredDeadline().streamFails(request(session, 1),
                  Code.DEADLINE_EXCEEDED);
              assertThat(broker(ctx).<PushStateResponse>ok("push_state", push(session.getSessionId(), next, region))
                  .getPendingCommands()).as("pending_commands after the expired pull").isEqualTo(1);
            })
        .error("pull_commands", "after_sequence_out_of_range", Code.OUT_OF_RANGE, "an after_sequence above the"
            + " last sequence queued ends the stream with OUT_OF_RANGE", ctx -> {
              Session session = broker(ctx).ok("open_session", open(ctx));
              pullCall(ctx).streamFails(PullCommandsRequest.newBuilder().setSessionId(session.getSessionId())
                  .setAfterSequence(1).build(), Code.OUT_OF_RANGE);
            })
        .error("pull_commands", "unknown_or_closed", Code.NOT_FOUND, "pulling from an unknown or closed session"
            + " ends the stream with NOT_FOUND", ctx -> {
              Session session = broker(ctx).ok("open_session", open(ctx));
              broker(ctx).ok("close_session", close(session.getSessionId()));
              for (String id : List.of(session.getSessionId(), Names.derived("ses-", 16, ctx.unique("x")))) {
                pullCall(ctx).streamFails(PullCommandsRequest.newBuilder().setSessionId(id).build(),
                    Code.NOT_FOUND);
              }
            })
        .error("pull_commands", "invalid_request", Code.INVALID_ARGUMENT, "an empty session_id, an after_sequence"
            + " < 0 or a heartbeat_interval_ms neither 0 nor in [100, 60000] ends the stream with"
            + " INVALID_ARGUMENT", ctx -> {
              Session session = broker(ctx).ok("open_session", open(ctx));
              PullCommandsRequest valid = PullCommandsRequest.newBuilder().setSessionId(session.getSessionId()).build();
              for (Breaker<PullCommandsRequest.Builder> breaker : List.<Breaker<PullCommandsRequest.Builder>>of(
                  Breaker.of("session_id", b -> b.setSessionId("")),
                  Breaker.of("after_sequence", b -> b.setAfterSequence(-1)),
                  Breaker.of("heartbeat_interval_ms", b -> b.setHeartbeatIntervalMs(99)),
                  Breaker.of("heartbeat_interval_ms", b -> b.setHeartbeatIntervalMs(60_001)))) {
                pullCall(ctx).streamFailsOn(breaker.apply(valid.toBuilder()), breaker.field());
              }
            });
  }

  /** A pull_commands call with a 3 s deadline, for requests that must fail at once. */
  private static Call pullCall(CheckContext ctx) {
    return broker(ctx).call("pull_commands").deadline(Instant.now().plusSeconds(3));
  }

  private static PullCommandsRequest request(Session session, long afterSequence) {
    return PullCommandsRequest.newBuilder().setSessionId(session.getSessionId()).setAfterSequence(afterSequence)
        .setHeartbeatIntervalMs(200).build();
  }

  /** Reads stream messages until {@code count} commands arrived or {@link #QUEUEING} passed. */
  private static List<Command> awaitCommands(OpenStream stream, int count) {
    List<Command> commands = new ArrayList<>();
    long end = System.nanoTime() + QUEUEING.toNanos();
    while (commands.size() < count && System.nanoTime() < end) {
      Optional<WireReply> next = stream.next(Duration.ofMillis(Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      if (next.isEmpty() || stream.ended()) {
        break;
      }
      try {
        commands.addAll(PullCommandsResponse.parseFrom(next.get().body()).getCommandsList());
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("a pull_commands message is not a PullCommandsResponse", e);
      }
    }
    return commands;
  }

  private static void syncEntityCommands(CheckContext ctx) {
    Session session = broker(ctx).ok("open_session", open(ctx));
    String region = Names.id(ctx, "r");
    broker(ctx).ok("push_state", push(session.getSessionId(), 1, region));
    try (OpenStream stream = broker(ctx).call("pull_commands").deadline(Instant.now().plus(QUEUEING).plusSeconds(2))
        .open(request(session, 0))) {
      var first = WorldStateChecks.entity(ctx, region, "npc");
      var second = WorldStateChecks.entity(ctx, region, "item");
      WorldStateChecks.world(ctx).ok("put_entity", first);
      WorldStateChecks.world(ctx).ok("put_entity", second);
      List<Command> commands = awaitCommands(stream, 2);
      assertThat(commands).as("commands queued for two entities created in the session's region").hasSize(2);
      for (int i = 0; i < 2; i++) {
        Command command = commands.get(i);
        assertThat(command.getSequence()).as("sequence of command %d", i + 1).isEqualTo(i + 1);
        assertThat(command.getCommandId()).as("command_id").isEqualTo(session.getSessionId() + ":" + (i + 1));
        assertThat(command.getSessionId()).as("session_id of the command").isEqualTo(session.getSessionId());
        assertThat(command.getKind()).as("kind").isEqualTo("SYNC_ENTITY");
        assertThat(command.getArgsMap()).as("args of command %d", i + 1)
            .containsEntry("entity_id", (i == 0 ? first : second).getEntityId())
            .containsEntry("change_type", "CREATED");
      }
      Session closed = broker(ctx).ok("close_session", close(session.getSessionId()));
      assertThat(closed.getLastCommandSequence()).as("last_command_sequence").isEqualTo(2);
      List<PullCommandsResponse> messages = stream.readToEnd(Duration.ofSeconds(3)).chunks();
      assertThat(messages).as("stream messages").isNotEmpty();
    }
  }

  private static void notifyOnQuestCompleted(CheckContext ctx) {
    Player player = Player.accepted(ctx, 1);
    Session session = broker(ctx).ok("open_session", open(ctx).toBuilder().setPlayerId(player.id()).build());
    try (OpenStream stream = broker(ctx).call("pull_commands").deadline(Instant.now().plus(QUEUEING).plusSeconds(1))
        .open(request(session, 0))) {
      player.report("o1", 3);
      List<Command> commands = awaitCommands(stream, 1);
      assertThat(commands).as("commands queued for the player's completed quest").hasSize(1);
      assertThat(commands.get(0).getKind()).as("kind").isEqualTo("NOTIFY");
      assertThat(commands.get(0).getArgsMap()).as("args").containsKeys("title", "text");
      assertThat(commands.get(0).getArgsOrThrow("text")).as("args.text").isNotBlank();
      broker(ctx).ok("close_session", close(session.getSessionId()));
    }
  }

  private static void acknowledges(CheckContext ctx) {
    Session session = broker(ctx).ok("open_session", open(ctx));
    String region = Names.id(ctx, "r");
    broker(ctx).ok("push_state", push(session.getSessionId(), 1, region));
    WorldStateChecks.world(ctx).ok("put_entity", WorldStateChecks.entity(ctx, region, "npc"));
    var second = WorldStateChecks.entity(ctx, region, "npc");
    WorldStateChecks.world(ctx).ok("put_entity", second);
    long sequence = awaitPending(ctx, session, region, 2, 2);
    List<Command> later = new ArrayList<>();
    broker(ctx).call("pull_commands").deadline(Instant.now().plusMillis(800))
        .stream(request(session, 1), Duration.ofSeconds(3)).<PullCommandsResponse>chunks()
        .forEach(m -> later.addAll(m.getCommandsList()));
    assertThat(later).as("commands after after_sequence 1").extracting(Command::getSequence).containsExactly(2L);
    assertThat(later.get(0).getArgsMap()).as("args of command 2").containsEntry("entity_id", second.getEntityId());
    PushStateResponse after = broker(ctx).ok("push_state", push(session.getSessionId(), sequence, region));
    assertThat(after.getPendingCommands()).as("pending_commands after acknowledging 1").isEqualTo(1);
  }

  /**
   * Pushes snapshots (sequence {@code from}, {@code from + 1}, …) until the session reports
   * {@code pending} commands, at most for {@link #QUEUEING}; returns the next free sequence.
   */
  private static long awaitPending(CheckContext ctx, Session session, String region, long from, int pending) {
    long sequence = from;
    long end = System.nanoTime() + QUEUEING.toNanos();
    int now = 0;
    while (now < pending && System.nanoTime() < end) {
      now = broker(ctx).<PushStateResponse>ok("push_state", push(session.getSessionId(), sequence++, region))
          .getPendingCommands();
      if (now < pending) {
        sleep(100);
      }
    }
    assertThat(now).as("pending_commands after %d change(s) in the session's region", pending).isEqualTo(pending);
    return sequence;
  }

  private static void heartbeats(CheckContext ctx) {
    Session session = broker(ctx).ok("open_session", open(ctx));
    Instant deadline = Instant.now().plusMillis(1200);
    List<PullCommandsResponse> messages = broker(ctx).call("pull_commands").deadline(deadline)
        .stream(request(session, 0).toBuilder().setHeartbeatIntervalMs(100).build(), Duration.ofSeconds(3)).chunks();
    assertThat(Instant.now()).as("end of the stream, near its deadline %s", deadline)
        .isBetween(deadline.minusMillis(400), deadline.plusSeconds(1));
    assertThat(messages).as("heartbeats of 1.2 s at 100 ms").hasSizeGreaterThanOrEqualTo(4)
        .allSatisfy(m -> assertThat(m.getCommandsList()).as("commands of a heartbeat").isEmpty());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted");
    }
  }
}
