package io.natsharness.services.util.settings;

import io.natsharness.proto.common.v1.PageResponse;
import io.natsharness.proto.util.settings.v1.DeleteRequest;
import io.natsharness.proto.util.settings.v1.GetRequest;
import io.natsharness.proto.util.settings.v1.ListRequest;
import io.natsharness.proto.util.settings.v1.ListResponse;
import io.natsharness.proto.util.settings.v1.PutRequest;
import io.natsharness.proto.util.settings.v1.Scope;
import io.natsharness.proto.util.settings.v1.Setting;
import io.natsharness.proto.util.settings.v1.SettingDefinition;
import io.natsharness.proto.util.settings.v1.SettingValue;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.ServiceLifecycle;
import io.natsharness.services.support.Validation;
import io.natsharness.services.util.kit.EventOutbox;
import io.natsharness.services.util.kit.Pages;
import java.util.List;

/**
 * settings: typed values of the declared keys ({@link SettingsCatalogue}) at the GLOBAL scope and
 * per player, with effective-value resolution, range checks and compare-and-set.
 *
 * <pre>{@code
 * // svc.util.settings.v1.put {key: "graphics.fov", scope: PLAYER, player_id: "p-1",
 * //                            value: {int64_value: 100}, expected_version: 2}
 * // svc.util.settings.v1.get {key: "audio.master_volume", scope: PLAYER, player_id: "p-1"}
 * //   -> value from the player, else GLOBAL, else the default, with its source
 * }</pre>
 */
public final class SettingsService implements NatsService, ServiceLifecycle {

  private final SettingsCatalogue catalogue = SettingsCatalogue.load();
  private final SettingStore store;
  private final EventOutbox events;

  public SettingsService(ServiceContext ctx) {
    this.events = new EventOutbox(ctx, SettingStore.SERVICE);
    this.store = new SettingStore(ctx, events);
  }

  @Override
  public String name() {
    return SettingStore.SERVICE;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.unary("get", this::get)
        .unary("put", this::put)
        .unary("list", this::list)
        .unary("delete", this::delete);
  }

  @Override
  public void start() {
    events.startSweeping();
  }

  @Override
  public void close() {
    events.close();
  }

  Setting get(GetRequest request, CallContext call) {
    Scope scope = scope(request.getScope(), request.getPlayerId());
    SettingDefinition d = definition(request.getKey(), scope);
    return store.resolve(d, scope, request.getPlayerId());
  }

  Setting put(PutRequest request, CallContext call) {
    Scope scope = scope(request.getScope(), request.getPlayerId());
    SettingDefinition d = definition(request.getKey(), scope);
    Validation.require(request.hasValue(), "value", "is required");
    ValueRules.check(d, request.getValue()).ifPresent(problem -> {
      throw RpcException.invalidArgument("value", problem);
    });
    SettingValue value = ValueRules.normalize(d, request.getValue());
    return store.put(d, new SettingStore.Address(scope, request.getPlayerId(), d.getKey()), value,
        request.getExpectedVersion());
  }

  ListResponse list(ListRequest request, CallContext call) {
    Scope scope = scope(request.getScope(), request.getPlayerId());
    int size = Pages.size(request.getPage(), 50, 100);
    String binding = Pages.binding(scope.name(), request.getPlayerId(), request.getKeyPrefix());
    long from = Pages.position(request.getPage(), binding, "the same scope, player and prefix");
    List<String> keys = catalogue.keys(scope, request.getKeyPrefix());
    ListResponse.Builder out = ListResponse.newBuilder();
    long end = Math.min(keys.size(), from + size);
    for (long i = from; i < end; i++) {
      SettingDefinition d = catalogue.find(keys.get((int) i)).orElseThrow();
      out.addSettings(store.resolve(d, scope, request.getPlayerId()));
    }
    return out.setPage(PageResponse.newBuilder().setNextPageToken(end < keys.size() ? Pages.token(end, binding) : ""))
        .build();
  }

  Setting delete(DeleteRequest request, CallContext call) {
    Scope scope = scope(request.getScope(), request.getPlayerId());
    SettingDefinition d = definition(request.getKey(), scope);
    return store.delete(d, new SettingStore.Address(scope, request.getPlayerId(), d.getKey()),
        request.getExpectedVersion());
  }

  private static Scope scope(Scope scope, String playerId) {
    Validation.specified(scope, "scope");
    if (scope == Scope.PLAYER) {
      Validation.nonEmpty(playerId, 128, "player_id");
    } else {
      Validation.require(playerId.isEmpty(), "player_id", "must be empty for GLOBAL scope");
    }
    return scope;
  }

  private SettingDefinition definition(String key, Scope scope) {
    Validation.nonEmpty(key, "key");
    SettingDefinition d = catalogue.find(key)
        .orElseThrow(() -> RpcException.notFound("setting key " + key + " is not in the catalogue"));
    Validation.require(d.getScopesList().contains(scope), "key",
        key + " is not declared for " + scope + " scope");
    return d;
  }
}
