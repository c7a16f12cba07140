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
 * @param message the raw jnats message; null for no responders reported by the client
 * @param noResponders whether NATS answered that nobody listens on the subject
 */
public record WireReply(Message message, boolean noResponders) {

  /** Type registry for the {@code Any} details of a JSON Status: ours and google.rpc's. */
  private static final JsonFormat.TypeRegistry DETAIL_TYPES = JsonFormat.TypeRegistry.newBuilder()
      .add(io.natsharness.proto.common.v1.ErrorDetail.getDescriptor())
      .add(com.google.rpc.ErrorDetailsProto.getDescriptor().getMessageTypes())
      .build();

  public WireReply(Message message) {
    this(message, message.isStatusMessage() && message.getStatus().getCode() == 503);
  }

  /** The reply jnats reports as an exception when it was told to report no responders. */
  public static WireReply noRespondersReply() {
    return new WireReply(null, true);
  }

  public Optional<String> header(String name) {
    Headers headers = message == null ? null : message.getHeaders();
    return headers == null ? Optional.empty() : Optional.ofNullable(headers.getFirst(name));
  }

  public byte[] body() {
    return message == null || message.getData() == null ? new byte[0] : message.getData();
  }

  /** A NATS 503 status with no body: nobody listens on the subject. */
  public boolean isNoResponders() {
    return noResponders;
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
        JsonFormat.parser().usingTypeRegistry(DETAIL_TYPES).merge(new String(body(), StandardCharsets.UTF_8), builder);
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
    return noResponders && message == null ? "no responders"
        : "reply on " + message.getSubject() + " headers=" + message.getHeaders() + " body=" + body().length + " bytes";
  }
}
