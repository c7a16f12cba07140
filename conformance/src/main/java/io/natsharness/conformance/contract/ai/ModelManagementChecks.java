package io.natsharness.conformance.contract.ai;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.check.CheckContext;
import io.natsharness.conformance.contract.kit.Breaker;
import io.natsharness.conformance.contract.kit.ContractChecks;
import io.natsharness.conformance.contract.kit.EventSpy;
import io.natsharness.conformance.contract.kit.Names;
import io.natsharness.conformance.contract.kit.Rpc;
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
import io.natsharness.proto.common.v1.PageRequest;
import java.util.List;

/**
 * Contract checks of {@code model_management}: registration, the seeded models, paging and
 * filtering, the one-way lifecycle ACTIVE → DEPRECATED → RETIRED, and its events.
 *
 * <pre>{@code
 * List<Check> checks = ModelManagementChecks.checks();
 * }</pre>
 */
public final class ModelManagementChecks {

  static final String SERVICE = "model_management";

  private ModelManagementChecks() {}

  public static List<Check> checks() {
    return ContractChecks.forService(SERVICE)
        .behaviour("register", "creates_active", "a registered model starts ACTIVE at meta.version 1 with the"
            + " fields given, and get returns it", ModelManagementChecks::createsActive)
        .behaviour("register", "model_registered_event", "a registration publishes one model_registered event"
            + " carrying the model", ModelManagementChecks::registeredEvent)
        .error("register", "duplicate", Code.ALREADY_EXISTS, "registering the same (name, version) twice is"
            + " ALREADY_EXISTS", ctx -> {
              RegisterRequest request = model(ctx, "dup", "chat");
              models(ctx).ok("register", request);
              models(ctx).fails("register", request, Code.ALREADY_EXISTS);
            })
        .error("register", "duplicate_in_any_status", Code.ALREADY_EXISTS, "a (name, version) stays taken after"
            + " the model is deprecated and retired", ModelManagementChecks::duplicateInAnyStatus)
        .error("register", "invalid_fields", Code.INVALID_ARGUMENT, "a malformed name or version, no or"
            + " duplicate capabilities, a context window outside [1, 1048576], a missing, currency-less or"
            + " negative cost and a negative latency are INVALID_ARGUMENT", ModelManagementChecks::invalidFields)
        .error("register", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a registration past its"
            + " deadline is DEADLINE_EXCEEDED and registers nothing", ModelManagementChecks::registerExpired)
        .behaviour("get", "seeded_models", "atlas-small, atlas-medium and atlas-large 1.0.0 are seeded with the"
            + " documented capabilities, context windows, costs and latencies", ModelManagementChecks::seeded)
        .error("get", "empty_name", Code.INVALID_ARGUMENT, "an empty name or version is INVALID_ARGUMENT", ctx -> {
          models(ctx).failsOn("get", GetRequest.newBuilder().setVersion("1.0.0").build(), "name");
          models(ctx).failsOn("get", GetRequest.newBuilder().setName("atlas-small").build(), "version");
        })
        .error("get", "unknown", Code.NOT_FOUND, "an unknown (name, version) is NOT_FOUND", ctx -> models(ctx)
            .fails("get", GetRequest.newBuilder().setName(Names.id(ctx, "nope")).setVersion("1.0.0").build(),
                Code.NOT_FOUND))
        .behaviour("list", "pages_in_order", "list pages by page_size in (name, version) order with an opaque"
            + " token that is empty on the last page", ModelManagementChecks::pagesInOrder)
        .behaviour("list", "filters", "list keeps the models having every capability asked for and the status"
            + " asked for", ModelManagementChecks::filters)
        .error("list", "page_size_out_of_range", Code.INVALID_ARGUMENT, "a page_size above 100 or below 0 is"
            + " INVALID_ARGUMENT", ctx -> {
              models(ctx).failsOn("list", page(101, ""), "page");
              models(ctx).failsOn("list", page(-1, ""), "page");
            })
        .error("list", "foreign_page_token", Code.INVALID_ARGUMENT, "a page_token the method did not issue is"
            + " INVALID_ARGUMENT", ctx -> models(ctx).failsOn("list", page(10, "not-a-token-" + ctx.unique("t")), "page"))
        .behaviour("set_status", "lifecycle", "ACTIVE → DEPRECATED → RETIRED each bump meta.version and publish"
            + " one model_status_changed event", ModelManagementChecks::lifecycle)
        .error("set_status", "skip_to_retired", Code.FAILED_PRECONDITION, "ACTIVE → RETIRED skips a step and is"
            + " FAILED_PRECONDITION, leaving the model ACTIVE", ctx -> illegalMove(ctx, List.of(), ModelStatus.RETIRED))
        .error("set_status", "back_to_active", Code.FAILED_PRECONDITION, "DEPRECATED → ACTIVE goes back and is"
            + " FAILED_PRECONDITION", ctx -> illegalMove(ctx, List.of(ModelStatus.DEPRECATED), ModelStatus.ACTIVE))
        .error("set_status", "same_status", Code.FAILED_PRECONDITION, "setting the status a model already has is"
            + " FAILED_PRECONDITION", ctx -> illegalMove(ctx, List.of(ModelStatus.DEPRECATED), ModelStatus.DEPRECATED))
        .error("set_status", "out_of_retired", Code.FAILED_PRECONDITION, "RETIRED is terminal: leaving it is"
            + " FAILED_PRECONDITION", ctx -> illegalMove(ctx, List.of(ModelStatus.DEPRECATED, ModelStatus.RETIRED),
                ModelStatus.DEPRECATED))
        .error("set_status", "unknown", Code.NOT_FOUND, "an unknown (name, version) is NOT_FOUND", ctx -> models(ctx)
            .fails("set_status", SetStatusRequest.newBuilder().setName(Names.id(ctx, "nope")).setVersion("1.0.0")
                .setStatus(ModelStatus.DEPRECATED).build(), Code.NOT_FOUND))
        .error("set_status", "unspecified_status", Code.INVALID_ARGUMENT, "status UNSPECIFIED is INVALID_ARGUMENT",
            ctx -> {
              RegisterRequest m = model(ctx, "uns", "chat");
              models(ctx).ok("register", m);
              models(ctx).failsOn("set_status", move(m, ModelStatus.MODEL_STATUS_UNSPECIFIED), "status");
            })
        .error("set_status", "expired_deadline_no_side_effect", Code.DEADLINE_EXCEEDED, "a status change past"
            + " its deadline is DEADLINE_EXCEEDED and leaves the model as it was", ModelManagementChecks::moveExpired)
        .build();
  }

