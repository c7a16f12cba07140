package io.natsharness.proto.compat;

/**
 * One change between the baseline contract and the current one that would break an old client.
 *
 * @param kind what kind of break
 * @param element the fully qualified element, e.g. {@code util.payment.v1.ChargeRequest.amount}
 * @param detail what changed, in words
 */
public record Breakage(Kind kind, String element, String detail) {

  /** The kinds of break the guard knows; the rules of {@code buf breaking} at WIRE_JSON level. */
  public enum Kind {
    FILE_REMOVED,
    MESSAGE_REMOVED,
    FIELD_REMOVED,
    FIELD_RENUMBERED,
    FIELD_TYPE_CHANGED,
    FIELD_CARDINALITY_CHANGED,
    FIELD_JSON_NAME_CHANGED,
    FIELD_ONEOF_CHANGED,
    ENUM_REMOVED,
    ENUM_VALUE_REMOVED,
    ENUM_VALUE_NAME_CHANGED,
    SERVICE_REMOVED,
    METHOD_REMOVED,
    METHOD_TYPE_CHANGED,
    METHOD_STREAMING_CHANGED,
    METHOD_SUBJECT_CHANGED,
    METHOD_ROUTE_CHANGED,
    METHOD_IDEMPOTENCY_KEY_REQUIRED
  }

  @Override
  public String toString() {
    return kind + " " + element + ": " + detail;
  }
}
