package io.natsharness.proto.compat;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.compat.Breakage.Kind;
import io.natsharness.proto.options.OptionsProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Compares two versions of the contract and lists the changes that would break a client built
 * against the old one, at the wire (protobuf binary) or JSON level, or at the NATS and HTTP
 * addresses of its methods. Additions never break.
 *
 * <p>The rules follow {@code buf breaking} at its WIRE_JSON level, plus our own options: a removed
 * or renumbered field (unless its number and name are reserved), an incompatible type or
 * cardinality, a changed JSON name, a field moved into or out of a oneof, a removed enum value or a
 * renamed one (JSON carries enum names), removed messages, enums, services and methods, a method
 * whose types, streaming, subject or HTTP route changed, and a method that newly requires an
 * Idempotency-Key (old clients do not send one).
 *
 * <pre>{@code
 * List<Breakage> breaks = BreakingChangeDetector.compare(baseline, current);
 * }</pre>
 */
public final class BreakingChangeDetector {

  private final List<Breakage> found = new ArrayList<>();

  private BreakingChangeDetector() {}

  /** The breaking changes from {@code baseline} to {@code current}, in a deterministic order. */
  public static List<Breakage> compare(FileDescriptorSet baseline, FileDescriptorSet current) {
    BreakingChangeDetector detector = new BreakingChangeDetector();
    Map<String, FileDescriptorProto> now = index(current.getFileList(), FileDescriptorProto::getName);
    for (FileDescriptorProto old : baseline.getFileList()) {
      if (!ServiceCatalog.isSchemaFile(old.getName())) {
        continue;
      }
      FileDescriptorProto neu = now.get(old.getName());
      if (neu == null) {
        detector.add(Kind.FILE_REMOVED, old.getName(), "schema file removed");
        continue;
      }
      detector.compareFile(old, neu);
    }
    return List.copyOf(detector.found);
  }

  private void compareFile(FileDescriptorProto old, FileDescriptorProto neu) {
    String pkg = old.getPackage();
    compareMessages(pkg, old.getMessageTypeList(), neu.getMessageTypeList());
    compareEnums(pkg, old.getEnumTypeList(), neu.getEnumTypeList());
    Map<String, ServiceDescriptorProto> services = index(neu.getServiceList(), ServiceDescriptorProto::getName);
    for (ServiceDescriptorProto s : old.getServiceList()) {
      String name = pkg + "." + s.getName();
      ServiceDescriptorProto now = services.get(s.getName());
      if (now == null) {
        add(Kind.SERVICE_REMOVED, name, "service removed");
      } else {
        compareService(name, s, now);
      }
    }
  }

  private void compareMessages(String scope, List<DescriptorProto> old, List<DescriptorProto> neu) {
    Map<String, DescriptorProto> now = index(neu, DescriptorProto::getName);
    for (DescriptorProto m : old) {
      String name = scope + "." + m.getName();
      DescriptorProto current = now.get(m.getName());
      if (current == null) {
        add(Kind.MESSAGE_REMOVED, name, "message removed");
        continue;
      }
      compareFields(name, m, current);
      compareMessages(name, m.getNestedTypeList(), current.getNestedTypeList());
      compareEnums(name, m.getEnumTypeList(), current.getEnumTypeList());
    }
  }

  private void compareFields(String message, DescriptorProto old, DescriptorProto neu) {
    Map<Integer, FieldDescriptorProto> byNumber = index(neu.getFieldList(), FieldDescriptorProto::getNumber);
    Map<String, FieldDescriptorProto> byName = index(neu.getFieldList(), FieldDescriptorProto::getName);
    for (FieldDescriptorProto f : old.getFieldList()) {
      String name = message + "." + f.getName();
      FieldDescriptorProto now = byNumber.get(f.getNumber());
      if (now == null) {
        FieldDescriptorProto renamedNumber = byName.get(f.getName());
        if (renamedNumber != null) {
          add(Kind.FIELD_RENUMBERED, name,
              "field number changed from " + f.getNumber() + " to " + renamedNumber.getNumber());
        } else if (!isReserved(neu, f)) {
          add(Kind.FIELD_REMOVED, name, "field " + f.getNumber() + " removed without reserving its"
              + " number and name");
        }
        continue;
      }
      if (!typeOf(f).equals(typeOf(now))) {
        add(Kind.FIELD_TYPE_CHANGED, name, "type changed from " + typeOf(f) + " to " + typeOf(now));
      }
      if (isRepeated(f) != isRepeated(now)) {
        add(Kind.FIELD_CARDINALITY_CHANGED, name, "changed from " + label(f) + " to " + label(now));
      }
      if (!jsonName(f).equals(jsonName(now))) {
        add(Kind.FIELD_JSON_NAME_CHANGED, name,
            "JSON name changed from \"" + jsonName(f) + "\" to \"" + jsonName(now) + "\"");
      }
      String oldOneof = oneof(old, f);
      String newOneof = oneof(neu, now);
      if (!Objects.equals(oldOneof, newOneof)) {
        add(Kind.FIELD_ONEOF_CHANGED, name,
            "oneof changed from " + describeOneof(oldOneof) + " to " + describeOneof(newOneof));
      }
    }
  }

