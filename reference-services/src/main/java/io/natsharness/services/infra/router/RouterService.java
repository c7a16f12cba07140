package io.natsharness.services.infra.router;

import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
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
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.CommittedEvents;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.Validation;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The routing table of the HTTP surface (from the catalog's {@code google.api.http} bindings)
 * and the cutover mode of each route, which the gateway reads with {@code resolve} or
 * {@code get_route_mode} and obeys.
 *
 * <pre>{@code
 * ServiceHost.builder().connection(nats).add(new RouterService(ctx)).build().start();
 * }</pre>
 */
public final class RouterService implements NatsService {

  static final int MAX_PATH_LENGTH = 2048;
  private static final Set<String> VERBS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

  private final ServiceContext ctx;
  private final RouteCatalog routes = new RouteCatalog(ServiceCatalog.load());
  private final RouteModeStore modes;

  public RouterService(ServiceContext ctx) {
    this.ctx = ctx;
    this.modes = new RouteModeStore(ctx);
  }

  @Override
  public String name() {
    return "router";
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints
        .unary("resolve", this::resolve)
        .unary("list_routes", this::listRoutes)
        .unary("set_route_mode", this::setRouteMode)
        .unary("get_route_mode", this::getRouteMode);
  }

  ResolveResponse resolve(ResolveRequest request, CallContext call) {
    String verb = verb(request.getHttpMethod(), "http_method", true);
    String path = request.getPath();
    Validation.require(!path.isEmpty(), "path", "must not be empty");
    Validation.require(path.startsWith("/"), "path", "must start with '/'");
    Validation.maxLength(path, MAX_PATH_LENGTH, "path");
    int query = path.indexOf('?');
    String bare = query < 0 ? path : path.substring(0, query);
    RouteCatalog.Resolved resolved = routes.resolve(verb, bare)
        .orElseThrow(() -> RpcException.notFound("no route for " + verb + " " + bare));
    MethodInfo method = resolved.method();
    return ResolveResponse.newBuilder()
        .setSubject(method.subject())
        .setRequestType(method.requestType().getFullName())
        .setResponseType(method.responseType().getFullName())
        .putAllPathParams(resolved.pathParams())
        .setPathTemplate(method.route().path().template())
        .setHttpMethod(method.route().verb())
        .setService(method.service())
        .setMethod(method.descriptor().getFullName())
        .setBody(method.route().body())
        .setServerStreaming(method.serverStreaming())
        .setMode(modes.get(method.subject()))
        .build();
  }

  ListRoutesResponse listRoutes(ListRoutesRequest request, CallContext call) {
    String verb = request.getHttpMethod().isEmpty() ? "" : verb(request.getHttpMethod(), "http_method", false);
    Validation.require(request.getMode() != RouteMode.UNRECOGNIZED, "mode", "is not a known route mode");
    Map<String, RouteModeSetting> stored = modes.all();
    List<Route> list = routes.methods().stream()
        .filter(m -> request.getService().isEmpty() || m.service().equals(request.getService()))
        .filter(m -> verb.isEmpty() || m.route().verb().equals(verb))
        .map(m -> RouteCatalog.route(m)
            .setMode(stored.getOrDefault(m.subject(), modes.get(m.subject()))).build())
        .filter(r -> request.getMode() == RouteMode.ROUTE_MODE_UNSPECIFIED || r.getMode().getMode() == request.getMode())
        .sorted(Comparator.comparing(Route::getPathTemplate).thenComparing(Route::getHttpMethod))
        .toList();
    return ListRoutesResponse.newBuilder().addAllRoutes(list).build();
  }

  RouteModeSetting setRouteMode(SetRouteModeRequest request, CallContext call) {
    String subject = Validation.nonEmpty(request.getSubject(), "subject");
    RouteMode mode = Validation.specified(request.getMode(), "mode");
    if (mode == RouteMode.CANARY) {
      Validation.inRange(request.getCanaryPercent(), 0, 100, "canary_percent");
    } else {
      Validation.require(request.getCanaryPercent() == 0, "canary_percent", "must be 0 unless mode is CANARY");
    }
    MethodInfo method = routes.method(subject)
        .orElseThrow(() -> RpcException.notFound("no route has subject " + subject));
    if (mode == RouteMode.SHADOW && !method.hasNoSideEffects() && !method.requiresIdempotencyKey()) {
      throw RpcException.failedPrecondition("SHADOW_UNSAFE", subject
          + " has side effects and takes no Idempotency-Key: shadowing would apply them twice");
    }
    RouteModeStore.SetResult result = modes.set(subject, mode, request.getCanaryPercent(), request.getExpectedVersion());
    RouteModeSetting setting = result.setting();
    switch (result.outcome()) {
      case ABORTED -> throw RpcException.aborted("route " + subject + " is at version "
          + setting.getMeta().getVersion() + ", not the expected " + request.getExpectedVersion());
      case CHANGED -> publishChange(result);
      case UNCHANGED -> { } // same mode and percent: no new version, no event
    }
    return setting;
  }

  RouteModeSetting getRouteMode(GetRouteModeRequest request, CallContext call) {
    String subject = Validation.nonEmpty(request.getSubject(), "subject");
    routes.method(subject).orElseThrow(() -> RpcException.notFound("no route has subject " + subject));
    return modes.get(subject);
  }

  private void publishChange(RouteModeStore.SetResult result) {
    RouteModeSetting setting = result.setting();
    RouteModeChanged event = RouteModeChanged.newBuilder()
        .setSubject(setting.getSubject())
        .setPreviousMode(result.previousMode())
        .setPreviousCanaryPercent(result.previousPercent())
        .setMode(setting.getMode())
        .setCanaryPercent(setting.getCanaryPercent())
        .setVersion(setting.getMeta().getVersion())
        .build();
    String eventId = "route_mode_changed:" + setting.getSubject() + ":" + setting.getMeta().getVersion();
    CommittedEvents.publish(ctx, "evt.infra.router.v1.route_mode_changed", event, eventId);
  }

  private static String verb(String value, String field, boolean required) {
    if (required) {
      Validation.nonEmpty(value, field);
    }
    String verb = value.strip().toUpperCase(Locale.ROOT);
    Validation.require(VERBS.contains(verb), field, "must be GET, POST, PUT, PATCH or DELETE");
    return verb;
  }
}
