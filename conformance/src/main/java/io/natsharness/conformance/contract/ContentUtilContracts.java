package io.natsharness.conformance.contract;

import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.contract.content.EnvironmentalNarrativeChecks;
import io.natsharness.conformance.contract.content.KnowledgeBaseChecks;
import io.natsharness.conformance.contract.content.LanguageSystemChecks;
import io.natsharness.conformance.contract.content.StoryTellerChecks;
import io.natsharness.conformance.contract.util.PaymentChecks;
import io.natsharness.conformance.contract.util.PerformanceModeChecks;
import io.natsharness.conformance.contract.util.SettingsChecks;
import io.natsharness.conformance.contract.util.StateManagerChecks;
import io.natsharness.conformance.contract.util.TimeManagerChecks;
import io.natsharness.conformance.contract.util.WeatherManagerChecks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The contract checks of the content and util services, by service: each behaviour and error code
 * that SERVICES.md and the proto comments name, spoken only over the wire.
 *
 * <pre>{@code
 * List<Check> checks = ContentUtilContracts.checks(Set.of("payment"));   // contract.payment.*
 * }</pre>
 */
public final class ContentUtilContracts {

  private static final Map<String, Supplier<List<Check>>> BY_SERVICE = new LinkedHashMap<>();

  static {
    BY_SERVICE.put("story_teller", StoryTellerChecks::checks);
    BY_SERVICE.put("environmental_narrative", EnvironmentalNarrativeChecks::checks);
    BY_SERVICE.put("language_system", LanguageSystemChecks::checks);
    BY_SERVICE.put("knowledge_base", KnowledgeBaseChecks::checks);
    BY_SERVICE.put("time_manager", TimeManagerChecks::checks);
    BY_SERVICE.put("weather_manager", WeatherManagerChecks::checks);
    BY_SERVICE.put("settings", SettingsChecks::checks);
    BY_SERVICE.put("payment", PaymentChecks::checks);
    BY_SERVICE.put("performance_mode", PerformanceModeChecks::checks);
    BY_SERVICE.put("state_manager", StateManagerChecks::checks);
  }

  private ContentUtilContracts() {}

  /** The services these checks cover. */
  public static Set<String> services() {
    return BY_SERVICE.keySet();
  }

  /** The checks of {@code services} that these checks cover (all of them when empty). */
  public static List<Check> checks(Set<String> services) {
    List<Check> checks = new ArrayList<>();
    BY_SERVICE.forEach((service, supplier) -> {
      if (services.isEmpty() || services.contains(service)) {
        checks.addAll(supplier.get());
      }
    });
    return checks;
  }

  /** Every check of every covered service. */
  public static List<Check> checks() {
    return checks(Set.of());
  }
}
