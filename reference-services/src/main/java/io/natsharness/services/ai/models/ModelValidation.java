package io.natsharness.services.ai.models;

import io.natsharness.proto.ai.models.v1.ModelStatus;
import io.natsharness.proto.ai.models.v1.RegisterRequest;
import io.natsharness.services.game.kit.Checks;
import io.natsharness.services.game.kit.Checks.Format;
import java.util.HashSet;
import java.util.Set;

/** The field rules of model_management's requests, as its proto comments state them. */
final class ModelValidation {

  static final Format NAME = Format.of("[a-z0-9][a-z0-9._-]{0,63}",
      "1-64 chars of [a-z0-9._-], starting with a letter or digit");
  static final Format VERSION = Format.of("[A-Za-z0-9._+-]{1,32}", "1-32 chars of [A-Za-z0-9._+-]");
  static final Format CAPABILITY = Format.of("[a-z0-9][a-z0-9_.-]{0,63}",
      "a lower-case token of 1-64 chars of [a-z0-9_.-]");
  static final int MAX_CONTEXT_WINDOW = 1_048_576;
  static final int MAX_DESCRIPTION = 1024;

  private ModelValidation() {}

  static void register(RegisterRequest r) {
    Checks.format("name", r.getName(), NAME);
    Checks.format("version", r.getVersion(), VERSION);
    if (r.getCapabilitiesCount() == 0) {
      throw Checks.invalid("capabilities", "at least one capability is required");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < r.getCapabilitiesCount(); i++) {
      String field = "capabilities[" + i + "]";
      String capability = Checks.format(field, r.getCapabilities(i), CAPABILITY);
      if (!seen.add(capability)) {
        throw Checks.invalid(field, "duplicate capability '" + capability + "'");
      }
    }
    Checks.range("context_window", r.getContextWindow(), 1, MAX_CONTEXT_WINDOW);
    Checks.money("cost_per_1k_tokens", r.getCostPer1KTokens(), r.hasCostPer1KTokens());
    Checks.atLeast("latency_ms", r.getLatencyMs(), 0);
    Checks.maxLength("description", r.getDescription(), MAX_DESCRIPTION);
  }

  static void key(String name, String version) {
    Checks.required("name", name);
    Checks.required("version", version);
  }

  static void target(ModelStatus status) {
    if (status == ModelStatus.MODEL_STATUS_UNSPECIFIED || status == ModelStatus.UNRECOGNIZED) {
      throw Checks.invalid("status", "must be ACTIVE, DEPRECATED or RETIRED");
    }
  }
}
