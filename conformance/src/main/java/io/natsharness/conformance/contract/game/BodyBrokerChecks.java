package io.natsharness.conformance.contract.game;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Breaker;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.Rpc;
import io.natsharness.proto.common.v1.Vector3;
import io.natsharness.proto.game.bodybroker.v1.CloseReason;
import io.natsharness.proto.game.bodybroker.v1.CloseSessionRequest;
import io.natsharness.proto.game.bodybroker.v1.OpenSessionRequest;
import io.natsharness.proto.game.bodybroker.v1.PushStateRequest;
import io.natsharness.proto.game.bodybroker.v1.PushStateResponse;
import io.natsharness.proto.game.bodybroker.v1.Session;
import io.natsharness.proto.game.bodybroker.v1.SessionClosed;
import io.natsharness.proto.game.bodybroker.v1.SessionOpened;
import io.natsharness.proto.game.bodybroker.v1.SessionState;
import io.natsharness.proto.game.bodybroker.v1.StateSnapshot;
import java.util.List;

/**
 * Contract checks of {@code body_broker_integration}: deterministic session ids, idempotent opens,
 * replacement, snapshots with strictly increasing sequences, closing, and the session events. The
 * command stream has its own class ({@link BodyBrokerCommandChecks}).
 *
 * <pre>{@code
 * List<Check> checks = BodyBrokerChecks.checks();
 * }</pre>
 */
public final class BodyBrokerChecks {

  static final String SERVICE = "body_broker_integration";

  private BodyBrokerChecks() {}

  public static List<Check> checks() {
    ContractChecks checks = ContractChecks.forService(SERVICE)
        .behaviour("open_session", "opens", "open_session opens an OPEN session whose id is ses- + 16 hex of"
            + " SHA-256(player_id \\n client_id \\n 0), and publishes one session_opened event",
            BodyBrokerChecks::opens)
        .behaviour("open_session", "idempotent_repeat", "an open repeated with the same Idempotency-Key returns"
            + " the first session and opens nothing", BodyBrokerChecks::idempotentOpen)
        .behaviour("open_session", "replaces", "opening again for the same (player_id, client_id) closes the"
            + " open session as REPLACED and opens session number 1", BodyBrokerChecks::replaces)
        .error("open_session", "invalid_fields", Code.INVALID_ARGUMENT, "an empty or malformed player_id or"
            + " client_id, or a client_version or platform over 64 chars, is INVALID_ARGUMENT",
            BodyBrokerChecks::invalidOpens)
        .error("open_session", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "an open past its"
            + " deadline is DEADLINE_EXCEEDED and opens no session", ctx -> {
              OpenSessionRequest request = open(ctx);
              broker(ctx).call("open_session").expiredDeadline().fails(request, Code.DEADLINE_EXCEEDED);
              broker(ctx).fails("push_state", push(sessionId(request, 0), 1), Code.NOT_FOUND);
              assertThat(broker(ctx).<Session>ok("open_session", request).getSessionId())
                  .as("the id of the first session actually opened").isEqualTo(sessionId(request, 0));
            })
        .behaviour("push_state", "accepts_increasing", "push_state stores snapshots whose sequence grows, starting"
            + " from any value >= 1", BodyBrokerChecks::acceptsIncreasing)
        .error("push_state", "stale_sequence", Code.ABORTED, "a sequence equal to or below the last accepted one"
            + " is ABORTED and changes nothing", BodyBrokerChecks::staleSequence)
        .error("push_state", "invalid_fields", Code.INVALID_ARGUMENT, "an empty session_id, a sequence < 1, a"
            + " missing snapshot, a payload over 65536 bytes or more than 64 attributes is INVALID_ARGUMENT",
            BodyBrokerChecks::invalidPushes)
        .error("push_state", "unknown_or_closed", Code.NOT_FOUND, "pushing to an unknown or closed session is"
            + " NOT_FOUND", ctx -> {
              broker(ctx).fails("push_state", push(Names.derived("ses-", 16, ctx.unique("x")), 1),
                  Code.NOT_FOUND);
              Session session = broker(ctx).ok("open_session", open(ctx));
              broker(ctx).ok("close_session", close(session.getSessionId()));
              broker(ctx).fails("push_state", push(session.getSessionId(), 1), Code.NOT_FOUND);
            })
        .error("push_state", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a push past its deadline"
            + " is DEADLINE_EXCEEDED and stores nothing: the same sequence is accepted afterwards", ctx -> {
              Session session = broker(ctx).ok("open_session", open(ctx));
              broker(ctx).call("push_state").expiredDeadline().fails(push(session.getSessionId(), 5),
                  Code.DEADLINE_EXCEEDED);
              PushStateResponse pushed = broker(ctx).ok("push_state", push(session.getSessionId(), 5));
              assertThat(pushed.getAcceptedSequence()).as("accepted_sequence").isEqualTo(5);
            })
        .behaviour("close_session", "closes", "close_session returns the session CLOSED with reason"
            + " CLIENT_CLOSED and closed_at, and publishes one session_closed event", BodyBrokerChecks::closes)
        .error("close_session", "unknown_or_closed", Code.NOT_FOUND, "closing an unknown or already closed session"
            + " is NOT_FOUND", ctx -> {
              Session session = broker(ctx).ok("open_session", open(ctx));
              broker(ctx).ok("close_session", close(session.getSessionId()));
              broker(ctx).fails("close_session", close(session.getSessionId()), Code.NOT_FOUND);
              broker(ctx).fails("close_session", close("ses-0000000000000000"), Code.NOT_FOUND);
            })
        .error("close_session", "empty_id", Code.INVALID_ARGUMENT, "an empty session_id is INVALID_ARGUMENT",
            ctx -> broker(ctx).failsOn("close_session", close(""), "session_id"))
        .error("close_session", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a close past its"
            + " deadline is DEADLINE_EXCEEDED and leaves the session open", ctx -> {
              Session session = broker(ctx).ok("open_session", open(ctx));
              broker(ctx).call("close_session").expiredDeadline().fails(close(session.getSessionId()),
                  Code.DEADLINE_EXCEEDED);
              broker(ctx).ok("push_state", push(session.getSessionId(), 1));
            });
    BodyBrokerCommandChecks.add(checks);
    return checks.build();
  }

