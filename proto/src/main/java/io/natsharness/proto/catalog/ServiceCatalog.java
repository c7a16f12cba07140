package io.natsharness.proto.catalog;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.ExtensionRegistry;
import io.natsharness.proto.options.EventSpec;
import io.natsharness.proto.options.OptionsProto;
import io.natsharness.proto.options.ServiceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The services, methods and events of the contract, read from the descriptors that the build
 * generates from proto/. Every module asks this catalog; nothing keeps a second list.
 *
 * <pre>{@code
 * ServiceCatalog catalog = ServiceCatalog.load();
 * for (ServiceInfo service : catalog.services()) {
 *   for (MethodInfo method : service.methods()) {
 *     System.out.println(method.subject() + " " + method.route());
 *   }
 * }
 * MethodInfo charge = catalog.method("svc.util.payment.v1.charge").orElseThrow();
 * }</pre>
 */
public final class ServiceCatalog {

  /** Class-path resource of the descriptor set (with comments) written by protoc at build time. */
  public static final String DESCRIPTOR_SET_RESOURCE = "/io/natsharness/proto/catalog/descriptors.binpb";

  private final FileDescriptorSet descriptorSet;
  private final List<String> schemaFiles;
  private final List<ServiceInfo> services;
  private final Map<String, ServiceInfo> servicesByName = new LinkedHashMap<>();
  private final Map<String, MethodInfo> methodsBySubject = new LinkedHashMap<>();

  private ServiceCatalog(FileDescriptorSet descriptorSet) {
    this.descriptorSet = descriptorSet;
    List<String> files = new ArrayList<>();
    List<ServiceInfo> all = new ArrayList<>();
    // Sorted by path (ai/…, content/…, game/…, infra/…, util/…): a stable order for tables and runs.
    List<FileDescriptorProto> sorted = descriptorSet.getFileList().stream()
        .filter(f -> isSchemaFile(f.getName()))
        .sorted(java.util.Comparator.comparing(FileDescriptorProto::getName))
        .toList();
    for (FileDescriptorProto file : sorted) {
      files.add(file.getName());
      FileDescriptor generated = generatedFile(file);
      SourceComments comments = new SourceComments(file);
      List<ServiceDescriptor> fileServices = generated.getServices();
      for (int i = 0; i < fileServices.size(); i++) {
        ServiceInfo service = service(file.getName(), fileServices.get(i), i, comments);
        all.add(service);
        servicesByName.put(service.name(), service);
        service.methods().forEach(m -> methodsBySubject.put(m.subject(), m));
      }
    }
    this.schemaFiles = Collections.unmodifiableList(files);
    this.services = Collections.unmodifiableList(all);
  }

  /** The catalog of the contract on the class path. Loaded once; immutable. */
  public static ServiceCatalog load() {
    return Holder.INSTANCE;
  }

