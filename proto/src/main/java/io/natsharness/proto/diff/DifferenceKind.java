package io.natsharness.proto.diff;

/**
 * How two answers of one method differ at one path.
 *
 * <pre>{@code
 * for (Difference d : MessageDiff.compare(method, primary, candidate, rules)) {
 *   if (d.kind() == DifferenceKind.ERROR_VS_SUCCESS) { ... }
 * }
 * }</pre>
 */
public enum DifferenceKind {
  /** Both sides have a value at the path and the values differ. */
  VALUE,
  /**
   * The values are of different kinds: another member of a oneof, an {@code Any} of another type,
   * a {@code google.protobuf.Value} of another kind, or a body that is not the method's type.
   */
  TYPE,
  /** The primary has a value at the path; the candidate has none. */
  MISSING,
  /** The candidate has a value at the path; the primary has none. */
  EXTRA,
  /** A list holds the same elements on both sides, in another order. */
  ORDER,
  /** A list has another number of elements (its elements are compared too). */
  SIZE,
  /** One side answered with a message, the other with an error. */
  ERROR_VS_SUCCESS,
  /** Both sides answered with an error, with different codes. */
  STATUS_CODE
}
