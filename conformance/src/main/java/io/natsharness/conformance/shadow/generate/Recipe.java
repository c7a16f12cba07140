package io.natsharness.conformance.shadow.generate;

/**
 * How to exercise one service: the steps it adds to a {@link RecipeContext}. Values come from the
 * context's seeded {@link Values} while the recipe runs; the request functions only read the
 * side's {@link Bindings}, so every side gets the same requests.
 */
@FunctionalInterface
public interface Recipe {

  void write(RecipeContext context);
}
