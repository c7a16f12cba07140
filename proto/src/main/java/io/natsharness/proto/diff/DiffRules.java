package io.natsharness.proto.diff;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a comparison tolerates for one method: paths to ignore, numeric and timestamp tolerances,
 * lists compared as sets, and id fields whose values may differ as long as they map one to one.
 * Paths are patterns over field names (no indices): {@code *} is one name, {@code **} any number,
 * e.g. {@code meta.updated_at}, {@code **.created_at}, {@code @status.message}. In a server
 * stream they apply to the fields of each message.
 *
 * <pre>{@code
 * DiffRules rules = DiffRules.builder()
 *     .withIgnored("meta.updated_at")
 *     .withNumericTolerance("scores.score", 1e-9, 0)
 *     .withTimestampTolerance("**", Duration.ofSeconds(2))
 *     .withUnorderedList("instances", "instance_id")
 *     .withRemappedIds("claims.token_id")
 *     .build();
 * }</pre>
 *
 * <p>Where several rules of one kind match a path, the one added last wins, so
 * {@link #merge(DiffRules) defaults.merge(methodRules)} lets a method's rules refine the defaults.
 */
public final class DiffRules {

  private static final DiffRules NONE = new Builder().build();

  /** A numeric tolerance: values are equal when |p - c| <= max(absolute, relative * max(|p|, |c|)). */
  public record NumericTolerance(double absolute, double relative) {
    boolean accepts(double p, double c) {
      if (Double.compare(p, c) == 0) {
        return true;
      }
      double diff = Math.abs(p - c);
      return diff <= absolute || diff <= relative * Math.max(Math.abs(p), Math.abs(c));
    }
  }

  private record Rule<T>(PathPattern pattern, T value) {}

  private final List<PathPattern> ignored;
  private final List<Rule<NumericTolerance>> numeric;
  private final List<Rule<Duration>> timestamps;
  private final List<Rule<Optional<String>>> unordered;
  private final List<PathPattern> ids;

  private DiffRules(Builder b) {
    this.ignored = List.copyOf(b.ignored);
    this.numeric = List.copyOf(b.numeric);
    this.timestamps = List.copyOf(b.timestamps);
    this.unordered = List.copyOf(b.unordered);
    this.ids = List.copyOf(b.ids);
  }

  /** No rules: every difference counts. */
  public static DiffRules none() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these rules, to add more. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.ignored.addAll(ignored);
    b.numeric.addAll(numeric);
    b.timestamps.addAll(timestamps);
    b.unordered.addAll(unordered);
    b.ids.addAll(ids);
    return b;
  }

  /** These rules followed by {@code more}'s, which win where both match a path. */
  public DiffRules merge(DiffRules more) {
    Builder b = toBuilder();
    b.ignored.addAll(more.ignored);
    b.numeric.addAll(more.numeric);
    b.timestamps.addAll(more.timestamps);
    b.unordered.addAll(more.unordered);
    b.ids.addAll(more.ids);
    return b.build();
  }

  /** Every pattern of every rule, as written: for checking them against a message type. */
  public List<String> patterns() {
    List<String> all = new ArrayList<>();
    ignored.forEach(p -> all.add(p.toString()));
    numeric.forEach(r -> all.add(r.pattern().toString()));
    timestamps.forEach(r -> all.add(r.pattern().toString()));
    unordered.forEach(r -> all.add(r.pattern().toString()));
    ids.forEach(p -> all.add(p.toString()));
    return all;
  }

  public boolean isEmpty() {
    return ignored.isEmpty() && numeric.isEmpty() && timestamps.isEmpty() && unordered.isEmpty() && ids.isEmpty();
  }

  boolean ignores(List<String> path) {
    return ignored.stream().anyMatch(p -> p.matches(path));
  }

  Optional<NumericTolerance> numericTolerance(List<String> path) {
    return last(numeric, path);
  }

  Optional<Duration> timestampTolerance(List<String> path) {
    return last(timestamps, path);
  }

  /** Empty when the list at the path is ordered; else the key field (possibly none) of a set. */
  Optional<Optional<String>> unordered(List<String> path) {
    return last(unordered, path);
  }

  boolean isId(List<String> path) {
    return ids.stream().anyMatch(p -> p.matches(path));
  }

  private static <T> Optional<T> last(List<Rule<T>> rules, List<String> path) {
    for (int i = rules.size() - 1; i >= 0; i--) {
      if (rules.get(i).pattern().matches(path)) {
        return Optional.of(rules.get(i).value());
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "DiffRules" + patterns();
  }

  /** Builds {@link DiffRules}; each setter checks its pattern and values at once. */
  public static final class Builder {
    private final List<PathPattern> ignored = new ArrayList<>();
    private final List<Rule<NumericTolerance>> numeric = new ArrayList<>();
    private final List<Rule<Duration>> timestamps = new ArrayList<>();
    private final List<Rule<Optional<String>>> unordered = new ArrayList<>();
    private final List<PathPattern> ids = new ArrayList<>();

    private Builder() {}

    /** Skips the matching fields and everything below them. */
    public Builder withIgnored(String pattern) {
      ignored.add(PathPattern.parse(pattern));
      return this;
    }

    /**
     * Numbers at the matching fields are equal when they differ by at most {@code absolute}, or by
     * at most {@code relative} times the larger magnitude.
     */
    public Builder withNumericTolerance(String pattern, double absolute, double relative) {
      if (!(absolute >= 0) || Double.isInfinite(absolute) || !(relative >= 0) || Double.isInfinite(relative)) {
        throw new IllegalArgumentException("numeric tolerance of '" + pattern
            + "' must be finite and >= 0, not absolute " + absolute + ", relative " + relative);
      }
      numeric.add(new Rule<>(PathPattern.parse(pattern), new NumericTolerance(absolute, relative)));
      return this;
    }

    /** Timestamps and durations at the matching fields are equal when at most {@code tolerance} apart. */
    public Builder withTimestampTolerance(String pattern, Duration tolerance) {
      Objects.requireNonNull(tolerance, "tolerance");
      if (tolerance.isNegative()) {
        throw new IllegalArgumentException("timestamp tolerance of '" + pattern + "' must not be negative: " + tolerance);
      }
      timestamps.add(new Rule<>(PathPattern.parse(pattern), tolerance));
      return this;
    }

    /** The matching lists are compared as multisets: order does not count. */
    public Builder withUnorderedList(String pattern) {
      unordered.add(new Rule<>(PathPattern.parse(pattern), Optional.empty()));
      return this;
    }

    /**
     * The matching lists of messages are compared as sets keyed by {@code keyField} (a field of
     * the element type): elements with the same key are compared with each other.
     */
    public Builder withUnorderedList(String pattern, String keyField) {
      if (keyField == null || !keyField.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException("key field of unordered list '" + pattern
            + "' must be a field name, not '" + keyField + "'");
      }
      unordered.add(new Rule<>(PathPattern.parse(pattern), Optional.of(keyField)));
      return this;
    }

    /**
     * The matching string fields hold generated ids: the primary's and the candidate's may
     * differ, as long as each primary id always maps to the same candidate id and back; the
     * mapping also rewrites the primary's ids inside other strings before they are compared.
     */
    public Builder withRemappedIds(String pattern) {
      ids.add(PathPattern.parse(pattern));
      return this;
    }

    public DiffRules build() {
      return new DiffRules(this);
    }
  }
}