  static Rpc models(CheckContext ctx) {
    return Rpc.of(ctx, SERVICE);
  }

  /** A valid registration of a model named uniquely, version 1.0.0, priced 3 USD per 1k tokens. */
  static RegisterRequest model(CheckContext ctx, String base, String... capabilities) {
    return RegisterRequest.newBuilder().setName(Names.id(ctx, base)).setVersion("1.0.0")
        .addAllCapabilities(List.of(capabilities)).setContextWindow(8192).setCostPer1KTokens(usd(3))
        .setLatencyMs(100).setDescription("registered by the conformance suite").build();
  }

  static Money usd(long minorUnits) {
    return Money.newBuilder().setCurrency("USD").setMinorUnits(minorUnits).build();
  }

  static SetStatusRequest move(RegisterRequest model, ModelStatus status) {
    return SetStatusRequest.newBuilder().setName(model.getName()).setVersion(model.getVersion()).setStatus(status)
        .build();
  }

  static Model get(CheckContext ctx, RegisterRequest model) {
    return models(ctx).ok("get", GetRequest.newBuilder().setName(model.getName()).setVersion(model.getVersion())
        .build());
  }

  private static ListRequest page(int size, String token) {
    return ListRequest.newBuilder().setPage(PageRequest.newBuilder().setPageSize(size).setPageToken(token)).build();
  }

  private static void createsActive(CheckContext ctx) {
    RegisterRequest request = model(ctx, "new", "chat", "code").toBuilder().setVersion("2.1.0-rc.1").build();
    Model created = models(ctx).ok("register", request);
    assertThat(created.getName()).as("name").isEqualTo(request.getName());
    assertThat(created.getVersion()).as("version").isEqualTo(request.getVersion());
    assertThat(created.getCapabilitiesList()).as("capabilities, in the order registered")
        .containsExactly("chat", "code");
    assertThat(created.getContextWindow()).as("context_window").isEqualTo(8192);
    assertThat(created.getCostPer1KTokens()).as("cost_per_1k_tokens").isEqualTo(usd(3));
    assertThat(created.getLatencyMs()).as("latency_ms").isEqualTo(100);
    assertThat(created.getDescription()).as("description").isEqualTo(request.getDescription());
    assertThat(created.getStatus()).as("status").isEqualTo(ModelStatus.ACTIVE);
    assertThat(created.getMeta().getVersion()).as("meta.version").isEqualTo(1);
    assertThat(get(ctx, request)).as("get after register").isEqualTo(created);
  }

  private static void registeredEvent(CheckContext ctx) {
    RegisterRequest request = model(ctx, "evt", "chat");
    try (EventSpy<ModelRegistered> events = EventSpy.on(ctx, SERVICE, "model_registered")) {
      Model created = models(ctx).ok("register", request);
      ModelRegistered event = events.awaitOne(e -> e.getModel().getName().equals(request.getName()));
      assertThat(event.getModel()).as("model in the event").isEqualTo(created);
    }
  }

