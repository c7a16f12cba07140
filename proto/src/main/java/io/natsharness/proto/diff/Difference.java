package io.natsharness.proto.diff;

import java.util.Objects;

/**
 * One place where a candidate's answer differs from the primary's.
 *
 * <pre>{@code
 * Difference d = new Difference("transactions[2].amount.minor_units", DifferenceKind.VALUE, "500", "450");
 * d.field();     // "transactions.amount.minor_units": the name reports count by
 * d.toString();  // "VALUE transactions[2].amount.minor_units: 500 -> 450"
 * }</pre>
 *
 * @param path where: proto field names joined by {@code .}, {@code [i]} for a list element,
 *     {@code ["key"]} for a map entry; {@code @stream[i]} for the i-th message of a server stream;
 *     {@code @status}, {@code @status.code}, {@code @status.message}, {@code @status.details} for
 *     the outcome of the call (the {@code @} keeps them apart from fields named {@code status});
 *     the empty path for the answer as a whole
 * @param kind how the two sides differ
 * @param primaryValue the primary's value, rendered as proto3 JSON ({@link #ABSENT} when none)
 * @param candidateValue the candidate's value, rendered the same way
 */
public record Difference(String path, DifferenceKind kind, String primaryValue, String candidateValue) {

  /** The rendering of a value that is not there. */
  public static final String ABSENT = "<absent>";

  public Difference {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(primaryValue, "primaryValue");
    Objects.requireNonNull(candidateValue, "candidateValue");
  }

  /** The path without list indices and map keys, e.g. {@code transactions.amount.minor_units}. */
  public String field() {
    return FieldPath.strip(path);
  }

  @Override
  public String toString() {
    return kind + " " + (path.isEmpty() ? "(answer)" : path) + ": " + primaryValue + " -> " + candidateValue;
  }
}
