package io.natsharness.sdk.status;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.proto.common.v1.ErrorDetail;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one exception type of the wire: a canonical code, a message and a {@code google.rpc.Status}
 * with its details. Handlers throw it to answer an error; clients receive it for every failure.
 *
 * <pre>{@code
 * throw RpcException.invalidArgument("amount.minor_units", "must be in [1, 10^15]");
 * throw RpcException.failedPrecondition("INSUFFICIENT_FUNDS", "balance 120 EUR is below 500");
 *
 * try { client.call(subject, request); }
 * catch (RpcException e) { if (e.code() == Code.NOT_FOUND) { ... } }
 * }</pre>
 */
public class RpcException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Status status;

  /** An error with a code and a message and no details. */
  public RpcException(Code code, String message) {
    this(Status.newBuilder().setCode(checkError(code).getNumber())
        .setMessage(message == null ? "" : message).build());
  }

  /** An error with a code, a message and a cause (kept for logs; never sent on the wire). */
  public RpcException(Code code, String message, Throwable cause) {
    this(Status.newBuilder().setCode(checkError(code).getNumber())
        .setMessage(message == null ? "" : message).build(), cause);
  }

  /** An error from a {@code google.rpc.Status}, e.g. one decoded from a reply body. */
  public RpcException(Status status) {
    this(status, null);
  }

  private RpcException(Status status, Throwable cause) {
    super(describe(status), cause);
    this.status = Objects.requireNonNull(status, "status");
  }

  /** The canonical code ({@code UNKNOWN} when the status carries a number outside the table). */
  public Code code() {
    return StatusCodes.fromNumber(status.getCode());
  }

  /** The full status: code number, message and details packed as {@code Any}. */
  public Status status() {
    return status;
  }

  /** The status message, without the code prefix of {@link #getMessage()}. */
  public String statusMessage() {
    return status.getMessage();
  }

  /** The HTTP status (and {@code Nats-Service-Error-Code}) of the code. */
  public int httpStatus() {
    Code code = code();
    return code == Code.OK ? 500 : StatusCodes.httpStatus(code);
  }

  /** The first {@code common.v1.ErrorDetail} among the details, if any. */
  public Optional<ErrorDetail> errorDetail() {
    return detail(ErrorDetail.class);
  }

  /** The first detail of the given type, if any. */
  public <T extends Message> Optional<T> detail(Class<T> type) {
    for (Any any : status.getDetailsList()) {
      if (any.is(type)) {
        try {
          return Optional.of(any.unpack(type));
        } catch (InvalidProtocolBufferException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** A copy with one more detail packed into the status. */
  public RpcException withDetail(Message detail) {
    return new RpcException(status.toBuilder().addDetails(Any.pack(detail)).build(), getCause());
  }

  /** INVALID_ARGUMENT naming the field (ErrorDetail reason {@code FIELD_INVALID}). */
  public static RpcException invalidArgument(String field, String description) {
    String message = field == null || field.isEmpty() ? description : field + ": " + description;
    return withErrorDetail(Code.INVALID_ARGUMENT, message, ErrorDetail.newBuilder()
        .setReason("FIELD_INVALID").setField(field == null ? "" : field)
        .setDescription(description == null ? "" : description).build());
  }

  public static RpcException notFound(String message) {
    return new RpcException(Code.NOT_FOUND, message);
  }

  public static RpcException alreadyExists(String message) {
    return new RpcException(Code.ALREADY_EXISTS, message);
  }

  /** FAILED_PRECONDITION with an ErrorDetail carrying the machine-readable reason. */
  public static RpcException failedPrecondition(String reason, String message) {
    return withErrorDetail(Code.FAILED_PRECONDITION, message, ErrorDetail.newBuilder()
        .setReason(reason == null ? "" : reason).setDescription(message == null ? "" : message).build());
  }

  public static RpcException aborted(String message) {
    return new RpcException(Code.ABORTED, message);
  }

  public static RpcException outOfRange(String message) {
    return new RpcException(Code.OUT_OF_RANGE, message);
  }

  public static RpcException permissionDenied(String message) {
    return new RpcException(Code.PERMISSION_DENIED, message);
  }

  public static RpcException unauthenticated(String message) {
    return new RpcException(Code.UNAUTHENTICATED, message);
  }

  public static RpcException resourceExhausted(String message) {
    return new RpcException(Code.RESOURCE_EXHAUSTED, message);
  }

  public static RpcException dataLoss(String message) {
    return new RpcException(Code.DATA_LOSS, message);
  }

  public static RpcException deadlineExceeded(String message) {
    return new RpcException(Code.DEADLINE_EXCEEDED, message);
  }

  public static RpcException unavailable(String message) {
    return new RpcException(Code.UNAVAILABLE, message);
  }

  public static RpcException internal(String message) {
    return new RpcException(Code.INTERNAL, message);
  }

  public static RpcException unimplemented(String message) {
    return new RpcException(Code.UNIMPLEMENTED, message);
  }

  public static RpcException cancelled(String message) {
    return new RpcException(Code.CANCELLED, message);
  }

  private static RpcException withErrorDetail(Code code, String message, ErrorDetail detail) {
    return new RpcException(Status.newBuilder().setCode(code.getNumber())
        .setMessage(message == null ? "" : message).addAllDetails(List.of(Any.pack(detail))).build());
  }

  private static Code checkError(Code code) {
    Objects.requireNonNull(code, "code");
    if (code == Code.OK || code == Code.UNRECOGNIZED) {
      throw new IllegalArgumentException(code + " is not an error code");
    }
    return code;
  }

  private static String describe(Status status) {
    Objects.requireNonNull(status, "status");
    return StatusCodes.fromNumber(status.getCode()).name() + ": " + status.getMessage();
  }
}