  private static void duplicateInAnyStatus(CheckContext ctx) {
    RegisterRequest request = model(ctx, "dup", "chat");
    models(ctx).ok("register", request);
    models(ctx).ok("set_status", move(request, ModelStatus.DEPRECATED));
    models(ctx).fails("register", request, Code.ALREADY_EXISTS);
    models(ctx).ok("set_status", move(request, ModelStatus.RETIRED));
    models(ctx).fails("register", request, Code.ALREADY_EXISTS);
  }

  private static void invalidFields(CheckContext ctx) {
    RegisterRequest valid = model(ctx, "bad", "chat");
    models(ctx).failsOnEach("register", valid, List.<Breaker<RegisterRequest.Builder>>of(
        Breaker.of("name", b -> b.setName("")),
        Breaker.of("name", b -> b.setName("Upper-Case")),
        Breaker.of("name", b -> b.setName("-starts-with-dash")),
        Breaker.of("version", b -> b.setVersion("")),
        Breaker.of("version", b -> b.setVersion("1.0.0 beta")),
        Breaker.of("capabilities", b -> b.clearCapabilities()),
        Breaker.of("capabilities", b -> b.addCapabilities("")),
        Breaker.of("capabilities", b -> b.addCapabilities("chat")),
        Breaker.of("context_window", b -> b.setContextWindow(0)),
        Breaker.of("context_window", b -> b.setContextWindow(1048577)),
        Breaker.of("cost_per_1k_tokens", b -> b.clearCostPer1KTokens()),
        Breaker.of("cost_per_1k_tokens", b -> b.setCostPer1KTokens(Money.newBuilder().setMinorUnits(3))),
        Breaker.of("cost_per_1k_tokens", b -> b.setCostPer1KTokens(usd(-1))),
        Breaker.of("latency_ms", b -> b.setLatencyMs(-1))));
    models(ctx).fails("get", GetRequest.newBuilder().setName(valid.getName()).setVersion(valid.getVersion()).build(),
        Code.NOT_FOUND);
  }

  private static void registerExpired(CheckContext ctx) {
    RegisterRequest request = model(ctx, "late", "chat");
    try (EventSpy<ModelRegistered> events = EventSpy.on(ctx, SERVICE, "model_registered")) {
      models(ctx).call("register").expiredDeadline().fails(request, Code.DEADLINE_EXCEEDED);
      models(ctx).fails("get", GetRequest.newBuilder().setName(request.getName()).setVersion(request.getVersion())
          .build(), Code.NOT_FOUND);
      events.assertNone(e -> e.getModel().getName().equals(request.getName()), EventSpy.SETTLE);
    }
  }

  private static void seeded(CheckContext ctx) {
    assertSeed(ctx, "atlas-small", List.of("chat", "embed"), 4096, 1, 50);
    assertSeed(ctx, "atlas-medium", List.of("chat", "embed", "reasoning"), 16384, 5, 150);
    assertSeed(ctx, "atlas-large", List.of("chat", "reasoning", "code", "long_context"), 131072, 20, 400);
  }

  private static void assertSeed(CheckContext ctx, String name, List<String> capabilities, int context, long cost,
      int latency) {
    Model model = models(ctx).ok("get", GetRequest.newBuilder().setName(name).setVersion("1.0.0").build());
    assertThat(model.getCapabilitiesList()).as("capabilities of %s", name).containsExactlyElementsOf(capabilities);
    assertThat(model.getContextWindow()).as("context_window of %s", name).isEqualTo(context);
    assertThat(model.getCostPer1KTokens()).as("cost_per_1k_tokens of %s", name).isEqualTo(usd(cost));
    assertThat(model.getLatencyMs()).as("latency_ms of %s", name).isEqualTo(latency);
  }

  /** Registers base-b, base-a (two versions) and base-c, all with a capability unique to the check. */
  private static List<RegisterRequest> family(CheckContext ctx, String capability) {
    String base = Names.id(ctx, "fam");
    RegisterRequest template = model(ctx, "x", capability);
    List<RegisterRequest> registered = List.of(
        template.toBuilder().setName(base + "-b").build(),
        template.toBuilder().setName(base + "-a").setVersion("2.0.0").addCapabilities("code").build(),
        template.toBuilder().setName(base + "-c").build(),
        template.toBuilder().setName(base + "-a").setVersion("1.0.0").build());
    registered.forEach(r -> models(ctx).ok("register", r));
    return registered;
  }

  private static List<String> keys(List<Model> models) {
    return models.stream().map(m -> m.getName() + "@" + m.getVersion()).toList();
  }

