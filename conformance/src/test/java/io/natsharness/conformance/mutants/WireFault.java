package io.natsharness.conformance.mutants;

/**
 * One way {@link WireHost} gets the wire of WIRE.md wrong; the SDK's host never makes any of
 * these mistakes, so they are made by a host of their own. Each constant is tested where the host
 * would do the right thing ({@code if (fault == ...)}), so the fault is visible where it bites.
 *
 * <pre>{@code
 * Implementation.provider(new WireHost("no-queue-group", WireFault.NO_QUEUE_GROUP)).services("router");
 * }</pre>
 */
enum WireFault {

  /** The wire done right: the control. */
  NONE,
  /** Error replies carry the two ADR-32 headers and the Status body, but no {@code Nh-Status}. */
  STATUS_HEADER_MISSING,
  /** {@code Nh-Deadline} is never read: an expired request is served, side effects included. */
  DEADLINE_IGNORED,
  /** Errors are answered without telling jnats, so {@code $SRV.STATS} never counts them in num_errors. */
  ERRORS_NOT_COUNTED,
  /** {@code $SRV.STATS} as jnats prints it: counters that are still zero are left out. */
  STATS_ZEROS_OMITTED,
  /** JSON is printed with PascalCase keys ({@code "Routes"}), as a .NET-style serializer would. */
  JSON_PASCAL_CASE,
  /** Endpoints subscribe without queue group {@code q}: every instance gets every request. */
  NO_QUEUE_GROUP,
  /** Stream chunks are numbered 1, 2, 4, 5, …: sequence number 3 is skipped. */
  STREAM_SEQUENCE_GAP,
  /** A stream that ends normally sends no end marker. */
  STREAM_END_MISSING,
  /** {@code Nh-Request-Id} is not echoed in the reply. */
  REQUEST_ID_NOT_ECHOED,
  /** An unknown Content-Type is read as protobuf instead of being refused. */
  UNKNOWN_CONTENT_TYPE_READ_AS_PROTOBUF,
  /** A body that does not parse is answered with an empty response, as success. */
  MALFORMED_BODY_ANSWERED_AS_SUCCESS,
  /** The error body is the message as plain text, not a {@code google.rpc.Status}. */
  ERROR_BODY_PLAIN_TEXT,
  /**
   * A catch-all subscription on the service's subject prefix takes requests for methods that do
   * not exist and never answers them: the caller waits for its timeout instead of getting no responders.
   */
  UNKNOWN_METHOD_SWALLOWED
}
