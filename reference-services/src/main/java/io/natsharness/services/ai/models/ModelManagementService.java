package io.natsharness.services.ai.models;

import io.natsharness.proto.ai.models.v1.GetRequest;
import io.natsharness.proto.ai.models.v1.ListRequest;
import io.natsharness.proto.ai.models.v1.ListResponse;
import io.natsharness.proto.ai.models.v1.Model;
import io.natsharness.proto.ai.models.v1.ModelRegistered;
import io.natsharness.proto.ai.models.v1.ModelStatus;
import io.natsharness.proto.ai.models.v1.ModelStatusChanged;
import io.natsharness.proto.ai.models.v1.RegisterRequest;
import io.natsharness.proto.ai.models.v1.SetStatusRequest;
import io.natsharness.proto.common.v1.Money;
import io.natsharness.proto.common.v1.PageResponse;
import io.natsharness.proto.common.v1.RecordMeta;
import io.natsharness.sdk.service.Endpoints;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.services.game.kit.Cas;
import io.natsharness.services.game.kit.PageCursor;
import io.natsharness.services.game.kit.ProtoValues;
import io.natsharness.services.game.kit.ServiceEvents;
import io.natsharness.services.support.ServiceContext;
import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The reference {@code model_management} service: the catalog of AI models and their lifecycle
 * ACTIVE -> DEPRECATED -> RETIRED.
 *
 * <p>The constructor seeds, when absent, the three models ai_integration serves (the table in the
 * proto's service comment), without events. Registration is one Lua script (record and index
 * together, ALREADY_EXISTS on a repeat); status moves are compare-and-set on the record, so two
 * concurrent moves of one model cannot both win.
 *
 * <pre>{@code
 * Model m = rpc.call("svc.ai.models.v1.get",
 *     GetRequest.newBuilder().setName("atlas-small").setVersion("1.0.0").build());
 * }</pre>
 */
public final class ModelManagementService implements NatsService {

  static final String NAME = "model_management";
  static final int DEFAULT_PAGE_SIZE = 50;
  static final int MAX_PAGE_SIZE = 100;

  private final ServiceContext ctx;
  private final ModelStore store;
  private final ServiceEvents events;