  private void compareEnums(String scope, List<EnumDescriptorProto> old, List<EnumDescriptorProto> neu) {
    Map<String, EnumDescriptorProto> now = index(neu, EnumDescriptorProto::getName);
    for (EnumDescriptorProto e : old) {
      String name = scope + "." + e.getName();
      EnumDescriptorProto current = now.get(e.getName());
      if (current == null) {
        add(Kind.ENUM_REMOVED, name, "enum removed");
        continue;
      }
      Map<Integer, EnumValueDescriptorProto> values =
          index(current.getValueList(), EnumValueDescriptorProto::getNumber);
      for (EnumValueDescriptorProto v : e.getValueList()) {
        EnumValueDescriptorProto nv = values.get(v.getNumber());
        if (nv == null) {
          boolean reserved = current.getReservedRangeList().stream()
              .anyMatch(r -> v.getNumber() >= r.getStart() && v.getNumber() <= r.getEnd());
          if (!reserved) {
            add(Kind.ENUM_VALUE_REMOVED, name + "." + v.getName(), "value " + v.getNumber() + " removed");
          }
        } else if (!nv.getName().equals(v.getName())) {
          add(Kind.ENUM_VALUE_NAME_CHANGED, name + "." + v.getName(),
              "value " + v.getNumber() + " renamed to " + nv.getName() + " (JSON carries the name)");
        }
      }
    }
  }

  private void compareService(String service, ServiceDescriptorProto old, ServiceDescriptorProto neu) {
    Map<String, MethodDescriptorProto> now = index(neu.getMethodList(), MethodDescriptorProto::getName);
    for (MethodDescriptorProto m : old.getMethodList()) {
      String name = service + "." + m.getName();
      MethodDescriptorProto current = now.get(m.getName());
      if (current == null) {
        add(Kind.METHOD_REMOVED, name, "method removed (subject "
            + m.getOptions().getExtension(OptionsProto.subject) + ")");
        continue;
      }
      if (!m.getInputType().equals(current.getInputType())
          || !m.getOutputType().equals(current.getOutputType())) {
        add(Kind.METHOD_TYPE_CHANGED, name, "types changed from (" + m.getInputType() + ") returns ("
            + m.getOutputType() + ") to (" + current.getInputType() + ") returns ("
            + current.getOutputType() + ")");
      }
      if (m.getServerStreaming() != current.getServerStreaming()
          || m.getClientStreaming() != current.getClientStreaming()) {
        add(Kind.METHOD_STREAMING_CHANGED, name, "streaming changed");
      }
      String oldSubject = m.getOptions().getExtension(OptionsProto.subject);
      String newSubject = current.getOptions().getExtension(OptionsProto.subject);
      if (!oldSubject.equals(newSubject)) {
        add(Kind.METHOD_SUBJECT_CHANGED, name, "subject changed from " + oldSubject + " to " + newSubject);
      }
      String oldRoute = route(m.getOptions().getExtension(AnnotationsProto.http));
      String newRoute = route(current.getOptions().getExtension(AnnotationsProto.http));
      if (!oldRoute.equals(newRoute)) {
        add(Kind.METHOD_ROUTE_CHANGED, name, "HTTP route changed from " + oldRoute + " to " + newRoute);
      }
      if (!m.getOptions().getExtension(OptionsProto.requiresIdempotencyKey)
          && current.getOptions().getExtension(OptionsProto.requiresIdempotencyKey)) {
        add(Kind.METHOD_IDEMPOTENCY_KEY_REQUIRED, name,
            "now requires an Idempotency-Key that old clients do not send");
      }
    }
  }

  private static String route(HttpRule rule) {
    String verbAndPath = switch (rule.getPatternCase()) {
      case GET -> "GET " + rule.getGet();
      case POST -> "POST " + rule.getPost();
      case PUT -> "PUT " + rule.getPut();
      case PATCH -> "PATCH " + rule.getPatch();
      case DELETE -> "DELETE " + rule.getDelete();
      case CUSTOM -> rule.getCustom().getKind() + " " + rule.getCustom().getPath();
      default -> "(none)";
    };
    return rule.getBody().isEmpty() ? verbAndPath : verbAndPath + " body=" + rule.getBody();
  }

  private static boolean isReserved(DescriptorProto message, FieldDescriptorProto field) {
    boolean number = message.getReservedRangeList().stream()
        .anyMatch(r -> field.getNumber() >= r.getStart() && field.getNumber() < r.getEnd());
    return number && message.getReservedNameList().contains(field.getName());
  }

  private static String typeOf(FieldDescriptorProto f) {
    return f.hasTypeName() ? f.getTypeName() : f.getType().name().substring("TYPE_".length()).toLowerCase();
  }

  private static boolean isRepeated(FieldDescriptorProto f) {
    return f.getLabel() == FieldDescriptorProto.Label.LABEL_REPEATED;
  }

  private static String label(FieldDescriptorProto f) {
    return isRepeated(f) ? "repeated" : "singular";
  }

  /** protoc fills json_name in descriptor sets; derive it the same way when absent. */
  private static String jsonName(FieldDescriptorProto f) {
    if (f.hasJsonName()) {
      return f.getJsonName();
    }
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : f.getName().toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }

  /** The real oneof a field belongs to; proto3 {@code optional} makes a synthetic one, ignored. */
  private static String oneof(DescriptorProto message, FieldDescriptorProto f) {
    if (!f.hasOneofIndex() || f.getProto3Optional()) {
      return null;
    }
    return message.getOneofDecl(f.getOneofIndex()).getName();
  }

  private static String describeOneof(String oneof) {
    return oneof == null ? "none" : oneof;
  }

  private void add(Kind kind, String element, String detail) {
    found.add(new Breakage(kind, element, detail));
  }

  private static <K, V> Map<K, V> index(List<V> values, Function<V, K> key) {
    Map<K, V> map = new LinkedHashMap<>();
    values.forEach(v -> map.put(key.apply(v), v));
    return map;
  }
}
