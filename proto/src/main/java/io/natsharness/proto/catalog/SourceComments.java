package io.natsharness.proto.catalog;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo.Location;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The comments of one .proto file, looked up by descriptor path (descriptor.proto's numbering). */
final class SourceComments {

  // Field numbers in descriptor.proto.
  static final int FILE_MESSAGE_TYPE = 4;
  static final int FILE_SERVICE = 6;
  static final int SERVICE_METHOD = 2;

  private final Map<List<Integer>, String> leading = new HashMap<>();

  SourceComments(FileDescriptorProto file) {
    for (Location location : file.getSourceCodeInfo().getLocationList()) {
      if (location.hasLeadingComments()) {
        leading.put(List.copyOf(location.getPathList()), clean(location.getLeadingComments()));
      }
    }
  }

  String service(int serviceIndex) {
    return leading.getOrDefault(List.of(FILE_SERVICE, serviceIndex), "");
  }

  String method(int serviceIndex, int methodIndex) {
    return leading.getOrDefault(
        List.of(FILE_SERVICE, serviceIndex, SERVICE_METHOD, methodIndex), "");
  }

  private static String clean(String comment) {
    return comment.lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElse("").strip();
  }
}
