package io.natsharness.sdk.status;

import com.google.rpc.Code;
import java.util.Locale;

/**
 * WIRE.md's table of canonical codes and their {@code Nats-Service-Error-Code} / HTTP status.
 *
 * <pre>{@code
 * StatusCodes.httpStatus(Code.NOT_FOUND);      // 404
 * StatusCodes.natsErrorCode(Code.ABORTED);     // 409
 * StatusCodes.fromName("DEADLINE_EXCEEDED");   // Code.DEADLINE_EXCEEDED
 * StatusCodes.fromHttpStatus(503);             // Code.UNAVAILABLE
 * }</pre>
 */
public final class StatusCodes {

  private StatusCodes() {}

  /**
   * The HTTP status of a canonical code (grpc-gateway's table, CANCELLED = 499).
   *
   * @throws IllegalArgumentException for {@code OK} and {@code UNRECOGNIZED}, which are not errors
   */
  public static int httpStatus(Code code) {
    return switch (code) {
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case UNAUTHENTICATED -> 401;
      case PERMISSION_DENIED -> 403;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case RESOURCE_EXHAUSTED -> 429;
      case CANCELLED -> 499;
      case INTERNAL, UNKNOWN, DATA_LOSS -> 500;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      case DEADLINE_EXCEEDED -> 504;
      case OK, UNRECOGNIZED -> throw new IllegalArgumentException(code + " is not an error code");
    };
  }

  /** The {@code Nats-Service-Error-Code} of a canonical code: the same number as the HTTP column. */
  public static int natsErrorCode(Code code) {
    return httpStatus(code);
  }

  /**
   * The code named {@code name} ({@code "NOT_FOUND"}; case-insensitive, surrounding blanks ignored).
   *
   * @throws IllegalArgumentException when the name is not a canonical error code
   */
  public static Code fromName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("status name is empty");
    }
    String upper = name.strip().toUpperCase(Locale.ROOT);
    for (Code code : Code.values()) {
      if (code != Code.UNRECOGNIZED && code.name().equals(upper)) {
        return code;
      }
    }
    throw new IllegalArgumentException("unknown status name '" + name + "'");
  }

  /**
   * The canonical code of a gRPC code number; numbers outside the table become {@code UNKNOWN}.
   */
  public static Code fromNumber(int number) {
    Code code = Code.forNumber(number);
    return code == null ? Code.UNKNOWN : code;
  }

  /**
   * The most likely canonical code for an HTTP status, for replies that carry no status body.
   * Several codes share a status (400, 409, 500), so this picks the most common one:
   * 400 INVALID_ARGUMENT, 409 ABORTED, 500 INTERNAL; other 4xx UNKNOWN, other 5xx INTERNAL.
   */
  public static Code fromHttpStatus(int status) {
    return switch (status) {
      case 400 -> Code.INVALID_ARGUMENT;
      case 401 -> Code.UNAUTHENTICATED;
      case 403 -> Code.PERMISSION_DENIED;
      case 404 -> Code.NOT_FOUND;
      case 409 -> Code.ABORTED;
      case 413 -> Code.INVALID_ARGUMENT;
      case 429 -> Code.RESOURCE_EXHAUSTED;
      case 499 -> Code.CANCELLED;
      case 500 -> Code.INTERNAL;
      case 501 -> Code.UNIMPLEMENTED;
      case 502, 503 -> Code.UNAVAILABLE;
      case 504 -> Code.DEADLINE_EXCEEDED;
      default -> status >= 500 ? Code.INTERNAL : Code.UNKNOWN;
    };
  }
}