  public ModelManagementService(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.store = new ModelStore(ctx);
    this.events = new ServiceEvents(ctx, NAME);
    seed();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void bind(Endpoints endpoints) {
    endpoints.<RegisterRequest, Model>unary("register", (q, call) -> register(q))
        .<GetRequest, Model>unary("get", (q, call) -> get(q))
        .<ListRequest, ListResponse>unary("list", (q, call) -> list(q))
        .<SetStatusRequest, Model>unary("set_status", (q, call) -> setStatus(q));
  }

  Model register(RegisterRequest request) {
    ModelValidation.register(request);
    Model model = newModel(request);
    if (!store.create(model)) {
      throw RpcException.alreadyExists(
          "model " + request.getName() + "@" + request.getVersion() + " is already registered");
    }
    events.publish("model_registered", ModelRegistered.newBuilder().setModel(model).build(),
        "model_registered:" + request.getName() + "@" + request.getVersion());
    return model;
  }

  Model get(GetRequest request) {
    ModelValidation.key(request.getName(), request.getVersion());
    return store.raw(request.getName(), request.getVersion())
        .map(raw -> ProtoValues.decode(Model.parser(), raw))
        .orElseThrow(() -> notFound(request.getName(), request.getVersion()));
  }

  ListResponse list(ListRequest request) {
    int size = PageCursor.size(request.getPage(), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    PageCursor cursor = new PageCursor("model_management.list",
        String.join(",", request.getCapabilitiesList()), request.getStatus().name());
    Optional<String> position = cursor.position(request.getPage());
    List<Model> page = new ArrayList<>(size);
    boolean more = false;
    scan:
    while (true) {
      ModelStore.Batch batch = store.batchAfter(position);
      if (batch.lastMember().isEmpty()) {
        break;
      }
      for (Model m : batch.models()) {
        if (!matches(m, request)) {
          continue;
        }
        if (page.size() == size) {
          more = true;
          break scan;
        }
        page.add(m);
      }
      position = batch.lastMember();
    }
    PageResponse.Builder next = PageResponse.newBuilder();
    if (more) {
      Model last = page.get(page.size() - 1);
      next.setNextPageToken(cursor.token(ModelStore.member(last.getName(), last.getVersion())));
    }
    return ListResponse.newBuilder().addAllModels(page).setPage(next).build();
  }

  Model setStatus(SetStatusRequest request) {
    ModelValidation.key(request.getName(), request.getVersion());
    ModelValidation.target(request.getStatus());
    for (int attempt = 0; attempt < Cas.MAX_ATTEMPTS; attempt++) {
      String raw = store.raw(request.getName(), request.getVersion())
          .orElseThrow(() -> notFound(request.getName(), request.getVersion()));
      Model current = ProtoValues.decode(Model.parser(), raw);
      checkMove(current, request.getStatus());
      Model updated = current.toBuilder()
          .setStatus(request.getStatus())
          .setMeta(current.getMeta().toBuilder()
              .setVersion(current.getMeta().getVersion() + 1)
              .setUpdatedAt(now()))
          .build();
      if (store.replace(raw, updated)) {
        events.publish("model_status_changed", ModelStatusChanged.newBuilder()
                .setName(updated.getName())
                .setVersion(updated.getVersion())
                .setPreviousStatus(current.getStatus())
                .setStatus(updated.getStatus())
                .setModelVersion(updated.getMeta().getVersion())
                .build(),
            "model_status_changed:" + updated.getName() + "@" + updated.getVersion()
                + ":" + updated.getMeta().getVersion());
        return updated;
      }
    }
    throw RpcException.aborted("model " + request.getName() + "@" + request.getVersion()
        + " is being changed concurrently; retry");
  }

  /** Only ACTIVE -> DEPRECATED and DEPRECATED -> RETIRED are legal. */
  private static void checkMove(Model current, ModelStatus target) {
    boolean legal = (current.getStatus() == ModelStatus.ACTIVE && target == ModelStatus.DEPRECATED)
        || (current.getStatus() == ModelStatus.DEPRECATED && target == ModelStatus.RETIRED);
    if (!legal) {
      throw RpcException.failedPrecondition("ILLEGAL_STATUS_CHANGE",
          "model " + current.getName() + "@" + current.getVersion() + " cannot move from "
              + current.getStatus() + " to " + target
              + ": only ACTIVE -> DEPRECATED -> RETIRED, one step at a time");
    }
  }

  private static boolean matches(Model m, ListRequest request) {
    if (request.getStatus() != ModelStatus.MODEL_STATUS_UNSPECIFIED && m.getStatus() != request.getStatus()) {
      return false;
    }
    return m.getCapabilitiesList().containsAll(request.getCapabilitiesList());
  }

  private Model newModel(RegisterRequest r) {
    Timestamp now = now();
    return Model.newBuilder()
        .setName(r.getName())
        .setVersion(r.getVersion())
        .addAllCapabilities(r.getCapabilitiesList())
        .setContextWindow(r.getContextWindow())
        .setCostPer1KTokens(r.getCostPer1KTokens())
        .setLatencyMs(r.getLatencyMs())
        .setStatus(ModelStatus.ACTIVE)
        .setDescription(r.getDescription())
        .setMeta(RecordMeta.newBuilder().setCreatedAt(now).setUpdatedAt(now).setVersion(1))
        .build();
  }

  /** The default models of the proto's service comment, written when absent, without events. */
  private void seed() {
    seedOne("atlas-small", List.of("chat", "embed"), 4096, 1, 50);
    seedOne("atlas-medium", List.of("chat", "embed", "reasoning"), 16384, 5, 150);
    seedOne("atlas-large", List.of("chat", "reasoning", "code", "long_context"), 131072, 20, 400);
  }

  private void seedOne(String name, List<String> capabilities, int contextWindow, long cost, int latencyMs) {
    store.create(newModel(RegisterRequest.newBuilder()
        .setName(name)
        .setVersion("1.0.0")
        .addAllCapabilities(capabilities)
        .setContextWindow(contextWindow)
        .setCostPer1KTokens(Money.newBuilder().setCurrency("USD").setMinorUnits(cost))
        .setLatencyMs(latencyMs)
        .setDescription("Seeded default model served by ai_integration")
        .build()));
  }

  private static RpcException notFound(String name, String version) {
    return RpcException.notFound("model " + name + "@" + version + " not found");
  }

  private Timestamp now() {
    return ProtoValues.timestamp(ctx.clock().instant());
  }
}
