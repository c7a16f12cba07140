package io.natsharness.gateway.support;

import io.nats.client.Connection;
import io.natsharness.proto.catalog.EventInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.common.v1.RecordMeta;
import io.natsharness.proto.infra.router.v1.GetRouteModeRequest;
import io.natsharness.proto.infra.router.v1.ListRoutesRequest;
import io.natsharness.proto.infra.router.v1.ListRoutesResponse;
import io.natsharness.proto.infra.router.v1.ResolveRequest;
import io.natsharness.proto.infra.router.v1.ResolveResponse;
import io.natsharness.proto.infra.router.v1.Route;
import io.natsharness.proto.infra.router.v1.RouteMode;
import io.natsharness.proto.infra.router.v1.RouteModeChanged;
import io.natsharness.proto.infra.router.v1.RouteModeSetting;
import io.natsharness.proto.infra.router.v1.SetRouteModeRequest;
import io.natsharness.sdk.events.EventPublisher;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A test {@code router} that keeps route modes in memory and publishes {@code route_mode_changed}
 * through the SDK's EventPublisher, like the real one. list_routes answers only the routes whose
 * mode was set (the others are at version 0, which the gateway ignores anyway).
 */
public final class ScriptedRouter implements NatsService {

  private final EventPublisher events;
  private final EventInfo changed;
  private final Map<String, RouteModeSetting> settings = new ConcurrentHashMap<>();
  public final AtomicReference<ListRoutesRequest> lastList = new AtomicReference<>();

  public ScriptedRouter(Connection nats) {
    this.events = EventPublisher.create(nats);
    this.changed = ServiceCatalog.load().events().stream()
        .filter(e -> e.service().equals("router") && e.name().equals("route_mode_changed")).findFirst().orElseThrow();
  }

  /** Sets a mode without an event (as if set before the gateway started). */
  public void preset(String subject, RouteMode mode, int percent) {
    RouteModeSetting old = settings.get(subject);
    long version = old == null ? 1 : old.getMeta().getVersion() + 1;
    settings.put(subject, RouteModeSetting.newBuilder().setSubject(subject).setMode(mode).setCanaryPercent(percent)
        .setMeta(RecordMeta.newBuilder().setVersion(version)).build());
  }

  @Override
  public String name() {
    return "router";
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.<ResolveRequest, ResolveResponse>unary("resolve",
            (q, ctx) -> { throw RpcException.unimplemented("not in the test router"); })
        .<ListRoutesRequest, ListRoutesResponse>unary("list_routes", (q, ctx) -> {
          lastList.set(q);
          ListRoutesResponse.Builder out = ListRoutesResponse.newBuilder();
          settings.values().forEach(s -> out.addRoutes(Route.newBuilder().setSubject(s.getSubject()).setMode(s)));
          return out.build();
        })
        .<SetRouteModeRequest, RouteModeSetting>unary("set_route_mode", (q, ctx) -> {
          RouteModeSetting old = settings.getOrDefault(q.getSubject(), RouteModeSetting.newBuilder()
              .setSubject(q.getSubject()).setMode(RouteMode.HTTP).build());
          preset(q.getSubject(), q.getMode(), q.getCanaryPercent());
          RouteModeSetting now = settings.get(q.getSubject());
          events.publish(changed, RouteModeChanged.newBuilder().setSubject(q.getSubject())
              .setPreviousMode(old.getMode()).setPreviousCanaryPercent(old.getCanaryPercent())
              .setMode(now.getMode()).setCanaryPercent(now.getCanaryPercent())
              .setVersion(now.getMeta().getVersion()).build(), UUID.randomUUID().toString());
          return now;
        })
        .<GetRouteModeRequest, RouteModeSetting>unary("get_route_mode", (q, ctx) -> {
          RouteModeSetting s = settings.get(q.getSubject());
          if (s == null) {
            return RouteModeSetting.newBuilder().setSubject(q.getSubject()).setMode(RouteMode.HTTP).build();
          }
          return s;
        });
  }
}
