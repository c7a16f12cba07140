package io.natsharness.services.testing;

import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import io.natsharness.services.host.ReferenceHost;
import io.natsharness.services.host.ServiceClasses;
import java.util.List;

/** Starts reference hosts on a harness environment. */
public final class TestHosts {

  private TestHosts() {}

  /** A host of {@code services} on the environment, HTTP on a free port, the environment's key prefix. */
  public static ReferenceHost start(HarnessRuntimeInfo info, String services) {
    return builder(info, services).start();
  }

  public static ReferenceHost.Builder builder(HarnessRuntimeInfo info, String services) {
    return ReferenceHost.builder().withEnvironment(info.implementationEnvironment())
        .withHttpPort(0).withServices(services);
  }

  /** The catalog services whose implementation class exists (the others are still being written). */
  public static List<ServiceInfo> implemented() {
    return ServiceCatalog.load().services().stream().filter(TestHosts::exists).toList();
  }

  private static boolean exists(ServiceInfo service) {
    try {
      Class.forName(ServiceClasses.className(service), false, TestHosts.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