  private static void pagesInOrder(CheckContext ctx) {
    String capability = Names.token(ctx, "cap");
    List<RegisterRequest> family = family(ctx, capability);
    String base = family.get(0).getName().substring(0, family.get(0).getName().length() - 2);
    ListRequest first = ListRequest.newBuilder().addCapabilities(capability)
        .setPage(PageRequest.newBuilder().setPageSize(3)).build();
    ListResponse page1 = models(ctx).ok("list", first);
    assertThat(keys(page1.getModelsList())).as("first page of 3")
        .containsExactly(base + "-a@1.0.0", base + "-a@2.0.0", base + "-b@1.0.0");
    assertThat(page1.getPage().getNextPageToken()).as("next_page_token of the first page").isNotEmpty();
    ListResponse page2 = models(ctx).ok("list", first.toBuilder()
        .setPage(PageRequest.newBuilder().setPageSize(3).setPageToken(page1.getPage().getNextPageToken())).build());
    assertThat(keys(page2.getModelsList())).as("second page").containsExactly(base + "-c@1.0.0");
    assertThat(page2.getPage().getNextPageToken()).as("next_page_token of the last page").isEmpty();
  }

  private static void filters(CheckContext ctx) {
    String capability = Names.token(ctx, "cap");
    List<RegisterRequest> family = family(ctx, capability);
    String base = family.get(0).getName().substring(0, family.get(0).getName().length() - 2);
    models(ctx).ok("set_status", move(family.get(0), ModelStatus.DEPRECATED));
    ListRequest.Builder request = ListRequest.newBuilder().addCapabilities(capability);
    assertThat(keys(models(ctx).<ListResponse>ok("list", request.clone().addCapabilities("code").build())
        .getModelsList())).as("models with %s and code", capability).containsExactly(base + "-a@2.0.0");
    assertThat(keys(models(ctx).<ListResponse>ok("list", request.clone().setStatus(ModelStatus.DEPRECATED).build())
        .getModelsList())).as("DEPRECATED models with %s", capability).containsExactly(base + "-b@1.0.0");
    assertThat(keys(models(ctx).<ListResponse>ok("list", request.clone().setStatus(ModelStatus.ACTIVE).build())
        .getModelsList())).as("ACTIVE models with %s", capability)
        .containsExactly(base + "-a@1.0.0", base + "-a@2.0.0", base + "-c@1.0.0");
  }

  private static void lifecycle(CheckContext ctx) {
    RegisterRequest request = model(ctx, "life", "chat");
    models(ctx).ok("register", request);
    try (EventSpy<ModelStatusChanged> events = EventSpy.on(ctx, SERVICE, "model_status_changed")) {
      Model deprecated = models(ctx).ok("set_status", move(request, ModelStatus.DEPRECATED));
      assertThat(deprecated.getStatus()).as("status after the first move").isEqualTo(ModelStatus.DEPRECATED);
      assertThat(deprecated.getMeta().getVersion()).as("meta.version after the first move").isEqualTo(2);
      ModelStatusChanged first = events.awaitOne(e -> e.getName().equals(request.getName())
          && e.getStatus() == ModelStatus.DEPRECATED);
      assertThat(first.getPreviousStatus()).as("previous_status of the first event").isEqualTo(ModelStatus.ACTIVE);
      assertThat(first.getModelVersion()).as("model_version of the first event").isEqualTo(2);
      Model retired = models(ctx).ok("set_status", move(request, ModelStatus.RETIRED));
      assertThat(retired.getStatus()).as("status after the second move").isEqualTo(ModelStatus.RETIRED);
      assertThat(retired.getMeta().getVersion()).as("meta.version after the second move").isEqualTo(3);
      ModelStatusChanged second = events.awaitOne(e -> e.getName().equals(request.getName())
          && e.getStatus() == ModelStatus.RETIRED);
      assertThat(second.getPreviousStatus()).as("previous_status of the second event")
          .isEqualTo(ModelStatus.DEPRECATED);
      assertThat(second.getModelVersion()).as("model_version of the second event").isEqualTo(3);
      assertThat(get(ctx, request)).as("get after the moves").isEqualTo(retired);
    }
  }

  private static void illegalMove(CheckContext ctx, List<ModelStatus> before, ModelStatus target) {
    RegisterRequest request = model(ctx, "move", "chat");
    models(ctx).ok("register", request);
    before.forEach(status -> models(ctx).ok("set_status", move(request, status)));
    Model was = get(ctx, request);
    models(ctx).fails("set_status", move(request, target), Code.FAILED_PRECONDITION);
    assertThat(get(ctx, request)).as("the model after a refused move").isEqualTo(was);
  }

  private static void moveExpired(CheckContext ctx) {
    RegisterRequest request = model(ctx, "late", "chat");
    Model was = models(ctx).ok("register", request);
    models(ctx).call("set_status").expiredDeadline().fails(move(request, ModelStatus.DEPRECATED),
        Code.DEADLINE_EXCEEDED);
    assertThat(get(ctx, request)).as("the model after an expired status change").isEqualTo(was);
  }
}
