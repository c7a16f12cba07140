package io.natsharness.proto.diff;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.ErrorDetailsProto;
import com.google.rpc.StatusProto;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * The JSON type registry of every message type the catalog can carry inside an {@code Any}: every
 * type of the schemas, {@code google.rpc.Status} and the standard error details. proto3 JSON can
 * neither print nor read an {@code Any} without one.
 *
 * <pre>{@code
 * String json = JsonFormat.printer().usingTypeRegistry(TypeRegistries.catalog()).print(status);
 * }</pre>
 */
public final class TypeRegistries {

  private TypeRegistries() {}

  private static final class Holder {
    static final JsonFormat.TypeRegistry CATALOG = build();
  }

  /** The registry of the catalog's types (built once). */
  public static JsonFormat.TypeRegistry catalog() {
    return Holder.CATALOG;
  }

  private static JsonFormat.TypeRegistry build() {
    JsonFormat.TypeRegistry.Builder registry = JsonFormat.TypeRegistry.newBuilder();
    Deque<FileDescriptor> pending = new ArrayDeque<>();
    for (ServiceInfo service : ServiceCatalog.load().services()) {
      pending.add(service.descriptor().getFile());
    }
    pending.add(StatusProto.getDescriptor());
    pending.add(ErrorDetailsProto.getDescriptor());
    Set<String> seen = new HashSet<>();
    while (!pending.isEmpty()) {
      FileDescriptor file = pending.pop();
      if (!seen.add(file.getName())) {
        continue;
      }
      for (Descriptor type : file.getMessageTypes()) {
        registry.add(type);
      }
      pending.addAll(file.getDependencies());
    }
    return registry.build();
  }
}
