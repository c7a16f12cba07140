package io.natsharness.conformance.contract;

import io.natsharness.conformance.check.Check;
import io.natsharness.conformance.contract.content.EnvironmentalNarrativeChecks;
import io.natsharness.conformance.contract.content.KnowledgeBaseChecks;
import io.natsharness.conformance.contract.content.LanguageSystemChecks;
import io.natsharness.conformance.contract.content.StoryTellerChecks;
import io.natsharness.conformance.contract.kit.ChecksByService;
import io.natsharness.conformance.contract.util.PaymentChecks;
import io.natsharness.conformance.contract.util.PerformanceModeChecks;
import io.natsharness.conformance.contract.util.SettingsChecks;
import io.natsharness.conformance.contract.util.StateManagerChecks;
import io.natsharness.conformance.contract.util.TimeManagerChecks;
import io.natsharness.conformance.contract.util.WeatherManagerChecks;
import java.util.List;
import java.util.Set;

/**
 * The contract checks of the content and util services, by service: each behaviour and error code
 * that SERVICES.md and the proto comments name, spoken only over the wire.
 *
 * <pre>{@code
 * List<Check> checks = ContentUtilContracts.checks(Set.of("payment"));   // contract.payment.*
 * }</pre>
 */
public final class ContentUtilContracts {

  private static final ChecksByService BY_SERVICE = ChecksByService.builder()
      .withService("story_teller", StoryTellerChecks::checks)
      .withService("environmental_narrative", EnvironmentalNarrativeChecks::checks)
      .withService("language_system", LanguageSystemChecks::checks)
      .withService("knowledge_base", KnowledgeBaseChecks::checks)
      .withService("time_manager", TimeManagerChecks::checks)
      .withService("weather_manager", WeatherManagerChecks::checks)
      .withService("settings", SettingsChecks::checks)
      .withService("payment", PaymentChecks::checks)
      .withService("performance_mode", PerformanceModeChecks::checks)
      .withService("state_manager", StateManagerChecks::checks)
      .build();

  private ContentUtilContracts() {}

  /** The services these checks cover. */
  public static Set<String> services() {
    return BY_SERVICE.services();
  }

  /** The checks of {@code services} that these checks cover (all of them when empty). */
  public static List<Check> checks(Set<String> services) {
    return BY_SERVICE.checks(services);
  }

  /** Every check of every covered service. */
  public static List<Check> checks() {
    return checks(Set.of());
  }
}
