package io.natsharness.conformance.shadow.generate;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The seeded source of every name and number in generated requests: the same seed and namespace
 * always give the same values, in the same order. Names are lower-case letters, digits and
 * {@code -} (or {@code _} from {@link #token}), which every id field of the contract accepts.
 *
 * <pre>{@code
 * Values v = new Values(42, "nh");
 * v.id("owner");      // "owner-nh16-1"
 * v.between(1, 10);   // the same number on every run with seed 42
 * }</pre>
 */
public final class Values {

  private static final List<String> WORDS = List.of("iron", "keep", "river", "wolf", "ember", "stone", "north",
      "lantern", "harbor", "oak", "mist", "crown", "forge", "meadow", "raven", "tower");

  private final long seed;
  private final String namespace;
  private final SplittableRandom random;
  private int counter;

  /**
   * @param seed the run's seed
   * @param namespace 1-16 lower-case letters or digits that keep the names of runs on one store apart
   */
  public Values(long seed, String namespace) {
    if (namespace == null || !namespace.matches("[a-z0-9]{1,16}")) {
      throw new IllegalArgumentException("namespace must be 1-16 lower-case letters or digits, not '" + namespace + "'");
    }
    this.seed = seed;
    this.namespace = namespace;
    this.random = new SplittableRandom(seed);
  }

  public long seed() {
    return seed;
  }

  public String namespace() {
    return namespace;
  }

  /** A name unique to this seed and namespace: {@code <base>-<namespace><seed>-<n>}. */
  public String id(String base) {
    return base + "-" + namespace + Long.toString(seed & Long.MAX_VALUE, 36) + "-" + (++counter);
  }

  /** As {@link #id} with {@code _} instead of {@code -}, for names limited to {@code [a-z0-9_]}. */
  public String token(String base) {
    return id(base).replace('-', '_');
  }

  /** An Idempotency-Key, unique to this seed and namespace. */
  public String idempotencyKey() {
    return id("key");
  }

  /** An int in [lo, hi]. */
  public int between(int lo, int hi) {
    return lo + random.nextInt(hi - lo + 1);
  }

  /** A double in [lo, hi), with two decimals (values that read well in reports). */
  public double decimal(double lo, double hi) {
    return Math.round((lo + random.nextDouble() * (hi - lo)) * 100) / 100.0;
  }

  public <T> T pick(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  /** A few lore words, e.g. "ember raven tower". */
  public String words(int n) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < n; i++) {
      out.append(i == 0 ? "" : " ").append(pick(WORDS));
    }
    return out.toString();
  }

  /** The same words with a capital letter, e.g. "Ember raven". */
  public String title(int n) {
    String w = words(n);
    return w.substring(0, 1).toUpperCase(Locale.ROOT) + w.substring(1);
  }

  /** Opaque bytes. */
  public ByteString bytes(int n) {
    byte[] b = new byte[n];
    new Random(random.nextLong()).nextBytes(b);
    return ByteString.copyFrom(b);
  }

  /** A number for a request's own seed field. */
  public long seedValue() {
    return random.nextInt(1_000_000);
  }
}