  /** The descriptor set as protoc wrote it, with source comments and imports. */
  public static FileDescriptorSet readDescriptorSet() {
    try (InputStream in = ServiceCatalog.class.getResourceAsStream(DESCRIPTOR_SET_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("descriptor set " + DESCRIPTOR_SET_RESOURCE
            + " is not on the class path: build the proto module first (./mvnw -pl proto package)");
      }
      return FileDescriptorSet.parseFrom(in, optionsRegistry());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DESCRIPTOR_SET_RESOURCE, e);
    }
  }

  /** An extension registry that knows our custom options and {@code google.api.http}. */
  public static ExtensionRegistry optionsRegistry() {
    ExtensionRegistry registry = ExtensionRegistry.newInstance();
    OptionsProto.registerAllExtensions(registry);
    AnnotationsProto.registerAllExtensions(registry);
    return registry;
  }

  /**
   * Whether a file in the descriptor set is one of the schemas of the contract, as opposed to an
   * import (google/*) or the file that declares our custom options (natsharness/*).
   */
  public static boolean isSchemaFile(String fileName) {
    return !fileName.startsWith("google/") && !fileName.startsWith("natsharness/");
  }

  public FileDescriptorSet descriptorSet() {
    return descriptorSet;
  }

  /** Paths of the schema files: {@code common/v1/common.proto} and one per service. */
  public List<String> schemaFiles() {
    return schemaFiles;
  }

  public List<ServiceInfo> services() {
    return services;
  }

  public Optional<ServiceInfo> service(String name) {
    return Optional.ofNullable(servicesByName.get(name));
  }

  /** Every method of every service, in catalog order. */
  public List<MethodInfo> methods() {
    return List.copyOf(methodsBySubject.values());
  }

  /** The method answering on {@code subject}, e.g. {@code svc.util.payment.v1.charge}. */
  public Optional<MethodInfo> method(String subject) {
    return Optional.ofNullable(methodsBySubject.get(subject));
  }

  /** Every event of every service. */
  public List<EventInfo> events() {
    return services.stream().flatMap(s -> s.events().stream()).toList();
  }

  private static FileDescriptor generatedFile(FileDescriptorProto file) {
    String outer = file.getOptions().getJavaPackage() + "." + file.getOptions().getJavaOuterClassname();
    try {
      return (FileDescriptor) Class.forName(outer).getMethod("getDescriptor").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no generated class " + outer + " for " + file.getName()
          + " (every schema sets java_package and java_outer_classname)", e);
    }
  }

  private static ServiceInfo service(String fileName, ServiceDescriptor sd, int index, SourceComments comments) {
    ServiceSpec spec = sd.getOptions().getExtension(OptionsProto.service);
    String pkg = sd.getFile().getPackage();
    String domain = pkg.substring(0, pkg.indexOf('.'));
    String prefix = "svc." + pkg;
    List<MethodInfo> methods = new ArrayList<>();
    for (int m = 0; m < sd.getMethods().size(); m++) {
      methods.add(method(spec.getName(), sd.getMethods().get(m), comments.method(index, m)));
    }
    String stream = "EVT_" + domain.toUpperCase(java.util.Locale.ROOT);
    List<EventInfo> events = new ArrayList<>();
    for (EventSpec event : spec.getEventsList()) {
      Descriptor type = sd.getFile().findMessageTypeByName(
          event.getType().substring(event.getType().lastIndexOf('.') + 1));
      if (type == null || !type.getFullName().equals(event.getType())) {
        throw new IllegalStateException("event " + event.getName() + " of " + spec.getName()
            + " names type " + event.getType() + ", which its file does not define");
      }
      events.add(new EventInfo(spec.getName(), event.getName(), "evt." + pkg + "." + event.getName(),
          stream, MessageTypes.defaultInstance(type)));
    }
    return new ServiceInfo(spec.getName(), spec.getVersion(), pkg, domain, prefix, fileName, sd,
        methods, events, comments.service(index));
  }

  private static MethodInfo method(String service, MethodDescriptor md, String documentation) {
    String subject = md.getOptions().getExtension(OptionsProto.subject);
    String name = subject.substring(subject.lastIndexOf('.') + 1);
    return new MethodInfo(
        service,
        name,
        subject,
        md,
        MessageTypes.defaultInstance(md.getInputType()),
        MessageTypes.defaultInstance(md.getOutputType()),
        route(md.getOptions().getExtension(AnnotationsProto.http), md),
        md.isServerStreaming(),
        md.getOptions().getExtension(OptionsProto.requiresIdempotencyKey),
        md.getOptions().getIdempotencyLevel(),
        md.getOptions().getExtension(OptionsProto.errors).getCodesList(),
        documentation);
  }

  /** The verb and path of an {@code HttpRule}. */
  public static HttpRoute route(HttpRule rule, MethodDescriptor md) {
    String verb;
    String path;
    switch (rule.getPatternCase()) {
      case GET -> { verb = "GET"; path = rule.getGet(); }
      case POST -> { verb = "POST"; path = rule.getPost(); }
      case PUT -> { verb = "PUT"; path = rule.getPut(); }
      case PATCH -> { verb = "PATCH"; path = rule.getPatch(); }
      case DELETE -> { verb = "DELETE"; path = rule.getDelete(); }
      case CUSTOM -> { verb = rule.getCustom().getKind().toUpperCase(java.util.Locale.ROOT); path = rule.getCustom().getPath(); }
      default -> throw new IllegalStateException(md.getFullName() + " has no google.api.http binding");
    }
    return new HttpRoute(verb, PathTemplate.parse(path), rule.getBody());
  }

  private static final class Holder {
    static final ServiceCatalog INSTANCE = new ServiceCatalog(readDescriptorSet());
  }
}
