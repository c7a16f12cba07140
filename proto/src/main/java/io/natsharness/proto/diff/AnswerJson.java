package io.natsharness.proto.diff;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Code;
import com.google.rpc.Status;
import io.natsharness.proto.catalog.MessageTypes;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Answers to and from proto3 JSON: an HTTP/JSON side's body read back into the method's type, so
 * it is compared field by field with a protobuf answer rather than as text; and answers written
 * as JSON for reports.
 *
 * <pre>{@code
 * Answer legacy = AnswerJson.read(method.responseType(), "{\"walletId\":\"wal-1\",\"extra\":1}");
 * // Success with unknownFields {extra=1}: an EXTRA difference against a NATS answer without it
 * Answer refused = AnswerJson.readError("{\"code\":5,\"message\":\"no wallet\"}");
 * String json = AnswerJson.write(refused); // {"status":"NOT_FOUND","error":{"code":5,...}}
 * }</pre>
 */
public final class AnswerJson {

  private static final JsonFormat.Parser STRICT = JsonFormat.parser().usingTypeRegistry(TypeRegistries.catalog());
  private static final JsonFormat.Parser LENIENT = STRICT.ignoringUnknownFields();
  private static final JsonFormat.Parser GENERIC = JsonFormat.parser();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
      .usingTypeRegistry(TypeRegistries.catalog())
      .omittingInsignificantWhitespace()
      .preservingProtoFieldNames();

  /** Types whose JSON form is not an object of their fields: never searched for unknown keys. */
  private static final Set<String> SPECIAL_JSON = Set.of(
      "google.protobuf.Any", "google.protobuf.Timestamp", "google.protobuf.Duration",
      "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue",
      "google.protobuf.FieldMask", "google.protobuf.DoubleValue", "google.protobuf.FloatValue",
      "google.protobuf.Int64Value", "google.protobuf.UInt64Value", "google.protobuf.Int32Value",
      "google.protobuf.UInt32Value", "google.protobuf.BoolValue", "google.protobuf.StringValue",
      "google.protobuf.BytesValue");

  private AnswerJson() {}

  /**
   * Reads a proto3 JSON body as a message of {@code type}. Keys the type does not have are kept
   * as {@link Answer.Success#unknownFields()}; a body that is not JSON, or has a value of the
   * wrong type, is {@link Answer.Unreadable}.
   */
  public static Answer read(Descriptor type, String json) {
    Message.Builder strict = builder(type);
    try {
      STRICT.merge(json, strict);
      return new Answer.Success(strict.build(), Map.of());
    } catch (InvalidProtocolBufferException | RuntimeException strictFailure) {
      Message.Builder lenient = builder(type);
      try {
        LENIENT.merge(json, lenient);
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        return Answer.unreadable("not a " + type.getFullName() + " in proto3 JSON: " + e.getMessage(), json);
      }
      Map<String, String> unknown = unknownKeys(type, json);
      if (unknown.isEmpty()) {
        return Answer.unreadable("not a " + type.getFullName() + " in proto3 JSON: "
            + strictFailure.getMessage(), json);
      }
      return new Answer.Success(lenient.build(), unknown);
    }
  }

  /** Reads a {@code google.rpc.Status} JSON body as an error answer; anything else is unreadable. */
  public static Answer readError(String json) {
    Status.Builder status = Status.newBuilder();
    try {
      LENIENT.merge(json, status);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return Answer.unreadable("not a google.rpc.Status in proto3 JSON: " + e.getMessage(), json);
    }
    if (status.getCode() == Code.OK_VALUE) {
      return Answer.unreadable("an error body without an error code", json);
    }
    return Answer.error(status.build());
  }

  /** The message as one line of proto3 JSON, with proto field names. */
  public static String write(Message message) {
    return Rendering.message(message);
  }

  /**
   * An answer as one JSON object: {@code {"status":"OK","message":{..}}},
   * {@code {"status":"NOT_FOUND","error":{..}}}, {@code {"status":"OK","stream":[..]}} or
   * {@code {"status":"UNKNOWN","unreadable":"..","content":".."}}.
   */
  public static String write(Answer answer) {
    StringBuilder out = new StringBuilder("{\"status\":").append(Rendering.quote(answer.code().name()));
    if (answer instanceof Answer.Success s) {
      out.append(",\"message\":").append(Rendering.message(s.message()));
      if (!s.unknownFields().isEmpty()) {
        out.append(",\"unknown_fields\":{");
        String sep = "";
        for (Map.Entry<String, String> e : new TreeMap<>(s.unknownFields()).entrySet()) {
          out.append(sep).append(Rendering.quote(e.getKey())).append(':').append(asJson(e.getValue()));
          sep = ",";
        }
        out.append('}');
      }
    } else if (answer instanceof Answer.Failure f) {
      out.append(",\"error\":").append(Rendering.message(f.status()));
    } else if (answer instanceof Answer.Stream st) {
      out.append(",\"stream\":[");
      for (int i = 0; i < st.messages().size(); i++) {
        out.append(i == 0 ? "" : ",").append(Rendering.message(st.messages().get(i)));
      }
      out.append(']');
      st.error().ifPresent(e -> out.append(",\"error\":").append(Rendering.message(e)));
    } else if (answer instanceof Answer.Unreadable u) {
      out.append(",\"unreadable\":").append(Rendering.quote(u.problem()))
          .append(",\"content\":").append(Rendering.quote(u.content()));
    }
    return out.append('}').toString();
  }

