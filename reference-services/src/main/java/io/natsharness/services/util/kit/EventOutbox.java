package io.natsharness.services.util.kit;

import com.google.protobuf.Message;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import io.natsharness.proto.catalog.EventInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import io.natsharness.services.support.ServiceContext;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a service's events after its state change is committed, at least once: the event is
 * first recorded in a Redis outbox hash, then published with {@code Nats-Msg-Id} = its
 * deterministic id, then removed from the outbox. When JetStream cannot take it, the request still
 * succeeds (its state change is done) and {@link #sweep()} publishes it later; JetStream's
 * duplicate window drops a repeat, so a sweep racing a slow first publish stores it once.
 *
 * <p>The {@code Nats-Msg-Id} is the Redis key prefix followed by the event id, as in developer
 * B's services: the prefix names the namespace the state lives in, so two deployments (or two
 * isolated test runs) sharing one JetStream never swallow each other's events as duplicates.
 * Without a prefix it is exactly the id the proto comments give.
 *
 * <p>An entry may be recorded without a payload (a Lua script can mark an event pending inside
 * the state change itself); the sweep then asks the {@code rebuild} function for it.
 *
 * <pre>{@code
 * EventOutbox events = new EventOutbox(ctx, "payment");
 * events.publish("wallet_created", walletCreated, walletId);
 * events.startSweeping();   // from ServiceLifecycle.start()
 * }</pre>
 */
public final class EventOutbox implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EventOutbox.class);
  /** Entries younger than this are left to the request that recorded them. */
  private static final long SWEEP_MIN_AGE_MS = 2_000;
  private static final long SWEEP_PERIOD_MS = 5_000;

  private final ServiceContext ctx;
  private final String outboxKey;
  private final Map<String, EventInfo> events = new HashMap<>();
  private volatile Function<String, Optional<Message>> rebuild = id -> Optional.empty();
  private ScheduledFuture<?> sweeper;

  /** The outbox of a catalog service; every event it publishes must be declared by the service. */
  public EventOutbox(ServiceContext ctx, String service) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    ServiceInfo info = ServiceCatalog.load().service(service)
        .orElseThrow(() -> new IllegalArgumentException("no catalog service named " + service));
    info.events().forEach(e -> events.put(e.name(), e));
    this.outboxKey = ctx.key(service, "outbox");
  }

  /** The Redis hash of pending events (field = event id, value = "name\ncreatedMs\nbase64"). */
  public String key() {
    return outboxKey;
  }

  /** How the sweep makes the payload of an entry recorded without one (by event id). */
  public EventOutbox rebuildWith(Function<String, Optional<Message>> rebuilder) {
    this.rebuild = Objects.requireNonNull(rebuilder, "rebuilder");
    return this;
  }

  /** Records the event, publishes it and clears it; a failed publish is left to the sweep. */
  public void publish(String eventName, Message payload, String eventId) {
    EventInfo event = event(eventName);
    RedisCommands<String, String> redis = ctx.redis().sync();
    redis.hset(outboxKey, eventId, entry(eventName, ctx.clock().millis(), payload));
    send(event, payload, eventId);
  }

  /**
   * Publishes an event whose outbox entry a Lua script already recorded inside the state change
   * ({@link #pendingEntry}); clears it on success, else leaves it to the sweep.
   */
  public void publishRecorded(String eventName, Message payload, String eventId) {
    send(event(eventName), payload, eventId);
  }

  /**
   * The outbox value a Lua script writes for an event recorded without its payload:
   * {@code name + "\n" + nowMs + "\n"}; the sweep rebuilds the payload.
   */
  public static String pendingEntry(String eventName, long nowMs) {
    return eventName + "\n" + nowMs + "\n";
  }

  /** Publishes every entry older than two seconds; returns how many were published. */
  public int sweep() {
    RedisCommands<String, String> redis = ctx.redis().sync();
    long now = ctx.clock().millis();
    int published = 0;
    ScanCursor cursor = ScanCursor.INITIAL;
    for (int round = 0; round < 100 && !cursor.isFinished(); round++) {
      MapScanCursor<String, String> page = redis.hscan(outboxKey, cursor, ScanArgs.Builder.limit(100));
      for (Map.Entry<String, String> e : page.getMap().entrySet()) {
        if (sweepOne(e.getKey(), e.getValue(), now)) {
          published++;
        }
      }
      cursor = page;
    }
    return published;
  }

  /** Sweeps every five seconds on the shared scheduler until {@link #close()}. */
  public synchronized void startSweeping() {
    if (sweeper == null) {
      ScheduledExecutorService scheduler = Background.scheduler();
      sweeper = scheduler.scheduleWithFixedDelay(this::sweepQuietly, SWEEP_PERIOD_MS, SWEEP_PERIOD_MS,
          TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized void close() {
    if (sweeper != null) {
      sweeper.cancel(false);
      sweeper = null;
    }
  }

  private boolean sweepOne(String eventId, String value, long now) {
    String[] parts = value.split("\n", 3);
    if (parts.length < 2 || !events.containsKey(parts[0])) {
      LOG.warn("dropping malformed outbox entry {} of {}", eventId, outboxKey);
      ctx.redis().sync().hdel(outboxKey, eventId);
      return false;
    }
    long created;
    try {
      created = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      created = 0;
    }
    if (now - created < SWEEP_MIN_AGE_MS) {
      return false;
    }
    Optional<Message> payload = parts.length == 3 && !parts[2].isEmpty()
        ? Optional.of(decode(events.get(parts[0]), parts[2]))
        : rebuild.apply(eventId);
    if (payload.isEmpty()) {
      LOG.warn("outbox entry {} of {} has no payload and cannot be rebuilt; dropped", eventId, outboxKey);
      ctx.redis().sync().hdel(outboxKey, eventId);
      return false;
    }
    return send(events.get(parts[0]), payload.get(), eventId);
  }

  private boolean send(EventInfo event, Message payload, String eventId) {
    try {
      ctx.events().publish(event, payload, ctx.keyPrefix() + eventId);
      ctx.redis().sync().hdel(outboxKey, eventId);
      return true;
    } catch (RuntimeException e) {
      LOG.warn("event {} {} not published yet ({}); the outbox sweep will retry", event.subject(), eventId,
          e.toString());
      return false;
    }
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.warn("outbox sweep of {} failed: {}", outboxKey, e.toString());
    }
  }

  private EventInfo event(String name) {
    EventInfo event = events.get(name);
    if (event == null) {
      throw new IllegalArgumentException("event " + name + " is not declared in the catalog for " + outboxKey);
    }
    return event;
  }

  /** The outbox value of an event with its payload, for a Lua script to record in a state change. */
  public static String entry(String eventName, long createdMs, Message payload) {
    return eventName + "\n" + createdMs + "\n" + Base64.getEncoder().encodeToString(payload.toByteArray());
  }

  private static Message decode(EventInfo event, String base64) {
    try {
      return event.prototype().getParserForType().parseFrom(Base64.getDecoder().decode(base64));
    } catch (Exception e) {
      throw new IllegalStateException("outbox payload of " + event.name() + " is unreadable", e);
    }
  }
}
