package io.natsharness.proto.diff;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Every field path of a message type, for checking rule patterns against it. */
final class FieldPaths {

  private static final int MAX_DEPTH = 10;

  private FieldPaths() {}

  /** The field-name paths of {@code type}, down to well-known types (whole values) and recursion. */
  static List<List<String>> of(Descriptor type) {
    List<List<String>> out = new ArrayList<>();
    walk(type, new ArrayList<>(), new HashSet<>(), out);
    return out;
  }

  private static void walk(Descriptor type, List<String> prefix, Set<String> chain, List<List<String>> out) {
    if (prefix.size() >= MAX_DEPTH || !chain.add(type.getFullName())) {
      return;
    }
    for (FieldDescriptor fd : type.getFields()) {
      List<String> path = new ArrayList<>(prefix);
      path.add(fd.getName());
      out.add(path);
      Descriptor child = null;
      if (fd.isMapField()) {
        FieldDescriptor value = fd.getMessageType().findFieldByName("value");
        child = value.getJavaType() == FieldDescriptor.JavaType.MESSAGE ? value.getMessageType() : null;
      } else if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        child = fd.getMessageType();
      }
      if (child != null && !child.getFile().getPackage().equals("google.protobuf")) {
        walk(child, path, chain, out);
      }
    }
    chain.remove(type.getFullName());
  }
}
