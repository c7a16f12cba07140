package io.natsharness.conformance.mutants;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.sdk.status.WireHeaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Bodies as {@link WireHost} reads and writes them, with protobuf's own codecs: binary, or proto3
 * JSON for {@code application/json}. Independent of the SDK's internal codec on purpose, so the
 * host is a second implementation of WIRE.md and not the SDK's in disguise.
 */
final class WireBodies {

  private static final ObjectMapper JACKSON = new ObjectMapper();
  /** {@code Any} in Status details resolves against every type of the catalog and google.rpc's. */
  private static final JsonFormat.TypeRegistry TYPES = registry();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().usingTypeRegistry(TYPES)
      .alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(TYPES);

  private WireBodies() {}

  /**
   * The encoding a Content-Type header asks for: protobuf when absent, JSON, or empty when it is
   * neither (parameters such as {@code ; charset=utf-8} are ignored).
   */
  static Optional<String> encoding(Optional<String> header) {
    String type = header.map(h -> h.split(";", 2)[0].strip().toLowerCase(Locale.ROOT)).orElse("");
    return switch (type) {
      case "", WireHeaders.APPLICATION_PROTOBUF, "application/x-protobuf" ->
          Optional.of(WireHeaders.APPLICATION_PROTOBUF);
      case WireHeaders.APPLICATION_JSON -> Optional.of(WireHeaders.APPLICATION_JSON);
      default -> Optional.empty();
    };
  }

  /** Parses a request body of {@code prototype}'s type. */
  static Message decode(Message prototype, String encoding, byte[] body) throws InvalidProtocolBufferException {
    byte[] bytes = body == null ? new byte[0] : body;
    if (WireHeaders.APPLICATION_JSON.equals(encoding)) {
      Message.Builder builder = prototype.newBuilderForType();
      String json = new String(bytes, StandardCharsets.UTF_8);
      PARSER.merge(json.isBlank() ? "{}" : json, builder);
      return builder.build();
    }
    return prototype.getParserForType().parseFrom(bytes);
  }

  /** A message in {@code encoding}; with {@code pascalCase}, every JSON key starts upper case. */
  static byte[] encode(Message message, String encoding, boolean pascalCase) {
    if (!WireHeaders.APPLICATION_JSON.equals(encoding)) {
      return message.toByteArray();
    }
    try {
      String json = PRINTER.print(message);
      return pascalCase ? JACKSON.writeValueAsBytes(pascal(JACKSON.readTree(json)))
          : json.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot print " + message.getDescriptorForType().getFullName() + " as JSON", e);
    }
  }

  /**
   * jnats' {@code $SRV.STATS} JSON with every counter ADR-32 requires: jnats leaves out those that
   * are still zero.
   */
  static byte[] completeStats(String json) {
    JsonNode root;
    try {
      root = JACKSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("jnats printed STATS that are not JSON: " + json, e);
    }
    for (JsonNode endpoint : root.path("endpoints")) {
      ObjectNode fields = (ObjectNode) endpoint;
      for (Map.Entry<String, Object> required : Map.<String, Object>of("num_requests", 0L, "num_errors", 0L,
          "processing_time", 0L, "average_processing_time", 0L, "last_error", "").entrySet()) {
        if (!fields.has(required.getKey())) {
          fields.set(required.getKey(), JACKSON.valueToTree(required.getValue()));
        }
      }
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode pascal(JsonNode node) {
    if (node instanceof ObjectNode object) {
      ObjectNode renamed = JACKSON.createObjectNode();
      object.properties().forEach(e -> renamed.set(
          e.getKey().isEmpty() ? "" : Character.toUpperCase(e.getKey().charAt(0)) + e.getKey().substring(1),
          pascal(e.getValue())));
      return renamed;
    }
    if (node instanceof ArrayNode array) {
      ArrayNode renamed = JACKSON.createArrayNode();
      array.forEach(item -> renamed.add(pascal(item)));
      return renamed;
    }
    return node;
  }

  private static JsonFormat.TypeRegistry registry() {
    JsonFormat.TypeRegistry.Builder builder = JsonFormat.TypeRegistry.newBuilder()
        .add(com.google.rpc.ErrorDetailsProto.getDescriptor().getMessageTypes())
        .add(io.natsharness.proto.common.v1.ErrorDetail.getDescriptor());
    ServiceCatalog.load().services().forEach(s -> builder.add(s.descriptor().getFile().getMessageTypes()));
    return builder.build();
  }
}
