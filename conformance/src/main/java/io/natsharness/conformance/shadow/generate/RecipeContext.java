package io.natsharness.conformance.shadow.generate;

import com.google.protobuf.Message;
import com.google.rpc.Code;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a recipe writes its steps with: the seeded {@link Values}, and {@link #call} to add a step
 * of a method, named as in its subject ({@code create_wallet}); methods are looked up in the
 * catalog, so a recipe that names a method the contract lacks fails at once.
 *
 * <pre>{@code
 * ctx.call("create_wallet").as("wallet").request(b -> CreateWalletRequest.newBuilder()
 *     .setOwnerId(ctx.values().id("owner")).build());
 * }</pre>
 */
public final class RecipeContext {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final ServiceCatalog catalog;
  private final ServiceInfo service;
  private final Values values;
  private final List<Step> steps = new ArrayList<>();

  RecipeContext(ServiceCatalog catalog, ServiceInfo service, Values values) {
    this.catalog = catalog;
    this.service = service;
    this.values = values;
  }

  public Values values() {
    return values;
  }

  /** A step of a method of the scenario's own service. */
  public StepBuilder call(String method) {
    return call(service.name(), method);
  }

  /** A step of another service's method, for setup (orchestration needs a wallet and a quest). */
  public StepBuilder call(String serviceName, String method) {
    ServiceInfo owner = catalog.service(serviceName).orElseThrow(() -> new IllegalStateException(
        "recipe of " + service.name() + " calls service '" + serviceName + "', which the catalog does not have"));
    MethodInfo info = owner.method(method).orElseThrow(() -> new IllegalStateException(
        "recipe of " + service.name() + " calls '" + method + "', which service " + serviceName + " does not have"));
    return new StepBuilder(info);
  }

  List<Step> steps() {
    return List.copyOf(steps);
  }

  /** Builds one step; {@link #request} adds it to the scenario. */
  public final class StepBuilder {
    private final MethodInfo method;
    private String name;
    private Optional<String> key = Optional.empty();
    private Code expected = Code.OK;
    private StreamRead read = StreamRead.ALL;
    private Duration timeout = DEFAULT_TIMEOUT;

    private StepBuilder(MethodInfo method) {
      this.method = method;
      this.name = method.name();
    }

    /** The name later steps find the answer under. */
    public StepBuilder as(String stepName) {
      this.name = Objects.requireNonNull(stepName, "name");
      return this;
    }

    /** Sends a fresh Idempotency-Key (the same on every side). */
    public StepBuilder withKey() {
      this.key = Optional.of(values.idempotencyKey());
      return this;
    }

    /** The error a conforming implementation answers, for steps that probe an error path. */
    public StepBuilder expect(Code code) {
      this.expected = Objects.requireNonNull(code, "code");
      return this;
    }

    /** For a stream that runs until its deadline: read only its first messages. */
    public StepBuilder reading(StreamRead streamRead) {
      this.read = Objects.requireNonNull(streamRead, "read");
      return this;
    }

    public StepBuilder timeout(Duration callTimeout) {
      this.timeout = Objects.requireNonNull(callTimeout, "timeout");
      return this;
    }

    /** Adds the step, whose request is built from the side's earlier answers. */
    public void request(Function<Bindings, ? extends Message> request) {
      if (key.isEmpty() && method.requiresIdempotencyKey()) {
        withKey();
      }
      steps.add(new Step(method, name, request::apply, key, expected, read, timeout));
    }

    /** Adds the step with a request that needs no earlier answer. */
    public void request(Message request) {
      request(b -> request);
    }
  }
}
