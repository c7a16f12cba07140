package io.natsharness.proto.diff;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.Base64;
import java.util.List;

/** Values as proto3 JSON text, for differences and reports; long ones shortened. */
final class Rendering {

  static final int MAX_CHARS = 240;

  private static final JsonFormat.Printer COMPACT = JsonFormat.printer()
      .usingTypeRegistry(TypeRegistries.catalog())
      .omittingInsignificantWhitespace()
      .preservingProtoFieldNames();

  private Rendering() {}

  /** A scalar or message value of {@code field}, as JSON. */
  static String value(FieldDescriptor field, Object value) {
    return shorten(full(field, value));
  }

  static String full(FieldDescriptor field, Object value) {
    return switch (field.getJavaType()) {
      case STRING -> quote((String) value);
      case BYTE_STRING -> quote(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
      case ENUM -> quote(((EnumValueDescriptor) value).getName());
      case MESSAGE -> message((Message) value);
      case LONG -> isUnsigned(field) ? Long.toUnsignedString((Long) value) : String.valueOf(value);
      case INT -> isUnsigned(field) ? Integer.toUnsignedString((Integer) value) : String.valueOf(value);
      default -> String.valueOf(value);
    };
  }

  static boolean isUnsigned(FieldDescriptor field) {
    return switch (field.getType()) {
      case UINT32, UINT64, FIXED32, FIXED64 -> true;
      default -> false;
    };
  }

  /** A message as one line of proto3 JSON with proto field names. */
  static String message(Message message) {
    try {
      return COMPACT.print(message);
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      // an Any of a type outside the registry: show the text form rather than fail the comparison
      return "{" + message.toString().replace('\n', ' ').strip() + "}";
    }
  }

  static String list(FieldDescriptor field, List<?> values) {
    StringBuilder out = new StringBuilder("[");
    for (Object v : values) {
      if (out.length() > 1) {
        out.append(',');
      }
      out.append(full(field, v));
      if (out.length() > MAX_CHARS) {
        break;
      }
    }
    return shorten(out.append(']').toString());
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  static String shorten(String s) {
    return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS) + "...";
  }
}
