package io.natsharness.sdk.internal;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.ErrorDetailsProto;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import java.util.HashSet;
import java.util.Set;

/**
 * Proto3 JSON as this project speaks it, in one place: the NATS JSON encoding and the HTTP side
 * print and parse alike. Unknown fields are refused (a typo must not pass silently); fields without
 * presence are always printed (an HTTP client sees {@code "tokensUsed": 0}, not a missing key);
 * {@code Any} values resolve against every type of the catalog and google.rpc's error details.
 *
 * <p>Internal to the SDK: its shape may change without notice.
 */
public final class ProtoJson {

  private static final JsonFormat.TypeRegistry TYPES = buildTypeRegistry();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
      .usingTypeRegistry(TYPES).alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().usingTypeRegistry(TYPES);

  private ProtoJson() {}

  /** The message as compact proto3 JSON. */
  public static String print(Message message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      // Only an Any of a type outside the registry gets here: a programming error of the sender.
      throw new IllegalArgumentException("cannot print " + message.getDescriptorForType().getFullName()
          + " as JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Merges JSON into a builder.
   *
   * @throws InvalidProtocolBufferException for malformed JSON, unknown fields or wrong types
   */
  public static void merge(String json, Message.Builder builder) throws InvalidProtocolBufferException {
    PARSER.merge(json, builder);
  }

  /** The registry {@code Any} values resolve against. */
  public static JsonFormat.TypeRegistry typeRegistry() {
    return TYPES;
  }

  private static JsonFormat.TypeRegistry buildTypeRegistry() {
    JsonFormat.TypeRegistry.Builder builder = JsonFormat.TypeRegistry.newBuilder();
    Set<String> seen = new HashSet<>();
    addFile(builder, ErrorDetailsProto.getDescriptor(), seen);
    for (ServiceInfo service : ServiceCatalog.load().services()) {
      addFile(builder, service.descriptor().getFile(), seen);
    }
    return builder.build();
  }

  private static void addFile(JsonFormat.TypeRegistry.Builder builder, FileDescriptor file, Set<String> seen) {
    if (!seen.add(file.getFullName())) {
      return;
    }
    for (Descriptor type : file.getMessageTypes()) {
      builder.add(type);
    }
    for (FileDescriptor dependency : file.getDependencies()) {
      addFile(builder, dependency, seen);
    }
  }
}
