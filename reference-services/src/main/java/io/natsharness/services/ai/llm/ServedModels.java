package io.natsharness.services.ai.llm;

import java.util.List;
import java.util.Optional;

/**
 * The models ai_integration serves: exactly the ones model_management seeds (see the comment of
 * {@code ai.models.v1.ModelManagement}), each with the range of natural output lengths it draws
 * from. A model registered later in model_management is not served here, so ai_router's pass-through
 * of NOT_FOUND has a real case.
 *
 * <pre>{@code
 * ServedModels.find("atlas-small").orElseThrow().maxWords(); // 40
 * }</pre>
 */
final class ServedModels {

  /** The model used when a request names none. */
  static final String DEFAULT_MODEL = "atlas-small";

  /** Natural output length in words is drawn uniformly from [minWords, maxWords]. */
  record ServedModel(String name, int minWords, int maxWords) {}

  private static final List<ServedModel> MODELS = List.of(
      new ServedModel("atlas-small", 8, 40),
      new ServedModel("atlas-medium", 16, 80),
      new ServedModel("atlas-large", 32, 160));

  private ServedModels() {}

  /** The served model of that name; the empty name means {@link #DEFAULT_MODEL}. */
  static Optional<ServedModel> find(String name) {
    String wanted = name.isEmpty() ? DEFAULT_MODEL : name;
    return MODELS.stream().filter(m -> m.name().equals(wanted)).findFirst();
  }

  static List<String> names() {
    return MODELS.stream().map(ServedModel::name).toList();
  }
}
