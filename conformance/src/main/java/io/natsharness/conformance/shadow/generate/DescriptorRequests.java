package io.natsharness.conformance.shadow.generate;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.natsharness.proto.catalog.MessageTypes;

/**
 * Requests filled from a message type alone, for services without a recipe: every field set with
 * a plausible value (names from the field name, small positive numbers, the first named enum
 * value, one element per list), deterministically from {@link Values}. Valid for simple reads;
 * a service whose requests need prior state answers errors, which still compare.
 */
final class DescriptorRequests {

  private static final int MAX_DEPTH = 3;

  private DescriptorRequests() {}

  static Message fill(Descriptor type, Values values) {
    return fill(MessageTypes.defaultInstance(type).newBuilderForType(), values, 0).build();
  }

  private static Message.Builder fill(Message.Builder b, Values v, int depth) {
    Descriptor type = b.getDescriptorForType();
    if (type.getFile().getPackage().equals("google.protobuf")) {
      return b; // timestamps, durations and wrappers: left unset
    }
    for (FieldDescriptor fd : type.getFields()) {
      if (fd.getRealContainingOneof() != null && fd.getRealContainingOneof().getField(0) != fd) {
        continue;
      }
      if (fd.isMapField() || (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth >= MAX_DEPTH)) {
        continue;
      }
      Object value = value(b, fd, v, depth);
      if (value == null) {
        continue;
      }
      if (fd.isRepeated()) {
        b.addRepeatedField(fd, value);
      } else {
        b.setField(fd, value);
      }
    }
    return b;
  }

  private static Object value(Message.Builder parent, FieldDescriptor fd, Values v, int depth) {
    return switch (fd.getJavaType()) {
      case INT -> v.between(1, 10);
      case LONG -> (long) v.between(1, 10);
      case FLOAT -> (float) v.decimal(0, 1);
      case DOUBLE -> v.decimal(0, 1);
      case BOOLEAN -> Boolean.FALSE;
      case STRING -> v.id(fd.getName().replace('_', '-'));
      case BYTE_STRING -> v.bytes(16);
      case ENUM -> firstNamed(fd.getEnumType());
      case MESSAGE -> fill(parent.newBuilderForField(fd), v, depth + 1).build();
    };
  }

  private static Object firstNamed(EnumDescriptor type) {
    return type.getValues().size() > 1 ? type.getValues().get(1) : type.getValues().get(0);
  }
}
