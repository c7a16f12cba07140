package io.natsharness.proto.catalog;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Builds messages with every field set to a non-default value, deterministically by seed. Used to
 * check that each type survives encodings (binary, proto3 JSON) intact; the values are arbitrary,
 * not meaningful to a service.
 *
 * <pre>{@code
 * Message example = PopulatedMessages.populated(method.requestType(), 42);
 * }</pre>
 */
public final class PopulatedMessages {

  private static final int MAX_DEPTH = 4;

  private PopulatedMessages() {}

  /** A message of {@code type} (its generated class) with every field set. */
  public static Message populated(Descriptor type, long seed) {
    return fill(MessageTypes.defaultInstance(type).newBuilderForType(), new Random(seed), 0).build();
  }

  private static Message.Builder fill(Message.Builder builder, Random random, int depth) {
    Descriptor type = builder.getDescriptorForType();
    if (type.getFullName().equals(Timestamp.getDescriptor().getFullName())) {
      // JSON accepts only years 0001-9999 and nanos in [0, 1e9).
      return builder.mergeFrom(Timestamp.newBuilder()
          .setSeconds(1_700_000_000L + random.nextInt(100_000_000))
          .setNanos(random.nextInt(1_000_000_000)).build());
    }
    if (type.getFullName().equals(Duration.getDescriptor().getFullName())) {
      return builder.mergeFrom(Duration.newBuilder().setSeconds(1 + random.nextInt(100_000)).build());
    }
    for (FieldDescriptor field : type.getFields()) {
      if (field.getRealContainingOneof() != null
          && field.getRealContainingOneof().getField(0) != field) {
        continue; // one member per oneof
      }
      if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth >= MAX_DEPTH) {
        continue;
      }
      if (field.isMapField()) {
        Message.Builder entry = builder.newBuilderForField(field);
        fill(entry, random, depth + 1);
        builder.addRepeatedField(field, entry.build());
      } else if (field.isRepeated()) {
        for (int i = 0; i < 2; i++) {
          builder.addRepeatedField(field, value(builder, field, random, depth));
        }
      } else {
        builder.setField(field, value(builder, field, random, depth));
      }
    }
    return builder;
  }

  private static Object value(Message.Builder parent, FieldDescriptor field, Random random, int depth) {
    return switch (field.getJavaType()) {
      case INT -> 1 + random.nextInt(1000);
      case LONG -> 1L + random.nextInt(1_000_000);
      case FLOAT -> 0.5f + random.nextInt(100);
      case DOUBLE -> 0.25 + random.nextInt(1000);
      case BOOLEAN -> true;
      case STRING -> field.getName() + "-" + Integer.toHexString(random.nextInt(0xffff)) + " ü\"\n";
      case BYTE_STRING -> com.google.protobuf.ByteString.copyFrom(
          ("bytes-" + random.nextInt(1000)).getBytes(StandardCharsets.UTF_8));
      case ENUM -> nonDefault(field.getEnumType(), random);
      case MESSAGE -> fill(parent.newBuilderForField(field), random, depth + 1).build();
    };
  }

  private static Object nonDefault(EnumDescriptor type, Random random) {
    int count = type.getValues().size();
    return count == 1 ? type.getValues().get(0) : type.getValues().get(1 + random.nextInt(count - 1));
  }
}
