package io.natsharness.conformance.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.natsharness.sdk.status.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One reply as it came over the wire, with the readings a check needs: headers, the error status,
 * the body. Nothing is interpreted by the SDK's client, so a missing header stays missing.
 *
 * @param message the raw jnats message
 */
public record WireReply(Message message) {

  public Optional<String> header(String name) {
    Headers headers = message.getHeaders();
    return headers == null ? Optional.empty() : Optional.ofNullable(headers.getFirst(name));
  }

  public byte[] body() {
    return message.getData() == null ? new byte[0] : message.getData();
  }

  /** A NATS 503 status with no body: nobody listens on the subject. */
  public boolean isNoResponders() {
    return message.isStatusMessage() && message.getStatus().getCode() == 503;
  }

  /** Whether any of the error headers is present. */
  public boolean isError() {
    return header(WireHeaders.SERVICE_ERROR_CODE).isPresent() || header(WireHeaders.NH_STATUS).isPresent()
        || header(WireHeaders.SERVICE_ERROR).isPresent();
  }

  /** The canonical status named by {@code Nh-Status}, if present and known. */
  public Optional<Code> statusHeader() {
    return header(WireHeaders.NH_STATUS).map(name -> {
      try {
        return Code.valueOf(name.strip());
      } catch (IllegalArgumentException e) {
        return Code.UNRECOGNIZED;
      }
    });
  }

  /**
   * The error body as a {@code google.rpc.Status}, read in the encoding the reply declares
   * (protobuf unless its Content-Type says JSON).
   *
   * @throws IllegalStateException if the body is not a Status in that encoding
   */
  public Status status() {
    try {
      if (isJson()) {
        Status.Builder builder = Status.newBuilder();
        JsonFormat.parser().ignoringUnknownFields().merge(new String(body(), StandardCharsets.UTF_8), builder);
        return builder.build();
      }
      return Status.parseFrom(body());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("error body is not a google.rpc.Status ("
          + (isJson() ? "JSON" : "protobuf") + "): " + e.getMessage(), e);
    }
  }

  public boolean isJson() {
    return header(WireHeaders.CONTENT_TYPE).map(c -> c.startsWith(WireHeaders.APPLICATION_JSON)).orElse(false);
  }

  @Override
  public String toString() {
    return "reply on " + message.getSubject() + " headers=" + message.getHeaders() + " body="
        + body().length + " bytes";
  }
}
