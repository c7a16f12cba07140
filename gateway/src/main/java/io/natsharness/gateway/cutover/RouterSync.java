package io.natsharness.gateway.cutover;

import com.google.protobuf.InvalidProtocolBufferException;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.natsharness.proto.catalog.EventInfo;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.infra.router.v1.ListRoutesRequest;
import io.natsharness.proto.infra.router.v1.ListRoutesResponse;
import io.natsharness.proto.infra.router.v1.Route;
import io.natsharness.proto.infra.router.v1.RouteModeChanged;
import io.natsharness.proto.infra.router.v1.RouteModeSetting;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.status.RpcException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the {@link ModeTable} in step with the router service: reads every route's mode with
 * {@code list_routes} at start and then every refresh interval, and applies each
 * {@code route_mode_changed} event as it arrives. A route whose mode the router never set
 * (version 0) keeps the mode from configuration. Versions only move forward, so a late refresh
 * cannot undo a newer event.
 *
 * <pre>{@code
 * try (RouterSync sync = new RouterSync(nats, rpc, modes, Duration.ofSeconds(30), (s, m) -> true)) {
 *   sync.start();
 * }
 * }</pre>
 */
public final class RouterSync implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RouterSync.class);

  private final Connection connection;
  private final RpcClient client;
  private final ModeTable modes;
  private final Duration refreshInterval;
  private final BiPredicate<String, CutoverMode> accept;
  private final MethodInfo listRoutes;
  private final EventInfo changed;
  private final Map<String, Long> versions = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gateway-router-sync");
    t.setDaemon(true);
    return t;
  });
  private Dispatcher dispatcher;

  /**
   * @param accept decides whether a mode may be applied to a route (e.g. no SHADOW on a method
   *     with side effects, no legacy mode without a legacy upstream); a refused one is logged
   */
  public RouterSync(Connection connection, RpcClient client, ModeTable modes, Duration refreshInterval,
      BiPredicate<String, CutoverMode> accept) {
    this.connection = Objects.requireNonNull(connection, "connection");
    this.client = Objects.requireNonNull(client, "client");
    this.modes = Objects.requireNonNull(modes, "modes");
    this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
    this.accept = Objects.requireNonNull(accept, "accept");
    ServiceCatalog catalog = ServiceCatalog.load();
    this.listRoutes = catalog.service("router").flatMap(s -> s.method("list_routes")).orElseThrow();
    this.changed = catalog.events().stream()
        .filter(e -> e.service().equals("router") && e.name().equals("route_mode_changed")).findFirst().orElseThrow();
  }

  /** Subscribes to the events, reads the table once, and schedules the refreshes. */
  public RouterSync start() {
    dispatcher = connection.createDispatcher(msg -> {
      try {
        onEvent(RouteModeChanged.parseFrom(msg.getData()));
      } catch (InvalidProtocolBufferException e) {
        LOG.warn("ignored a malformed {} event: {}", changed.subject(), e.getMessage());
      }
    });
    dispatcher.subscribe(changed.subject());
    refresh();
    long every = refreshInterval.toMillis();
    timer.scheduleWithFixedDelay(this::refresh, every, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Reads every route's mode now; false when the router did not answer. */
  public boolean refresh() {
    try {
      ListRoutesResponse table = client.call(listRoutes, ListRoutesRequest.getDefaultInstance(),
          CallOptions.builder().timeout(Duration.ofSeconds(2)).build());
      for (Route route : table.getRoutesList()) {
        RouteModeSetting s = route.getMode();
        if (s.getMeta().getVersion() > 0) {
          apply(route.getSubject(), s.getMode(), s.getCanaryPercent(), s.getMeta().getVersion(), "router");
        }
      }
      return true;
    } catch (RpcException e) {
      LOG.warn("router service did not answer list_routes ({} {}); keeping the current modes",
          e.code(), e.statusMessage());
      return false;
    } catch (RuntimeException e) {
      LOG.warn("reading route modes from the router failed; keeping the current modes", e);
      return false;
    }
  }

  private void onEvent(RouteModeChanged event) {
    apply(event.getSubject(), event.getMode(), event.getCanaryPercent(), event.getVersion(), "router event");
  }

  private void apply(String subject, io.natsharness.proto.infra.router.v1.RouteMode mode, int percent,
      long version, String source) {
    CutoverMode m;
    try {
      m = new CutoverMode(mode, percent);
    } catch (IllegalArgumentException e) {
      LOG.warn("ignored router mode {} {}% for {}: {}", mode, percent, subject, e.getMessage());
      return;
    }
    boolean[] newer = {false};
    versions.compute(subject, (k, old) -> {
      newer[0] = old == null || version >= old;
      return newer[0] ? version : old;
    });
    if (!newer[0]) {
      return;
    }
    if (!accept.test(subject, m)) {
      return;
    }
    modes.set(subject, m, source + " v" + version);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    if (dispatcher != null) {
      connection.closeDispatcher(dispatcher);
      dispatcher = null;
    }
  }
}
