package io.natsharness.proto.diff;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Fields an answer carried that its schema does not know, by path. */
final class UnknownFields {

  private UnknownFields() {}

  /** The unknown fields of a binary message and of every message inside it. */
  static Map<String, String> ofBinary(Message message) {
    Map<String, String> out = new TreeMap<>();
    collect("", message, out);
    return out;
  }

  private static void collect(String path, Message message, Map<String, String> out) {
    UnknownFieldSet unknown = message.getUnknownFields();
    for (Map.Entry<Integer, UnknownFieldSet.Field> e : unknown.asMap().entrySet()) {
      out.put(FieldPath.child(path, "#" + e.getKey()),
          Rendering.shorten(UnknownFieldSet.newBuilder().addField(e.getKey(), e.getValue()).build()
              .toString().replace('\n', ' ').strip()));
    }
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      FieldDescriptor fd = e.getKey();
      if (fd.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      String child = FieldPath.child(path, fd.getName());
      if (fd.isRepeated()) {
        List<?> values = (List<?>) e.getValue();
        for (int i = 0; i < values.size(); i++) {
          collect(fd.isMapField() ? child : FieldPath.index(child, i), (Message) values.get(i), out);
        }
      } else {
        collect(child, (Message) e.getValue(), out);
      }
    }
  }
}
