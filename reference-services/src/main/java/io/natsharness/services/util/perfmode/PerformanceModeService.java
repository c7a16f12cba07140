package io.natsharness.services.util.perfmode;

import io.natsharness.proto.util.perfmode.v1.ClientMode;
import io.natsharness.proto.util.perfmode.v1.GetModeRequest;
import io.natsharness.proto.util.perfmode.v1.Mode;
import io.natsharness.proto.util.perfmode.v1.ModeChanged;
import io.natsharness.proto.util.perfmode.v1.Recommendation;
import io.natsharness.proto.util.perfmode.v1.RecommendRequest;
import io.natsharness.proto.util.perfmode.v1.SetModeRequest;
import io.natsharness.sdk.service.CallContext;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.support.ServiceContext;
import io.natsharness.services.support.ServiceLifecycle;
import io.natsharness.services.support.Validation;
import io.natsharness.services.util.kit.CasRecords;
import io.natsharness.services.util.kit.CasRecords.Write;
import io.natsharness.services.util.kit.EventOutbox;
import io.natsharness.services.util.kit.Records;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * performance_mode: one mode per client (BALANCED until set), and a documented rule that
 * recommends a mode for a hardware profile ({@link RecommendationRule}).
 *
 * <pre>{@code
 * // svc.util.perfmode.v1.recommend {profile: {cpu_cores: 8, ram_mb: 16384, gpu_vram_mb: 3072}}
 * //   -> {mode: BALANCED, cpu_tier: 3, memory_tier: 3, gpu_tier: 1, reasons: [...]}
 * }</pre>
 */
public final class PerformanceModeService implements NatsService, ServiceLifecycle {

  static final String SERVICE = "performance_mode";
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final ServiceContext ctx;
  private final CasRecords records;
  private final EventOutbox events;

  public PerformanceModeService(ServiceContext ctx) {
    this.ctx = ctx;
    this.records = new CasRecords(ctx.redis());
    this.events = new EventOutbox(ctx, SERVICE);
  }

  @Override
  public String name() {
    return SERVICE;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.unary("get_mode", this::getMode)
        .unary("set_mode", this::setMode)
        .unary("recommend", this::recommend);
  }

  @Override
  public void start() {
    events.startSweeping();
  }

  @Override
  public void close() {
    events.close();
  }

  ClientMode getMode(GetModeRequest request, CallContext call) {
    String clientId = clientId(request.getClientId());
    Map<String, String> hash = ctx.redis().sync().hgetall(key(clientId));
    if (hash.isEmpty()) {
      return ClientMode.newBuilder().setClientId(clientId).setMode(Mode.BALANCED).setIsDefault(true).build();
    }
    return ClientMode.newBuilder().setClientId(clientId).setMode(mode(hash.get("body")))
        .setMeta(Records.meta(hash)).build();
  }

  ClientMode setMode(SetModeRequest request, CallContext call) {
    String clientId = clientId(request.getClientId());
    Mode mode = Validation.specified(request.getMode(), "mode");
    CasRecords.Written w = records.put(Write.of(key(clientId), ctx.key(SERVICE, "revisions"),
        "mode of client " + clientId, clientId).body(mode.name()).at(ctx.clock().millis()).skipUnchanged());
    if (w.changed()) {
      Mode previous = w.previousBody().isEmpty() ? Mode.BALANCED : mode(w.previousBody());
      events.publish("mode_changed", ModeChanged.newBuilder().setClientId(clientId).setPreviousMode(previous)
          .setMode(mode).setVersion(w.version()).build(), "mode:" + clientId + ":" + w.revision());
    }
    return ClientMode.newBuilder().setClientId(clientId).setMode(mode).setMeta(w.meta()).build();
  }

  Recommendation recommend(RecommendRequest request, CallContext call) {
    Validation.require(request.hasProfile(), "profile", "is required");
    return RecommendationRule.recommend(request.getProfile());
  }

  private static String clientId(String clientId) {
    Validation.nonEmpty(clientId, "client_id");
    return Validation.matches(clientId, CLIENT_ID, "client_id");
  }

  private static Mode mode(String stored) {
    try {
      return Mode.valueOf(stored);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw RpcException.dataLoss("a stored performance mode is unreadable");
    }
  }

  private String key(String clientId) {
    return ctx.key(SERVICE, "client", clientId);
  }
}
