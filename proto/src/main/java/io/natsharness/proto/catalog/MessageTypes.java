package io.natsharness.proto.catalog;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the generated Java class of a message descriptor, so code that only knows a descriptor
 * (from the catalog) still builds and parses typed messages rather than {@code DynamicMessage}s.
 *
 * <pre>{@code
 * Message proto = MessageTypes.defaultInstance(method.requestType());
 * Message parsed = proto.getParserForType().parseFrom(bytes);
 * }</pre>
 */
public final class MessageTypes {

  private static final Map<String, Message> CACHE = new ConcurrentHashMap<>();

  private MessageTypes() {}

  /**
   * The default instance of the generated class for {@code type}.
   *
   * @throws IllegalStateException if no generated class is on the class path
   */
  public static Message defaultInstance(Descriptor type) {
    return CACHE.computeIfAbsent(type.getFullName(), name -> load(type));
  }

  /** The binary name of the generated class, e.g. {@code io.natsharness.proto.ai.llm.v1.InferRequest}. */
  public static String javaClassName(Descriptor type) {
    Deque<String> names = new ArrayDeque<>();
    for (Descriptor d = type; d != null; d = d.getContainingType()) {
      names.addFirst(d.getName());
    }
    FileDescriptor file = type.getFile();
    String pkg = file.getOptions().hasJavaPackage()
        ? file.getOptions().getJavaPackage()
        : file.getPackage();
    StringBuilder name = new StringBuilder(pkg).append('.');
    if (!file.getOptions().getJavaMultipleFiles()) {
      name.append(outerClassName(file)).append('$');
    }
    return name.append(String.join("$", names)).toString();
  }

  private static String outerClassName(FileDescriptor file) {
    if (file.getOptions().hasJavaOuterClassname()) {
      return file.getOptions().getJavaOuterClassname();
    }
    String base = file.getName().substring(file.getName().lastIndexOf('/') + 1).replace(".proto", "");
    StringBuilder camel = new StringBuilder();
    boolean upper = true;
    for (char c : base.toCharArray()) {
      if (c == '_' || c == '-') {
        upper = true;
      } else {
        camel.append(upper ? Character.toUpperCase(c) : c);
        upper = Character.isDigit(c);
      }
    }
    return camel.toString();
  }

  private static Message load(Descriptor type) {
    String className = javaClassName(type);
    try {
      Class<?> cls = Class.forName(className, true, MessageTypes.class.getClassLoader());
      return (Message) cls.getMethod("getDefaultInstance").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          "no generated class " + className + " for message " + type.getFullName(), e);
    }
  }
}
