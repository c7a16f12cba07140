package io.natsharness.conformance.wire;

import io.natsharness.conformance.check.Check;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire checks of WIRE.md for every service and method of the catalog: discovery, error
 * replies, deadlines, encodings, request ids, unknown subjects, large payloads, queue groups.
 *
 * <pre>{@code
 * List<Check> checks = WireChecks.all(ServiceCatalog.load());
 * }</pre>
 */
public final class WireChecks {

  private WireChecks() {}

  public static List<Check> all(ServiceCatalog catalog) {
    List<Check> checks = new ArrayList<>();
    for (ServiceInfo service : catalog.services()) {
      checks.addAll(forService(service));
    }
    return checks;
  }

  public static List<Check> forService(ServiceInfo service) {
    List<Check> checks = new ArrayList<>(DiscoveryChecks.forService(service));
    checks.addAll(ServiceChecks.forService(service));
    for (MethodInfo method : service.methods()) {
      checks.addAll(MethodChecks.forMethod(method));
    }
    return checks;
  }
}
