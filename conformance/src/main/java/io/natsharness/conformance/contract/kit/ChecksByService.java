package io.natsharness.conformance.contract.kit;

import io.natsharness.conformance.check.Check;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The contract checks of a group of services, each list made when asked for by its class's static
 * {@code checks()}, in the order the services were added: what a registry such as
 * {@code AiGameInfraContracts} serves.
 *
 * <pre>{@code
 * ChecksByService registry = ChecksByService.builder()
 *     .withService("auth", AuthChecks::checks)
 *     .withService("router", RouterChecks::checks)
 *     .build();
 * registry.checks(Set.of("auth"));   // contract.auth.*; Set.of() for all
 * }</pre>
 */
public final class ChecksByService {

  private final Map<String, Supplier<List<Check>>> byService;

  private ChecksByService(Map<String, Supplier<List<Check>>> byService) {
    this.byService = Collections.unmodifiableMap(new LinkedHashMap<>(byService));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The services, in the order they were added. */
  public Set<String> services() {
    return byService.keySet();
  }

  /** The checks of {@code services} that this group covers (all of them when empty). */
  public List<Check> checks(Set<String> services) {
    List<Check> checks = new ArrayList<>();
    byService.forEach((service, supplier) -> {
      if (services.isEmpty() || services.contains(service)) {
        checks.addAll(supplier.get());
      }
    });
    return checks;
  }

  /** Adds services one by one; {@link #build()} needs at least one. */
  public static final class Builder {

    private final Map<String, Supplier<List<Check>>> byService = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds {@code service}, whose checks {@code checks} makes.
     *
     * @throws IllegalArgumentException when the service was added already
     */
    public Builder withService(String service, Supplier<List<Check>> checks) {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(checks, "checks");
      if (byService.putIfAbsent(service, checks) != null) {
        throw new IllegalArgumentException("service '" + service + "' was added twice");
      }
      return this;
    }

    /** @throws IllegalStateException when no service was added */
    public ChecksByService build() {
      if (byService.isEmpty()) {
        throw new IllegalStateException("no service was added: call withService(..) first");
      }
      return new ChecksByService(byService);
    }
  }
}