  static Rpc broker(CheckContext ctx) {
    return Rpc.of(ctx, SERVICE);
  }

  static OpenSessionRequest open(CheckContext ctx) {
    return OpenSessionRequest.newBuilder().setPlayerId(Names.id(ctx, "player")).setClientId(Names.id(ctx, "dev"))
        .setClientVersion("5.3.1").setPlatform("windows").build();
  }

  /** The documented id of session number {@code n} of the request's (player_id, client_id). */
  static String sessionId(OpenSessionRequest request, int n) {
    return Names.derived("ses-", 16, request.getPlayerId(), request.getClientId(), String.valueOf(n));
  }

  static PushStateRequest push(String sessionId, long sequence) {
    return push(sessionId, sequence, "eldermoor.north");
  }

  static PushStateRequest push(String sessionId, long sequence, String region) {
    return PushStateRequest.newBuilder().setSessionId(sessionId).setSequence(sequence).setSnapshot(
        StateSnapshot.newBuilder().setRegion(region).setPosition(Vector3.newBuilder().setX(1).setY(2))
            .putAttributes("hp", "87").setPayload(ByteString.copyFromUtf8("engine-state"))).build();
  }

  static CloseSessionRequest close(String sessionId) {
    return CloseSessionRequest.newBuilder().setSessionId(sessionId).build();
  }

  private static void opens(CheckContext ctx) {
    OpenSessionRequest request = open(ctx);
    try (EventSpy<SessionOpened> events = EventSpy.on(ctx, SERVICE, "session_opened")) {
      Session session = broker(ctx).ok("open_session", request);
      assertThat(session.getSessionId()).as("session_id").isEqualTo(sessionId(request, 0));
      assertThat(session.getPlayerId()).as("player_id").isEqualTo(request.getPlayerId());
      assertThat(session.getClientId()).as("client_id").isEqualTo(request.getClientId());
      assertThat(session.getClientVersion()).as("client_version").isEqualTo("5.3.1");
      assertThat(session.getPlatform()).as("platform").isEqualTo("windows");
      assertThat(session.getState()).as("state").isEqualTo(SessionState.OPEN);
      assertThat(session.getLastStateSequence()).as("last_state_sequence").isZero();
      assertThat(session.getLastCommandSequence()).as("last_command_sequence").isZero();
      SessionOpened event = events.awaitOne(e -> e.getSession().getSessionId().equals(session.getSessionId()));
      assertThat(event.getSession()).as("session in the event").isEqualTo(session);
    }
  }

  private static void idempotentOpen(CheckContext ctx) {
    OpenSessionRequest request = open(ctx);
    String key = ctx.unique("open");
    try (EventSpy<SessionOpened> events = EventSpy.on(ctx, SERVICE, "session_opened")) {
      Session first = broker(ctx).call("open_session").idempotencyKey(key).ok(request);
      Session again = broker(ctx).call("open_session").idempotencyKey(key).ok(request);
      assertThat(again).as("the repeat's answer").isEqualTo(first);
      events.awaitOne(e -> e.getSession().getPlayerId().equals(request.getPlayerId()));
    }
    broker(ctx).ok("push_state", push(sessionId(request, 0), 1));
  }

  private static void replaces(CheckContext ctx) {
    OpenSessionRequest request = open(ctx);
    Session first = broker(ctx).ok("open_session", request);
    try (EventSpy<SessionClosed> events = EventSpy.on(ctx, SERVICE, "session_closed")) {
      Session second = broker(ctx).ok("open_session", request);
      assertThat(second.getSessionId()).as("id of the second session").isEqualTo(sessionId(request, 1));
      SessionClosed closed = events.awaitOne(e -> e.getSessionId().equals(first.getSessionId()));
      assertThat(closed.getReason()).as("reason of the replaced session").isEqualTo(CloseReason.REPLACED);
      assertThat(closed.getPlayerId()).as("player_id in the event").isEqualTo(request.getPlayerId());
    }
    broker(ctx).fails("push_state", push(first.getSessionId(), 1), Code.NOT_FOUND);
    broker(ctx).ok("push_state", push(sessionId(request, 1), 1));
  }

