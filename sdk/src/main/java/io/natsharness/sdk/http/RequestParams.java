package io.natsharness.sdk.http;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import io.natsharness.sdk.status.RpcException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Path variables and query parameters as one proto3 JSON object, so that JsonFormat does the type
 * conversions (numbers, bools, enums by name or number, Timestamp, Duration, wrappers, bytes) and
 * the request is built by the same parser as a JSON body. Every value is a JSON string, which
 * proto3 JSON accepts for every scalar type.
 */
final class RequestParams {

  /** Field path → values; nested objects for dotted paths. */
  private final Map<String, Object> root = new LinkedHashMap<>();
  private final Descriptor type;

  RequestParams(Descriptor type) {
    this.type = type;
  }

  /**
   * Adds a parameter. {@code source} says where it came from, for error messages ("query
   * parameter", "path variable").
   *
   * @throws RpcException INVALID_ARGUMENT when the path names no scalar field, or a singular field
   *     gets several values
   */
  void add(String source, String path, List<String> values) {
    if (values == null || values.isEmpty()) {
      return;
    }
    String[] segments = path.split("\\.", -1);
    Descriptor current = type;
    Map<String, Object> node = root;
    for (int i = 0; i < segments.length; i++) {
      FieldDescriptor field = field(current, segments[i]);
      if (field == null) {
        throw RpcException.invalidArgument(path, source + " '" + path + "' names no field of "
            + type.getFullName());
      }
      boolean last = i == segments.length - 1;
      if (!last) {
        if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE || field.isRepeated()) {
          throw RpcException.invalidArgument(path, source + " '" + path + "': " + field.getName()
              + " is not a message field");
        }
        node = child(node, field.getName(), path, source);
        current = field.getMessageType();
        continue;
      }
      if (field.isMapField()) {
        throw RpcException.invalidArgument(path, source + " '" + path + "': map fields cannot be set this way");
      }
      if (field.isRepeated()) {
        node.put(field.getName(), new ArrayList<>(values));
      } else if (values.size() > 1) {
        throw RpcException.invalidArgument(path, source + " '" + path + "' is given " + values.size()
            + " times but is not repeated");
      } else {
        node.put(field.getName(), values.get(0));
      }
    }
  }

  boolean isEmpty() {
    return root.isEmpty();
  }

  /** The parameters as a JSON object. */
  String toJson() {
    StringBuilder json = new StringBuilder();
    write(root, json);
    return json.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> child(Map<String, Object> node, String name, String path, String source) {
    Object existing = node.get(name);
    if (existing == null) {
      Map<String, Object> created = new LinkedHashMap<>();
      node.put(name, created);
      return created;
    }
    if (existing instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw RpcException.invalidArgument(path, source + " '" + path + "' conflicts with another parameter");
  }

  /** A field by proto name or JSON name. */
  static FieldDescriptor field(Descriptor type, String name) {
    FieldDescriptor field = type.findFieldByName(name);
    if (field != null) {
      return field;
    }
    for (FieldDescriptor f : type.getFields()) {
      if (f.getJsonName().equals(name)) {
        return f;
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static void write(Object value, StringBuilder json) {
    if (value instanceof Map<?, ?> map) {
      json.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
        if (!first) {
          json.append(',');
        }
        first = false;
        string(e.getKey(), json);
        json.append(':');
        write(e.getValue(), json);
      }
      json.append('}');
    } else if (value instanceof List<?> list) {
      json.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          json.append(',');
        }
        string((String) list.get(i), json);
      }
      json.append(']');
    } else {
      string((String) value, json);
    }
  }

  private static void string(String s, StringBuilder json) {
    json.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
