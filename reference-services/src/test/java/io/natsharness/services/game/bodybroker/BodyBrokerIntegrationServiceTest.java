package io.natsharness.services.game.bodybroker;

import static io.natsharness.services.game.kit.Rpc.expect;
import static io.natsharness.services.game.kit.Rpc.expectInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import io.nats.client.Connection;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.harness.NatsHarnessTest;
import io.natsharness.proto.game.bodybroker.v1.CloseReason;
import io.natsharness.proto.game.bodybroker.v1.CloseSessionRequest;
import io.natsharness.proto.game.bodybroker.v1.Command;
import io.natsharness.proto.game.bodybroker.v1.OpenSessionRequest;
import io.natsharness.proto.game.bodybroker.v1.PullCommandsRequest;
import io.natsharness.proto.game.bodybroker.v1.PullCommandsResponse;
import io.natsharness.proto.game.bodybroker.v1.PushStateRequest;
import io.natsharness.proto.game.bodybroker.v1.PushStateResponse;
import io.natsharness.proto.game.bodybroker.v1.Session;
import io.natsharness.proto.game.bodybroker.v1.SessionClosed;
import io.natsharness.proto.game.bodybroker.v1.SessionOpened;
import io.natsharness.proto.game.bodybroker.v1.SessionState;
import io.natsharness.proto.game.bodybroker.v1.StateSnapshot;
import io.natsharness.proto.game.quests.v1.AcceptRequest;
import io.natsharness.proto.game.quests.v1.DefineQuestRequest;
import io.natsharness.proto.game.quests.v1.Objective;
import io.natsharness.proto.game.quests.v1.ReportProgressRequest;
import io.natsharness.proto.game.world.v1.PutEntityRequest;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.ResponseStream;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.services.game.kit.Concurrently;
import io.natsharness.services.game.kit.EventLog;
import io.natsharness.services.game.kit.HostedServices;
import io.natsharness.services.game.kit.OffsetClock;
import io.natsharness.services.game.kit.Rpc;
import io.natsharness.services.support.ServiceContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import io.natsharness.services.game.kit.DualStack;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@NatsHarnessTest
@DisplayName("body_broker_integration")
class BodyBrokerIntegrationServiceTest {

  private static final OffsetClock CLOCK = new OffsetClock();
  private static HostedServices hosted;
  private Rpc broker;
  private Rpc quests;
  private Rpc world;

  @BeforeAll
  static void start(HarnessRuntimeInfo info) {
    hosted = HostedServices.start(info, CLOCK, "quest_system", "world_state", "body_broker_integration");
  }

  @AfterAll
  static void stop() {
    hosted.close();
  }

  @BeforeEach
  void clients(RpcClient client) {
    broker = new Rpc(client, "body_broker_integration");
    quests = new Rpc(client, "quest_system");
    world = new Rpc(client, "world_state");
  }

  private Session open(String player, String client, String key) {
    return broker.callOnce("open_session", OpenSessionRequest.newBuilder().setPlayerId(player).setClientId(client)
        .setClientVersion("5.3.1").setPlatform("windows").build(), key);
  }

  private PushStateResponse push(String sessionId, long sequence, String region) {
    return broker.call("push_state", PushStateRequest.newBuilder().setSessionId(sessionId).setSequence(sequence)
        .setSnapshot(StateSnapshot.newBuilder().setRegion(region).putAttributes("hp", "9")).build());
  }

  private Session close(String sessionId) {
    return broker.call("close_session", CloseSessionRequest.newBuilder().setSessionId(sessionId).build());
  }

  private ResponseStream<PullCommandsResponse> pull(String sessionId, long after, int heartbeatMs, Duration timeout) {
    return broker.stream("pull_commands", PullCommandsRequest.newBuilder().setSessionId(sessionId)
        .setAfterSequence(after).setHeartbeatIntervalMs(heartbeatMs).build(), CallOptions.builder().timeout(timeout).build());
  }

  /** Reads a pull stream until {@code count} commands came (or it ends); returns them. */
  private static List<Command> commands(ResponseStream<PullCommandsResponse> stream, int count) {
    List<Command> out = new ArrayList<>();
    while (out.size() < count && stream.hasNext()) {
      out.addAll(stream.next().getCommandsList());
    }
    return out;
  }