  private static void invalidOpens(CheckContext ctx) {
    OpenSessionRequest valid = open(ctx);
    broker(ctx).failsOnEach("open_session", valid, List.<Breaker<OpenSessionRequest.Builder>>of(
        Breaker.of("player_id", b -> b.setPlayerId("")),
        Breaker.of("player_id", b -> b.setPlayerId("player one")),
        Breaker.of("client_id", b -> b.setClientId("")),
        Breaker.of("client_id", b -> b.setClientId("dev/1")),
        Breaker.of("client_version", b -> b.setClientVersion("9".repeat(65))),
        Breaker.of("platform", b -> b.setPlatform("p".repeat(65)))));
    broker(ctx).fails("push_state", push(sessionId(valid, 0), 1), Code.NOT_FOUND);
  }

  private static void acceptsIncreasing(CheckContext ctx) {
    Session session = broker(ctx).ok("open_session", open(ctx));
    PushStateResponse first = broker(ctx).ok("push_state", push(session.getSessionId(), 5));
    assertThat(first.getSessionId()).as("session_id").isEqualTo(session.getSessionId());
    assertThat(first.getAcceptedSequence()).as("accepted_sequence of the first push").isEqualTo(5);
    assertThat(first.getPendingCommands()).as("pending_commands of a new session").isZero();
    PushStateResponse second = broker(ctx).ok("push_state", push(session.getSessionId(), 9));
    assertThat(second.getAcceptedSequence()).as("accepted_sequence of the second push").isEqualTo(9);
    Session closed = broker(ctx).ok("close_session", close(session.getSessionId()));
    assertThat(closed.getLastStateSequence()).as("last_state_sequence").isEqualTo(9);
  }

  private static void staleSequence(CheckContext ctx) {
    Session session = broker(ctx).ok("open_session", open(ctx));
    broker(ctx).ok("push_state", push(session.getSessionId(), 9));
    broker(ctx).fails("push_state", push(session.getSessionId(), 9), Code.ABORTED);
    broker(ctx).fails("push_state", push(session.getSessionId(), 3), Code.ABORTED);
    broker(ctx).ok("push_state", push(session.getSessionId(), 10));
    Session closed = broker(ctx).ok("close_session", close(session.getSessionId()));
    assertThat(closed.getLastStateSequence()).as("last_state_sequence after stale pushes").isEqualTo(10);
  }

  private static void invalidPushes(CheckContext ctx) {
    Session session = broker(ctx).ok("open_session", open(ctx));
    PushStateRequest valid = push(session.getSessionId(), 1);
    StateSnapshot.Builder many = valid.getSnapshot().toBuilder();
    for (int i = 0; i < 64; i++) {
      many.putAttributes("a" + i, "v");
    }
    broker(ctx).failsOnEach("push_state", valid, List.<Breaker<PushStateRequest.Builder>>of(
        Breaker.of("session_id", b -> b.setSessionId("")),
        Breaker.of("sequence", b -> b.setSequence(0)),
        Breaker.of("snapshot", b -> b.clearSnapshot()),
        Breaker.of("snapshot", b -> b.setSnapshot(valid.getSnapshot().toBuilder()
            .setPayload(ByteString.copyFrom(new byte[65_537])))),
        Breaker.of("snapshot", b -> b.setSnapshot(many))));
    assertThat(broker(ctx).<PushStateResponse>ok("push_state", valid).getAcceptedSequence())
        .as("sequence 1 after refused pushes").isEqualTo(1);
  }

  private static void closes(CheckContext ctx) {
    Session session = broker(ctx).ok("open_session", open(ctx));
    try (EventSpy<SessionClosed> events = EventSpy.on(ctx, SERVICE, "session_closed")) {
      Session closed = broker(ctx).ok("close_session", close(session.getSessionId()));
      assertThat(closed.getSessionId()).as("session_id").isEqualTo(session.getSessionId());
      assertThat(closed.getState()).as("state").isEqualTo(SessionState.CLOSED);
      assertThat(closed.getCloseReason()).as("close_reason").isEqualTo(CloseReason.CLIENT_CLOSED);
      assertThat(closed.hasClosedAt()).as("closed_at is set").isTrue();
      SessionClosed event = events.awaitOne(e -> e.getSessionId().equals(session.getSessionId()));
      assertThat(event.getReason()).as("reason in the event").isEqualTo(CloseReason.CLIENT_CLOSED);
      assertThat(event.getClientId()).as("client_id in the event").isEqualTo(session.getClientId());
    }
  }
}
