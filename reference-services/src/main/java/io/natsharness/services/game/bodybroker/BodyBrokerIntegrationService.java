package io.natsharness.services.game.bodybroker;

import io.natsharness.proto.common.v1.RecordMeta;
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
import io.natsharness.proto.game.bodybroker.v1.StateSnapshot;
import io.natsharness.proto.game.quests.v1.QuestCompleted;
import io.natsharness.proto.game.world.v1.EntityChange;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.service.StreamSink;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.game.kit.ChangeSignal;
import io.natsharness.services.game.kit.Checks;
import io.natsharness.services.game.kit.ProtoValues;
import io.natsharness.services.game.kit.ServiceEvents;
import io.natsharness.services.game.kit.StreamTiming;
import io.natsharness.services.support.Idempotency;
import io.natsharness.services.support.Ids;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.ServiceLifecycle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference {@code body_broker_integration} service: sessions of game engine clients, their
 * state snapshots, and the commands the backend queues for them.
 *
 * <p>Every session call is one Lua script of {@link SessionScripts} (state check, idle expiry,
 * sequence check and write together). Commands come from game events through the
 * {@link CommandBridge}, which runs while the service is hosted ({@link ServiceLifecycle}) along
 * with a sweep that closes idle sessions; without them the service still answers correctly (idle
 * sessions then close when next touched).
 *
 * <pre>{@code
 * Session s = rpc.call("svc.game.bodybroker.v1.open_session", OpenSessionRequest.newBuilder()
 *     .setPlayerId("p-1").setClientId("pc-1").build(), CallOptions.builder().idempotencyKey("k").build());
 * }</pre>
 */
public final class BodyBrokerIntegrationService implements NatsService, ServiceLifecycle, CommandBridge.Sink {

  static final String NAME = "body_broker_integration";
  static final int MAX_PAYLOAD = 65_536;
  private static final Logger LOG = LoggerFactory.getLogger(BodyBrokerIntegrationService.class);
  private static final long NOT_OPEN = SessionScripts.NOT_OPEN;
  private static final long EXPIRED = SessionScripts.EXPIRED;

  private final ServiceContext ctx;
  private final SessionStore store;
  private final Idempotency idempotency;
  private final ServiceEvents events;
  private final ChangeSignal signal;
  private CommandBridge bridge;
  private ScheduledExecutorService sweeper;

  public BodyBrokerIntegrationService(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.store = new SessionStore(ctx);
    this.idempotency = new Idempotency(ctx);
    this.events = new ServiceEvents(ctx, NAME);
    this.signal = new ChangeSignal(ctx.redis().sync(), store.signalKey(), Duration.ofMillis(25));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.<OpenSessionRequest, Session>unary("open_session", this::openSession)
        .<PushStateRequest, PushStateResponse>unary("push_state", (q, call) -> pushState(q))
        .<PullCommandsRequest, PullCommandsResponse>stream("pull_commands", this::pullCommands)
        .<CloseSessionRequest, Session>unary("close_session", (q, call) -> closeSession(q));
  }