  private void completeQuest(String player, String quest) {
    quests.call("define_quest", DefineQuestRequest.newBuilder().setQuestId(quest).setTitle("T")
        .addObjectives(Objective.newBuilder().setObjectiveId("o").setTargetCount(1)).build());
    quests.callOnce("accept", AcceptRequest.newBuilder().setPlayerId(player).setQuestId(quest).build(), "a-" + quest);
    quests.callOnce("report_progress", ReportProgressRequest.newBuilder().setPlayerId(player).setQuestId(quest)
        .setObjectiveId("o").setAmount(1).build(), "r-" + quest);
  }

  private static String expectedId(String player, String client, int n) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256")
        .digest((player + "\n" + client + "\n" + n).getBytes(StandardCharsets.UTF_8));
    return "ses-" + HexFormat.of().formatHex(digest).substring(0, 16);
  }

  @Nested
  @DisplayName("open_session")
  class Open {

    @Test
    @DisplayName("opens a session with the documented deterministic id and announces it")
    void opens(Connection nats) throws Exception {
      Session s = open("p-open", "pc-1", "k1");

      assertThat(s.getSessionId()).isEqualTo(expectedId("p-open", "pc-1", 0));
      assertThat(s.getState()).isEqualTo(SessionState.OPEN);
      assertThat(s.getLastStateSequence()).isZero();
      assertThat(s.getLastCommandSequence()).isZero();
      assertThat(s.getMeta().getVersion()).isEqualTo(1);
      assertThat(s.getClientVersion()).isEqualTo("5.3.1");
      assertThat(EventLog.read(nats, "body_broker_integration", "session_opened", hosted.prefix(), SessionOpened.parser()))
          .filteredOn(e -> e.payload().getSession().getPlayerId().equals("p-open"))
          .singleElement().satisfies(e -> assertThat(e.id()).isEqualTo("session_opened:" + s.getSessionId()));
    }

    @Test
    @DisplayName("returns the first session for a repeated Idempotency-Key and opens nothing")
    void idempotent() throws Exception {
      Session first = open("p-idem", "pc-1", "same");
      Session again = open("p-idem", "pc-1", "same");
      Session next = open("p-idem", "pc-1", "other");

      assertThat(again).isEqualTo(first);
      assertThat(next.getSessionId()).isEqualTo(expectedId("p-idem", "pc-1", 1));
    }

    @Test
    @DisplayName("closes the open session of the same player client as REPLACED")
    void replaces(Connection nats) throws Exception {
      Session old = open("p-repl", "pc-1", "k1");
      open("p-repl", "pc-1", "k2");

      expect(() -> push(old.getSessionId(), 1, "r"), Code.NOT_FOUND,
          "session " + old.getSessionId() + " not found (closed or unknown)");
      assertThat(EventLog.read(nats, "body_broker_integration", "session_closed", hosted.prefix(), SessionClosed.parser()))
          .filteredOn(e -> e.payload().getSessionId().equals(old.getSessionId()))
          .singleElement().satisfies(e -> assertThat(e.payload().getReason()).isEqualTo(CloseReason.REPLACED));
    }

    @Test
    @DisplayName("refuses a request without Idempotency-Key")
    void missingKey(Connection nats) throws Exception {
      var e = Rpc.rawFailure(nats, broker.method("open_session"),
          OpenSessionRequest.newBuilder().setPlayerId("p").setClientId("c").build());

      expectInvalid(() -> { throw e; }, "Idempotency-Key", "an Idempotency-Key header is required");
    }

    @Test
    @DisplayName("refuses a malformed client_id")
    void malformedClient() {
      expectInvalid(() -> open("p", "pc 1", "k"), "client_id", "must be 1-128 chars of [A-Za-z0-9_.:-], got 'pc 1'");
    }

    @Test
    @DisplayName("refuses a platform over 64 chars")
    void longPlatform() {
      expectInvalid(() -> broker.callOnce("open_session", OpenSessionRequest.newBuilder().setPlayerId("p").setClientId("c")
          .setPlatform("x".repeat(65)).build(), "k"), "platform", "must be at most 64 chars, got 65");
    }
  }

  @Nested
  @DisplayName("push_state")
  class Push {

    @Test
    @DisplayName("accepts strictly increasing sequences, starting anywhere")
    void increasing() {
      Session s = open("p-push", "pc-1", "k");

      PushStateResponse first = push(s.getSessionId(), 7, "r-push");
      PushStateResponse second = push(s.getSessionId(), 8, "r-push");

      assertThat(first.getAcceptedSequence()).isEqualTo(7);
      assertThat(second.getAcceptedSequence()).isEqualTo(8);
      assertThat(second.getPendingCommands()).isZero();
    }

    @Test
    @DisplayName("answers ABORTED for an equal or lower sequence and changes nothing")
    void stale() {
      Session s = open("p-stale", "pc-1", "k");
      push(s.getSessionId(), 5, "r-stale");

      expect(() -> push(s.getSessionId(), 5, "r-other"), Code.ABORTED,
          "sequence 5 of session " + s.getSessionId() + " is stale: the last accepted is 5");
      expect(() -> push(s.getSessionId(), 3, "r-other"), Code.ABORTED,
          "sequence 3 of session " + s.getSessionId() + " is stale: the last accepted is 5");
    }

    @Test
    @DisplayName("accepts exactly one of many concurrent pushes of the same sequence")
    void concurrentSameSequence() throws Exception {
      Session s = open("p-race", "pc-1", "k");

      Concurrently.Outcomes<PushStateResponse> outcomes = Concurrently.run(10, i -> push(s.getSessionId(), 1, "r-" + i));

      assertThat(outcomes.successes()).hasSize(1);
      assertThat(outcomes.failures()).hasSize(9).allSatisfy(e -> assertThat(e.code()).isEqualTo(Code.ABORTED));
    }

    @Test
    @DisplayName("refuses a sequence below 1")
    void sequence() {
      expectInvalid(() -> push("ses-x", 0, "r"), "sequence", "must be >= 1, got 0");
    }

    @Test
    @DisplayName("refuses a missing snapshot")
    void missingSnapshot() {
      expectInvalid(() -> broker.call("push_state", PushStateRequest.newBuilder().setSessionId("ses-x").setSequence(1).build()),
          "snapshot", "is required");
    }

    @Test
    @DisplayName("refuses a payload over 65536 bytes")
    void payload() {
      expectInvalid(() -> broker.call("push_state", PushStateRequest.newBuilder().setSessionId("ses-x").setSequence(1)
              .setSnapshot(StateSnapshot.newBuilder().setPayload(ByteString.copyFrom(new byte[65_537]))).build()),
          "snapshot.payload", "must be at most 65536 bytes, got 65537");
    }

    @Test
    @DisplayName("refuses more than 64 attributes")
    void attributes() {
      StateSnapshot.Builder snapshot = StateSnapshot.newBuilder();
      IntStream.range(0, 65).forEach(i -> snapshot.putAttributes("k" + i, "v"));

      expectInvalid(() -> broker.call("push_state", PushStateRequest.newBuilder().setSessionId("ses-x").setSequence(1)
          .setSnapshot(snapshot).build()), "snapshot.attributes", "must have at most 64 entries, got 65");
    }

    @Test
    @DisplayName("answers NOT_FOUND for an unknown session")
    void unknown() {
      expect(() -> push("ses-0000000000000000", 1, "r"), Code.NOT_FOUND,
          "session ses-0000000000000000 not found (closed or unknown)");
    }

    @Test
    @DisplayName("refuses an empty session_id")
    void empty() {
      expectInvalid(() -> push("", 1, "r"), "session_id", "is required");
    }
  }

  @Nested
  @DisplayName("pull_commands")
  class Pull {

    @Test
    @DisplayName("turns the player's quest completion into one NOTIFY on each of their sessions")
    void notify(RpcClient client) {
      Session pc = open("p-notify", "pc", "k1");
      Session console = open("p-notify", "ps5", "k2");

      completeQuest("p-notify", "bb-notify-quest");

      for (Session s : List.of(pc, console)) {
        try (ResponseStream<PullCommandsResponse> stream = pull(s.getSessionId(), 0, 100, Duration.ofSeconds(5))) {
          assertThat(commands(stream, 1)).singleElement().satisfies(c -> {
            assertThat(c.getKind()).isEqualTo("NOTIFY");
            assertThat(c.getSequence()).isEqualTo(1);
            assertThat(c.getCommandId()).isEqualTo(s.getSessionId() + ":1");
            assertThat(c.getSessionId()).isEqualTo(s.getSessionId());
            assertThat(c.getArgsMap()).isEqualTo(Map.of("title", "Quest completed",
                "text", "You completed the quest bb-notify-quest."));
          });
        }
      }
    }

    @Test
    @DisplayName("streams SYNC_ENTITY live for changes in the region of the last snapshot, in order")
    void syncLive() {
      Session s = open("p-sync", "pc", "k");
      push(s.getSessionId(), 1, "r-bb-sync");

      List<Command> got;
      try (ResponseStream<PullCommandsResponse> stream = pull(s.getSessionId(), 0, 100, Duration.ofSeconds(8))) {
        stream.next(); // a heartbeat: the stream is live
        world.call("put_entity", PutEntityRequest.newBuilder().setEntityId("bb-e1").setKind("npc").setRegion("r-bb-sync").build());
        world.call("put_entity", PutEntityRequest.newBuilder().setEntityId("bb-e2").setKind("npc").setRegion("r-bb-far").build());
        world.call("put_entity", PutEntityRequest.newBuilder().setEntityId("bb-e1").setKind("npc").setRegion("r-bb-away").build());
        got = commands(stream, 2);
      }

      assertThat(got).extracting(Command::getKind, c -> c.getArgsMap().get("entity_id"), c -> c.getArgsMap().get("change_type"))
          .containsExactly(org.assertj.core.groups.Tuple.tuple("SYNC_ENTITY", "bb-e1", "CREATED"),
              org.assertj.core.groups.Tuple.tuple("SYNC_ENTITY", "bb-e1", "UPDATED"));
      assertThat(got).extracting(Command::getSequence).containsExactly(1L, 2L);
    }

    @Test
    @DisplayName("drops the commands up to after_sequence and streams the rest")
    void acknowledges() {
      Session s = open("p-ack", "pc", "k");
      completeQuest("p-ack", "bb-ack-1");
      completeQuest("p-ack", "bb-ack-2");
      try (ResponseStream<PullCommandsResponse> stream = pull(s.getSessionId(), 0, 100, Duration.ofSeconds(5))) {
        assertThat(commands(stream, 2)).hasSize(2);
      }

      List<Command> rest;
      try (ResponseStream<PullCommandsResponse> stream = pull(s.getSessionId(), 1, 100, Duration.ofSeconds(1))) {
        rest = commands(stream, 5);
      }

      assertThat(rest).extracting(Command::getSequence).containsExactly(2L);
      assertThat(push(s.getSessionId(), 1, "r").getPendingCommands()).isEqualTo(1);
    }

    @Test
    @DisplayName("answers OUT_OF_RANGE for an after_sequence beyond the last queued command")
    void outOfRange() {
      Session s = open("p-oor", "pc", "k");

      expect(() -> commands(pull(s.getSessionId(), 5, 100, Duration.ofSeconds(2)), 1), Code.OUT_OF_RANGE,
          "after_sequence 5 is beyond the last queued command 0 of session " + s.getSessionId());
    }

    @Test
    @DisplayName("ends the stream normally when the session closes")
    void endsOnClose() {
      Session s = open("p-end", "pc", "k");
      long started = System.nanoTime();
      try (ResponseStream<PullCommandsResponse> stream = pull(s.getSessionId(), 0, 100, Duration.ofSeconds(20))) {
        stream.next();
        close(s.getSessionId());
        stream.forEachRemaining(m -> { });
      }

      assertThat((System.nanoTime() - started) / 1e9).isLessThan(5.0);
    }

    @Test
    @DisplayName("sends heartbeats and ends normally before the deadline")
    void heartbeatsUntilDeadline() {
      Session s = open("p-hb", "pc", "k");

      List<PullCommandsResponse> all = broker.collect("pull_commands", PullCommandsRequest.newBuilder()
          .setSessionId(s.getSessionId()).setHeartbeatIntervalMs(100).build(),
          CallOptions.builder().timeout(Duration.ofMillis(1200)).build());

      assertThat(all).hasSizeGreaterThanOrEqualTo(5).allSatisfy(m -> assertThat(m.getCommandsList()).isEmpty());
    }

    @Test
    @DisplayName("answers NOT_FOUND for an unknown session")
    void unknown() {
      expect(() -> broker.collect("pull_commands", PullCommandsRequest.newBuilder().setSessionId("ses-nope").build(),
          CallOptions.defaults()), Code.NOT_FOUND, "session ses-nope not found (closed or unknown)");
    }

    @Test
    @DisplayName("refuses a negative after_sequence")
    void negative() {
      expectInvalid(() -> broker.collect("pull_commands", PullCommandsRequest.newBuilder().setSessionId("s")
          .setAfterSequence(-1).build(), CallOptions.defaults()), "after_sequence", "must be >= 0, got -1");
    }

    @Test
    @DisplayName("refuses a heartbeat interval outside [100, 60000]")
    void heartbeat() {
      expectInvalid(() -> broker.collect("pull_commands", PullCommandsRequest.newBuilder().setSessionId("s")
          .setHeartbeatIntervalMs(70_000).build(), CallOptions.defaults()), "heartbeat_interval_ms",
          "must be 0 or in [100, 60000], got 70000");
    }
  }

  @Nested
  @DisplayName("close_session and expiry")
  class Close {

    @Test
    @DisplayName("closes as CLIENT_CLOSED, announces it, and is NOT_FOUND afterwards")
    void closes(Connection nats) throws Exception {
      Session s = open("p-close", "pc", "k");

      Session closed = close(s.getSessionId());

      assertThat(closed.getState()).isEqualTo(SessionState.CLOSED);
      assertThat(closed.getCloseReason()).isEqualTo(CloseReason.CLIENT_CLOSED);
      assertThat(closed.hasClosedAt()).isTrue();
      expect(() -> close(s.getSessionId()), Code.NOT_FOUND, "session " + s.getSessionId() + " not found (closed or unknown)");
      assertThat(EventLog.read(nats, "body_broker_integration", "session_closed", hosted.prefix(), SessionClosed.parser()))
          .filteredOn(e -> e.payload().getSessionId().equals(s.getSessionId()))
          .singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("session_closed:" + s.getSessionId());
            assertThat(e.payload()).isEqualTo(SessionClosed.newBuilder().setSessionId(s.getSessionId())
                .setPlayerId("p-close").setClientId("pc").setReason(CloseReason.CLIENT_CLOSED).build());
          });
    }

    @Test
    @DisplayName("refuses an empty session_id")
    void empty() {
      expectInvalid(() -> close(""), "session_id", "is required");
    }

    @Test
    @DisplayName("expires a session idle for 30 minutes, announcing EXPIRED")
    void expires(Connection nats) throws Exception {
      Session s = open("p-idle", "pc", "k");
      try {
        CLOCK.advance(Duration.ofMinutes(31));

        expect(() -> push(s.getSessionId(), 1, "r"), Code.NOT_FOUND,
            "session " + s.getSessionId() + " not found (closed or unknown)");
      } finally {
        CLOCK.reset();
      }
      assertThat(EventLog.read(nats, "body_broker_integration", "session_closed", hosted.prefix(), SessionClosed.parser()))
          .filteredOn(e -> e.payload().getSessionId().equals(s.getSessionId()))
          .singleElement().satisfies(e -> assertThat(e.payload().getReason()).isEqualTo(CloseReason.EXPIRED));
    }

    @Test
    @DisplayName("the sweep closes idle sessions nobody touches, announcing EXPIRED once")
    void sweep(Connection nats) throws Exception {
      Session idle = open("p-swept", "pc", "k");
      ServiceContext ctx = ServiceContext.of(nats, hosted.redisConnection(), hosted.prefix()).withClock(CLOCK);
      try {
        CLOCK.advance(Duration.ofMinutes(45));
        BodyBrokerIntegrationService sweeper = new BodyBrokerIntegrationService(ctx);
        sweeper.sweep();
        sweeper.sweep();
      } finally {
        CLOCK.reset();
        ctx.rpc().close();
      }

      expect(() -> push(idle.getSessionId(), 1, "r"), Code.NOT_FOUND,
          "session " + idle.getSessionId() + " not found (closed or unknown)");
      assertThat(EventLog.read(nats, "body_broker_integration", "session_closed", hosted.prefix(), SessionClosed.parser()))
          .filteredOn(e -> e.payload().getSessionId().equals(idle.getSessionId()))
          .singleElement().satisfies(e -> assertThat(e.payload().getReason()).isEqualTo(CloseReason.EXPIRED));
    }

    @Test
    @DisplayName("keeps a session with an open pull stream alive")
    void openStreamKeepsAlive() throws Exception {
      Session s = open("p-alive", "pc", "k");
      try (ResponseStream<PullCommandsResponse> stream = pull(s.getSessionId(), 0, 100, Duration.ofSeconds(5))) {
        stream.next();
        CLOCK.advance(Duration.ofMinutes(20));
        stream.next();
        stream.next(); // the stream has read (and so touched) the session at the later time
        CLOCK.advance(Duration.ofMinutes(20));

        assertThat(push(s.getSessionId(), 1, "r").getAcceptedSequence()).isEqualTo(1);
      } finally {
        CLOCK.reset();
      }
    }

    @Test
    @DisplayName("sessions survive a restart of the service")
    void survivesRestart(RpcClient client) {
      Session s = open("p-restart", "pc", "k");
      push(s.getSessionId(), 3, "r");

      hosted.restart();

      PushStateResponse r = new Rpc(client, "body_broker_integration").call("push_state", PushStateRequest.newBuilder()
          .setSessionId(s.getSessionId()).setSequence(4).setSnapshot(StateSnapshot.getDefaultInstance()).build());
      assertThat(r.getAcceptedSequence()).isEqualTo(4);
    }
  }

  @Nested
  @DisplayName("over HTTP and NATS")
  class DualStackAnswers {

    private static final String SESSION = "ses-[0-9a-f]{16}";

    private DualStack dual(RpcClient client) {
      return new DualStack(hosted.host().httpUrl(), client);
    }

    private String twin(String text) {
      return text.replace("ds-http", "ds-nats").replaceAll(SESSION, "ses-*");
    }

    @Test
    @DisplayName("open_session answers the same for twin players")
    void openSession(RpcClient client) {
      dual(client).assertSame(broker.method("open_session"),
          OpenSessionRequest.newBuilder().setPlayerId("ds-nats-o").setClientId("pc").build(),
          OpenSessionRequest.newBuilder().setPlayerId("ds-http-o").setClientId("pc").build(), Optional.of("k"), s -> twin(s));
    }

    @Test
    @DisplayName("push_state answers the same for twin sessions")
    void pushState(RpcClient client) {
      Session n = open("ds-nats-push", "pc", "k");
      Session h = open("ds-http-push", "pc", "k");
      dual(client).assertSame(broker.method("push_state"),
          PushStateRequest.newBuilder().setSessionId(n.getSessionId()).setSequence(2)
              .setSnapshot(StateSnapshot.newBuilder().setRegion("r").setPayload(ByteString.copyFromUtf8("engine"))).build(),
          PushStateRequest.newBuilder().setSessionId(h.getSessionId()).setSequence(2)
              .setSnapshot(StateSnapshot.newBuilder().setRegion("r").setPayload(ByteString.copyFromUtf8("engine"))).build(),
          Optional.empty(), s -> twin(s));
    }

    @Test
    @DisplayName("pull_commands ends the same for twin quiet sessions")
    void pullCommands(RpcClient client) {
      Session n = open("ds-nats-pull", "pc", "k");
      Session h = open("ds-http-pull", "pc", "k");
      assertThat(dual(client).assertSame(broker.method("pull_commands"),
          PullCommandsRequest.newBuilder().setSessionId(n.getSessionId()).setHeartbeatIntervalMs(60_000).build(),
          PullCommandsRequest.newBuilder().setSessionId(h.getSessionId()).setHeartbeatIntervalMs(60_000).build(),
          Optional.empty(), s -> twin(s), Optional.of(Duration.ofSeconds(3))).error()).isEmpty();
    }

    @Test
    @DisplayName("pull_commands fails the same with OUT_OF_RANGE")
    void pullOutOfRange(RpcClient client) {
      Session n = open("ds-nats-oor", "pc", "k");
      Session h = open("ds-http-oor", "pc", "k");
      assertThat(dual(client).assertSame(broker.method("pull_commands"),
          PullCommandsRequest.newBuilder().setSessionId(n.getSessionId()).setAfterSequence(3).build(),
          PullCommandsRequest.newBuilder().setSessionId(h.getSessionId()).setAfterSequence(3).build(),
          Optional.empty(), s -> twin(s)).error()).isPresent();
    }

    @Test
    @DisplayName("close_session answers the same for twin sessions")
    void closeSession(RpcClient client) {
      Session n = open("ds-nats-close", "pc", "k");
      Session h = open("ds-http-close", "pc", "k");
      dual(client).assertSame(broker.method("close_session"), CloseSessionRequest.newBuilder().setSessionId(n.getSessionId()).build(),
          CloseSessionRequest.newBuilder().setSessionId(h.getSessionId()).build(), Optional.empty(), s -> twin(s));
    }
  }
}
