package io.natsharness.conformance.shadow.generate;

import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Valid requests for every method of the catalog, deterministic by seed, with the state they need
 * set up through the services' own methods (a wallet is created before it is charged, a token
 * issued before it is validated). The shadow suite sends them to every side; the load suite
 * reuses them for request bodies.
 *
 * <pre>{@code
 * RequestGenerators generators = RequestGenerators.create();
 * for (Scenario s : generators.scenarios(Set.of("payment"), 42, "nh")) {
 *   Bindings mine = new Bindings();
 *   for (Step step : s.steps()) {
 *     Message request = step.request(mine);               // uses my earlier answers' ids
 *     mine.put(step.name(), Answer.of(rpc.call(step.method(), request, options(step))));
 *   }
 * }
 * }</pre>
 */
public final class RequestGenerators {

  private final ServiceCatalog catalog;

  public RequestGenerators(ServiceCatalog catalog) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  /** Generators for the contract on the class path. */
  public static RequestGenerators create() {
    return new RequestGenerators(ServiceCatalog.load());
  }

  /**
   * The scenarios of the given services (all of the catalog when empty), in run order: services
   * that others depend on first (time_manager's clock), then catalog order.
   *
   * @throws IllegalArgumentException naming a service the catalog does not have
   */
  public List<Scenario> scenarios(Collection<String> services, long seed, String namespace) {
    Set<String> wanted = new LinkedHashSet<>(services);
    for (String name : wanted) {
      if (catalog.service(name).isEmpty()) {
        throw new IllegalArgumentException("no service '" + name + "' in the catalog; known: "
            + catalog.services().stream().map(ServiceInfo::name).toList());
      }
    }
    List<ServiceInfo> ordered = new ArrayList<>(catalog.services().stream()
        .filter(s -> wanted.isEmpty() || wanted.contains(s.name())).toList());
    ordered.sort(Comparator.comparingInt(s -> {
      int i = Recipes.FIRST.indexOf(s.name());
      return i < 0 ? Recipes.FIRST.size() : i;
    }));
    List<Scenario> out = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      out.add(scenario(ordered.get(i), seed * 1_000 + i, namespace));
    }
    return out;
  }

  /** The scenario of one service. */
  public Scenario scenario(String service, long seed, String namespace) {
    return scenario(catalog.service(service).orElseThrow(() -> new IllegalArgumentException(
        "no service '" + service + "' in the catalog")), seed, namespace);
  }

  private Scenario scenario(ServiceInfo service, long seed, String namespace) {
    Values values = new Values(seed, namespace);
    RecipeContext context = new RecipeContext(catalog, service, values);
    Recipes.of(service.name()).ifPresentOrElse(recipe -> recipe.write(context), () -> {
      for (MethodInfo m : service.methods()) {
        context.call(m.name()).request(DescriptorRequests.fill(m.requestType(), values));
      }
    });
    return new Scenario(service.name(), seed, context.steps());
  }

  /** Whether a service has a recipe (otherwise its requests are filled from the descriptors). */
  public boolean hasRecipe(String service) {
    return Recipes.of(service).isPresent();
  }
}
