package io.natsharness.sdk.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.StatusCodes;
import io.natsharness.sdk.status.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Error replies of WIRE.md: the {@code Nats-Service-Error}, {@code Nats-Service-Error-Code} and
 * {@code Nh-Status} headers plus a {@code google.rpc.Status} body, both ways.
 *
 * <p>Internal to the SDK: its shape may change without notice.
 */
public final class WireErrors {

  /** Header values are CRLF text: longer messages travel whole in the body only. */
  private static final int MAX_HEADER_MESSAGE = 1024;

  private WireErrors() {}

  /** Adds the error headers to {@code headers} and returns the Status body in {@code contentType}. */
  public static byte[] writeError(RpcException error, Headers headers, String contentType) {
    headers.put(WireHeaders.SERVICE_ERROR, headerSafe(error.statusMessage()));
    headers.put(WireHeaders.SERVICE_ERROR_CODE, Integer.toString(error.httpStatus()));
    headers.put(WireHeaders.NH_STATUS, error.code().name());
    headers.put(WireHeaders.CONTENT_TYPE, contentType);
    return WireCodec.encode(error.status(), contentType);
  }

  /** Whether a reply carries an error (error headers, or a NATS status such as no responders). */
  public static boolean isError(Message reply) {
    if (reply.isStatusMessage()) {
      return true;
    }
    Headers h = reply.getHeaders();
    return h != null && (first(h, WireHeaders.SERVICE_ERROR_CODE).isPresent()
        || first(h, WireHeaders.NH_STATUS).isPresent());
  }

  /**
   * The error a reply stands for, if it is one: the Status body when it parses, else what the
   * headers say (an ADR-32 error of another implementation), else INTERNAL.
   */
  public static Optional<RpcException> readError(Message reply, String subject) {
    if (reply.isStatusMessage()) {
      int code = reply.getStatus().getCode();
      if (code == 503) {
        return Optional.of(RpcException.unavailable("no responders for " + subject));
      }
      return Optional.of(new RpcException(StatusCodes.fromHttpStatus(code),
          "NATS status " + code + " " + reply.getStatus().getMessage() + " for " + subject));
    }
    if (!isError(reply)) {
      return Optional.empty();
    }
    Headers h = reply.getHeaders();
    Optional<Code> named = first(h, WireHeaders.NH_STATUS).flatMap(WireErrors::code);
    byte[] body = reply.getData();
    if (body != null && body.length > 0) {
      try {
        String type = WireCodec.contentType(first(h, WireHeaders.CONTENT_TYPE).orElse(null));
        Status status = decodeStatus(type, body);
        if (status.getCode() != 0) {
          return Optional.of(new RpcException(status));
        }
      } catch (RuntimeException | InvalidProtocolBufferException e) {
        // Fall through to the headers: the body is not a Status.
      }
    }
    Code code = named.orElseGet(() -> first(h, WireHeaders.SERVICE_ERROR_CODE)
        .flatMap(WireErrors::number).map(StatusCodes::fromHttpStatus).orElse(Code.INTERNAL));
    String message = first(h, WireHeaders.SERVICE_ERROR).orElse("error reply from " + subject);
    return Optional.of(new RpcException(code, message));
  }

  /** The first value of a header, matched case-insensitively. */
  public static Optional<String> first(Headers headers, String name) {
    if (headers == null) {
      return Optional.empty();
    }
    List<String> values = headers.get(name);
    if (values == null || values.isEmpty()) {
      values = headers.getIgnoreCase(name);
    }
    return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
  }

  /** Printable US-ASCII only, bounded: what a NATS header value may hold. */
  public static String headerSafe(String value) {
    if (value == null || value.isEmpty()) {
      return "error";
    }
    StringBuilder b = new StringBuilder(Math.min(value.length(), MAX_HEADER_MESSAGE));
    for (int i = 0; i < value.length() && b.length() < MAX_HEADER_MESSAGE; i++) {
      char c = value.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }

  private static Status decodeStatus(String type, byte[] body) throws InvalidProtocolBufferException {
    if (WireHeaders.APPLICATION_JSON.equals(type)) {
      Status.Builder builder = Status.newBuilder();
      ProtoJson.merge(new String(body, StandardCharsets.UTF_8), builder);
      return builder.build();
    }
    return Status.parseFrom(body);
  }

  private static Optional<Code> code(String name) {
    try {
      return Optional.of(StatusCodes.fromName(name));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<Integer> number(String value) {
    try {
      return Optional.of(Integer.parseInt(value.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