  private static String asJson(String value) {
    try {
      Value.Builder v = Value.newBuilder();
      GENERIC.merge(value, v);
      return value;
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return Rendering.quote(value); // binary unknown fields are text, not JSON
    }
  }

  private static Message.Builder builder(Descriptor type) {
    try {
      return MessageTypes.defaultInstance(type).newBuilderForType();
    } catch (IllegalStateException noGeneratedClass) {
      return DynamicMessage.newBuilder(type);
    }
  }

  /** Keys of the JSON object that {@code type} has no field for, by path. */
  static Map<String, String> unknownKeys(Descriptor type, String json) {
    Struct.Builder tree = Struct.newBuilder();
    try {
      GENERIC.merge(json, tree);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return Map.of();
    }
    Map<String, String> out = new TreeMap<>();
    walk(type, tree.build(), "", out);
    return out;
  }

  private static void walk(Descriptor type, Struct object, String path, Map<String, String> out) {
    for (Map.Entry<String, Value> e : new TreeMap<>(object.getFieldsMap()).entrySet()) {
      FieldDescriptor fd = field(type, e.getKey());
      if (fd == null) {
        out.put(FieldPath.child(path, e.getKey()), Rendering.shorten(print(e.getValue())));
        continue;
      }
      if (fd.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      String child = FieldPath.child(path, fd.getName());
      Value v = e.getValue();
      if (fd.isMapField()) {
        FieldDescriptor valueField = fd.getMessageType().findFieldByName("value");
        if (valueField.getJavaType() == FieldDescriptor.JavaType.MESSAGE && v.hasStructValue()
            && !SPECIAL_JSON.contains(valueField.getMessageType().getFullName())) {
          for (Map.Entry<String, Value> entry : new TreeMap<>(v.getStructValue().getFieldsMap()).entrySet()) {
            if (entry.getValue().hasStructValue()) {
              walk(valueField.getMessageType(), entry.getValue().getStructValue(),
                  FieldPath.key(child, entry.getKey()), out);
            }
          }
        }
      } else if (!SPECIAL_JSON.contains(fd.getMessageType().getFullName())) {
        if (fd.isRepeated() && v.hasListValue()) {
          ListValue list = v.getListValue();
          for (int i = 0; i < list.getValuesCount(); i++) {
            if (list.getValues(i).hasStructValue()) {
              walk(fd.getMessageType(), list.getValues(i).getStructValue(), FieldPath.index(child, i), out);
            }
          }
        } else if (v.hasStructValue()) {
          walk(fd.getMessageType(), v.getStructValue(), child, out);
        }
      }
    }
  }

  private static FieldDescriptor field(Descriptor type, String key) {
    FieldDescriptor byName = type.findFieldByName(key);
    if (byName != null) {
      return byName;
    }
    for (FieldDescriptor fd : type.getFields()) {
      if (fd.getJsonName().equals(key)) {
        return fd;
      }
    }
    return null;
  }

  /** A JSON value as compact text; integral numbers without a fraction, as they were most likely sent. */
  static String print(Value value) {
    switch (value.getKindCase()) {
      case NUMBER_VALUE -> {
        double d = value.getNumberValue();
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
      }
      case STRING_VALUE -> {
        return Rendering.quote(value.getStringValue());
      }
      case BOOL_VALUE -> {
        return String.valueOf(value.getBoolValue());
      }
      case STRUCT_VALUE -> {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Value> e : new TreeMap<>(value.getStructValue().getFieldsMap()).entrySet()) {
          out.append(out.length() > 1 ? "," : "").append(Rendering.quote(e.getKey())).append(':').append(print(e.getValue()));
        }
        return out.append('}').toString();
      }
      case LIST_VALUE -> {
        StringBuilder out = new StringBuilder("[");
        for (Value v : value.getListValue().getValuesList()) {
          out.append(out.length() > 1 ? "," : "").append(print(v));
        }
        return out.append(']').toString();
      }
      default -> {
        return "null";
      }
    }
  }

}