  @Override
  public synchronized void start() {
    bridge = new CommandBridge(ctx.nats(), ctx.keyPrefix(), this);
    bridge.start();
    sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "body-broker-sweeper");
      t.setDaemon(true);
      return t;
    });
    sweeper.scheduleWithFixedDelay(this::sweep, 30, 30, TimeUnit.SECONDS);
  }

  @Override
  public synchronized void close() {
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
    if (bridge != null) {
      bridge.close();
    }
  }

  Session openSession(OpenSessionRequest request, CallContext call) {
    Idempotency.requireKey(call);
    String player = Checks.format("player_id", request.getPlayerId(), Checks.ID_128);
    String client = Checks.format("client_id", request.getClientId(), Checks.ID_128);
    Checks.maxLength("client_version", request.getClientVersion(), 64);
    Checks.maxLength("platform", request.getPlatform(), 64);
    return idempotency.once(call, player, Session.parser(), () -> open(request));
  }

  private Session open(OpenSessionRequest request) {
    String pair = Ids.sha256Hex(request.getPlayerId() + "\n" + request.getClientId()).substring(0, 32);
    long count = store.openedCount(pair);
    for (int attempt = 0; attempt < 1000; attempt++) {
      String sessionId = sessionId(request.getPlayerId(), request.getClientId(), count);
      Session body = Session.newBuilder()
          .setSessionId(sessionId)
          .setPlayerId(request.getPlayerId())
          .setClientId(request.getClientId())
          .setClientVersion(request.getClientVersion())
          .setPlatform(request.getPlatform())
          .setMeta(RecordMeta.newBuilder().setCreatedAt(ProtoValues.timestamp(ctx.clock().instant())))
          .build();
      SessionStore.Opened opened = store.open(sessionId, pair, count, body, request.getPlayerId());
      if (!opened.won()) {
        count = opened.count();
        continue;
      }
      if (opened.closedSession().isPresent()) {
        announceClosed(opened.closedSession().get(), opened.closeReason().orElseThrow());
      }
      Session session = store.get(sessionId).orElseThrow();
      events.publish("session_opened", SessionOpened.newBuilder().setSession(session).build(),
          "session_opened:" + sessionId);
      return session;
    }
    throw RpcException.aborted("sessions of this player client are being opened concurrently; retry");
  }

  /** "ses-" + 16 hex chars of SHA-256(player_id \n client_id \n n), as the proto documents. */
  static String sessionId(String playerId, String clientId, long n) {
    return Ids.derived("ses-", 16, playerId, clientId, Long.toString(n));
  }

  PushStateResponse pushState(PushStateRequest request) {
    String sessionId = Checks.required("session_id", request.getSessionId());
    Checks.atLeast("sequence", request.getSequence(), 1);
    if (!request.hasSnapshot()) {
      throw Checks.invalid("snapshot", "is required");
    }
    StateSnapshot snapshot = request.getSnapshot();
    if (snapshot.getPayload().size() > MAX_PAYLOAD) {
      throw Checks.invalid("snapshot.payload", "must be at most " + MAX_PAYLOAD + " bytes, got "
          + snapshot.getPayload().size());
    }
    Checks.attributes("snapshot.attributes", snapshot.getAttributesMap());
    List<Object> r = store.push(sessionId, request.getSequence(), snapshot);
    long status = SessionStore.asLong(r.get(0));
    checkOpen(sessionId, status);
    if (status == -1) {
      throw RpcException.aborted("sequence " + request.getSequence() + " of session " + sessionId
          + " is stale: the last accepted is " + SessionStore.asLong(r.get(1)));
    }
    return PushStateResponse.newBuilder()
        .setSessionId(sessionId)
        .setAcceptedSequence(status)
        .setPendingCommands((int) SessionStore.asLong(r.get(1)))
        .build();
  }

  void pullCommands(PullCommandsRequest request, CallContext call, StreamSink<PullCommandsResponse> sink)
      throws InterruptedException {
    String sessionId = Checks.required("session_id", request.getSessionId());
    Checks.atLeast("after_sequence", request.getAfterSequence(), 0);
    long heartbeatNanos = StreamTiming.heartbeat("heartbeat_interval_ms", request.getHeartbeatIntervalMs()).toNanos();
    long endNanos = StreamTiming.endNanos(call);
    List<Object> r = store.ack(sessionId, request.getAfterSequence());
    long status = SessionStore.asLong(r.get(0));
    checkOpen(sessionId, status);
    if (status == -4) {
      throw RpcException.outOfRange("after_sequence " + request.getAfterSequence() + " is beyond the last queued command "
          + SessionStore.asLong(r.get(1)) + " of session " + sessionId);
    }
    new CommandStream(store, signal, sessionId, request.getAfterSequence(), heartbeatNanos, endNanos).run(sink);
  }

  Session closeSession(CloseSessionRequest request) {
    String sessionId = Checks.required("session_id", request.getSessionId());
    checkOpen(sessionId, SessionStore.asLong(store.close(sessionId).get(0)));
    return announceClosed(sessionId, CloseReason.CLIENT_CLOSED);
  }

  @Override
  public void questCompleted(QuestCompleted event, String eventId) {
    Command command = Command.newBuilder()
        .setKind("NOTIFY")
        .putArgs("title", "Quest completed")
        .putArgs("text", "You completed the quest " + event.getQuestId() + ".")
        .setQueuedAt(ProtoValues.timestamp(ctx.clock().instant()))
        .build();
    for (String sessionId : store.openSessionsOfPlayer(event.getPlayerId())) {
      store.enqueue(sessionId, eventId, command);
    }
  }

  @Override
  public void entityChanged(EntityChange event, String eventId) {
    List<String> regions = new ArrayList<>(List.of(event.getRegion()));
    if (!event.getPreviousRegion().isEmpty()) {
      regions.add(event.getPreviousRegion());
    }
    Command command = Command.newBuilder()
        .setKind("SYNC_ENTITY")
        .putArgs("entity_id", event.getEntity().getEntityId())
        .putArgs("change_type", event.getChangeType().name())
        .setQueuedAt(ProtoValues.timestamp(ctx.clock().instant()))
        .build();
    for (String sessionId : store.openSessionsInRegions(regions)) {
      store.enqueue(sessionId, eventId, command);
    }
  }

  /** Closes idle sessions (EXPIRED) and announces them; runs on the sweeper. */
  void sweep() {
    try {
      List<String> closed;
      do {
        closed = store.sweep(100);
        closed.forEach(id -> announceClosed(id, CloseReason.EXPIRED));
      } while (closed.size() == 100);
    } catch (RuntimeException e) {
      LOG.warn("session sweep failed: {}", e.toString());
    }
  }

  /** NOT_FOUND for a closed or unknown session; an idle one was just closed (and is announced). */
  private void checkOpen(String sessionId, long status) {
    if (status == EXPIRED) {
      announceClosed(sessionId, CloseReason.EXPIRED);
    }
    if (status == NOT_OPEN || status == EXPIRED) {
      throw RpcException.notFound("session " + sessionId + " not found (closed or unknown)");
    }
  }

  private Session announceClosed(String sessionId, CloseReason reason) {
    Session session = store.get(sessionId).orElseThrow(() -> RpcException.notFound("session " + sessionId + " not found"));
    events.publish("session_closed", SessionClosed.newBuilder()
            .setSessionId(sessionId)
            .setPlayerId(session.getPlayerId())
            .setClientId(session.getClientId())
            .setReason(reason)
            .build(),
        "session_closed:" + sessionId);
    return session;
  }
}
