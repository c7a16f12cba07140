package io.natsharness.sdk.status;

/**
 * Header names and content types of WIRE.md, in one place so that no module spells them twice.
 *
 * <pre>{@code
 * Headers headers = new Headers();
 * headers.put(WireHeaders.NH_DEADLINE, Long.toString(deadline.toEpochMilli()));
 * headers.put(WireHeaders.CONTENT_TYPE, WireHeaders.APPLICATION_PROTOBUF);
 * }</pre>
 */
public final class WireHeaders {

  /** Absolute deadline of the request, Unix epoch milliseconds. */
  public static final String NH_DEADLINE = "Nh-Deadline";
  /** The caller's request id; echoed in the reply. */
  public static final String NH_REQUEST_ID = "Nh-Request-Id";
  /** Canonical status name of an error reply, e.g. {@code NOT_FOUND}. */
  public static final String NH_STATUS = "Nh-Status";
  /** ADR-32 error description header. */
  public static final String SERVICE_ERROR = "Nats-Service-Error";
  /** ADR-32 error code header; carries the HTTP-style number of WIRE.md's table. */
  public static final String SERVICE_ERROR_CODE = "Nats-Service-Error-Code";
  /** Idempotency key of mutating methods; a repeat returns the first result. */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  /** {@code Bearer <token>}, forwarded by the gateway. */
  public static final String AUTHORIZATION = "Authorization";
  /** Body encoding of a request or reply. */
  public static final String CONTENT_TYPE = "Content-Type";
  /** W3C trace context. */
  public static final String TRACEPARENT = "traceparent";
  /** W3C trace state. */
  public static final String TRACESTATE = "tracestate";
  /** Sequence number (1, 2, 3, ...) of a stream chunk. */
  public static final String STREAM_SEQ = "Nh-Stream-Seq";
  /** Marks the end message of a stream ({@code true}). */
  public static final String STREAM_END = "Nh-Stream-End";
  /** JetStream's de-duplication header; carries the event id. */
  public static final String NATS_MSG_ID = "Nats-Msg-Id";

  /** Protobuf binary encoding (the default when no Content-Type is sent). */
  public static final String APPLICATION_PROTOBUF = "application/protobuf";
  /** Proto3 canonical JSON encoding. */
  public static final String APPLICATION_JSON = "application/json";

  private WireHeaders() {}
}
