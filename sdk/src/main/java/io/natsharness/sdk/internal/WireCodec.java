package io.natsharness.sdk.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Body encodings of WIRE.md: protobuf (default) and proto3 JSON, chosen by Content-Type.
 *
 * <p>Internal to the SDK: its shape may change without notice.
 */
public final class WireCodec {

  private WireCodec() {}

  /**
   * The normalized content type of a header value ({@code null} or empty = protobuf; parameters
   * such as {@code ; charset=utf-8} ignored).
   *
   * @throws RpcException INVALID_ARGUMENT for any other type
   */
  public static String contentType(String header) {
    if (header == null || header.isBlank()) {
      return WireHeaders.APPLICATION_PROTOBUF;
    }
    int semicolon = header.indexOf(';');
    String type = (semicolon >= 0 ? header.substring(0, semicolon) : header).strip().toLowerCase(Locale.ROOT);
    return switch (type) {
      case WireHeaders.APPLICATION_PROTOBUF, "application/x-protobuf" -> WireHeaders.APPLICATION_PROTOBUF;
      case WireHeaders.APPLICATION_JSON -> WireHeaders.APPLICATION_JSON;
      default -> throw RpcException.invalidArgument(WireHeaders.CONTENT_TYPE,
          "unsupported content type '" + header + "': use application/protobuf or application/json");
    };
  }

  /** Encodes a message in the given (normalized) content type. */
  public static byte[] encode(Message message, String contentType) {
    if (WireHeaders.APPLICATION_JSON.equals(contentType)) {
      return ProtoJson.print(message).getBytes(StandardCharsets.UTF_8);
    }
    return message.toByteArray();
  }

  /**
   * Decodes a body of the given (normalized) content type into the prototype's type.
   *
   * @throws RpcException INVALID_ARGUMENT naming what is wrong with the body
   */
  @SuppressWarnings("unchecked")
  public static <M extends Message> M decode(M prototype, String contentType, byte[] body) {
    byte[] bytes = body == null ? new byte[0] : body;
    String type = prototype.getDescriptorForType().getFullName();
    try {
      if (WireHeaders.APPLICATION_JSON.equals(contentType)) {
        Message.Builder builder = prototype.newBuilderForType();
        String json = new String(bytes, StandardCharsets.UTF_8);
        ProtoJson.merge(json.isBlank() ? "{}" : json, builder);
        return (M) builder.build();
      }
      return (M) prototype.getParserForType().parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw RpcException.invalidArgument("", "body is not a valid " + type
          + (WireHeaders.APPLICATION_JSON.equals(contentType) ? " in proto3 JSON: " : " in protobuf: ")
          + e.getMessage());
    }
  }
}
