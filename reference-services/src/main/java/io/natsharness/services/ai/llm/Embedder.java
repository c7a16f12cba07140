package io.natsharness.services.ai.llm;

/**
 * Deterministic embeddings: {@value #DIMENSION} coordinates drawn uniformly from [-1, 1) by a
 * generator seeded with (model, text), then scaled to L2 norm 1. Equal inputs give equal vectors;
 * different texts give (almost surely) different directions.
 *
 * <pre>{@code
 * float[] v = Embedder.embed("atlas-small", "wolf pelt"); // v.length == 64, |v| == 1
 * }</pre>
 */
final class Embedder {

  static final int DIMENSION = 64;

  private Embedder() {}

  static float[] embed(String model, String text) {
    SplitMix64 rng = SplitMix64.seededFrom("embed", model, text);
    double[] raw = new double[DIMENSION];
    double sumSquares = 0;
    for (int i = 0; i < DIMENSION; i++) {
      raw[i] = rng.nextDouble() * 2 - 1;
      sumSquares += raw[i] * raw[i];
    }
    double norm = Math.sqrt(sumSquares);
    float[] vector = new float[DIMENSION];
    for (int i = 0; i < DIMENSION; i++) {
      vector[i] = (float) (raw[i] / norm);
    }
    return vector;
  }
}
