package io.natsharness.proto.catalog;

import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.util.List;
import java.util.Optional;

/**
 * One service of the catalog.
 *
 * <pre>{@code
 * ServiceInfo payment = ServiceCatalog.load().service("payment").orElseThrow();
 * payment.subjectPrefix(); // "svc.util.payment.v1"
 * payment.methods();       // create_wallet, get_balance, charge, refund, list_transactions
 * }</pre>
 *
 * @param name ADR-32 service name, e.g. {@code ai_integration}
 * @param version semantic version the service registers with
 * @param protoPackage the proto package, {@code <domain>.<service>.v1}
 * @param domain the first package segment: ai, game, infra, content, util
 * @param subjectPrefix {@code svc.<domain>.<service>.v1}
 * @param schemaFile the path of the defining .proto file
 * @param descriptor the protobuf service descriptor
 * @param methods the methods in declaration order
 * @param events the events the service publishes
 * @param documentation the service's comment in the proto file
 */
public record ServiceInfo(
    String name,
    String version,
    String protoPackage,
    String domain,
    String subjectPrefix,
    String schemaFile,
    ServiceDescriptor descriptor,
    List<MethodInfo> methods,
    List<EventInfo> events,
    String documentation) {

  public ServiceInfo {
    methods = List.copyOf(methods);
    events = List.copyOf(events);
  }

  /** The method with this subject-style name ({@code infer_stream}), if the service has it. */
  public Optional<MethodInfo> method(String methodName) {
    return methods.stream().filter(m -> m.name().equals(methodName)).findFirst();
  }

  /** JetStream stream that stores this service's events: {@code EVT_<DOMAIN>}. */
  public String eventStream() {
    return "EVT_" + domain.toUpperCase(java.util.Locale.ROOT);
  }

  @Override
  public String toString() {
    return name;
  }
}
