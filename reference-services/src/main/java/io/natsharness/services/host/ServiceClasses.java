package io.natsharness.services.host;

import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.catalog.ServiceInfo;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.services.support.ServiceContext;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Finds the implementation class of a catalog service by the module's naming convention, so the
 * host needs no hand-written list: service {@code payment} (proto package
 * {@code util.payment.v1}, proto service {@code Payment}) is
 * {@code io.natsharness.services.util.payment.PaymentService}, with a public constructor taking a
 * {@link ServiceContext}.
 *
 * <pre>{@code
 * List<ServiceInfo> chosen = ServiceClasses.select("payment,quest_system");
 * NatsService payment = ServiceClasses.instantiate(chosen.get(0), ctx);
 * }</pre>
 */
public final class ServiceClasses {

  /** Root package of the implementations. */
  public static final String ROOT_PACKAGE = "io.natsharness.services";

  private ServiceClasses() {}

  /** The class name the convention gives a catalog service. */
  public static String className(ServiceInfo service) {
    String pkg = service.protoPackage();
    String withoutVersion = pkg.substring(0, pkg.lastIndexOf('.'));
    return ROOT_PACKAGE + "." + withoutVersion + "." + service.descriptor().getName() + "Service";
  }

  /**
   * The catalog services named by {@code spec}: {@code all} (case-insensitive) or a comma list of
   * catalog names, in catalog order, without duplicates.
   *
   * @throws IllegalArgumentException for an empty spec or an unknown name (the message lists the
   *     known names)
   */
  public static List<ServiceInfo> select(String spec) {
    ServiceCatalog catalog = ServiceCatalog.load();
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("no services selected: give 'all' or a comma list of service names");
    }
    if (spec.strip().toLowerCase(Locale.ROOT).equals("all")) {
      return catalog.services();
    }
    Set<String> names = new LinkedHashSet<>();
    for (String raw : spec.split(",")) {
      String name = raw.strip();
      if (name.isEmpty()) {
        continue;
      }
      if (catalog.service(name).isEmpty()) {
        throw new IllegalArgumentException("unknown service '" + name + "' (known: "
            + catalog.services().stream().map(ServiceInfo::name).toList() + ")");
      }
      names.add(name);
    }
    if (names.isEmpty()) {
      throw new IllegalArgumentException("no services selected: give 'all' or a comma list of service names");
    }
    List<ServiceInfo> chosen = new ArrayList<>();
    for (ServiceInfo service : catalog.services()) {
      if (names.contains(service.name())) {
        chosen.add(service);
      }
    }
    return chosen;
  }

  /**
   * Creates the implementation of {@code service} with {@code ctx}.
   *
   * @throws IllegalStateException when the class is missing, is not a {@link NatsService}, has no
   *     public {@code (ServiceContext)} constructor, answers another name, or its constructor fails
   */
  public static NatsService instantiate(ServiceInfo service, ServiceContext ctx) {
    String className = className(service);
    Class<?> type;
    try {
      type = Class.forName(className, true, ServiceClasses.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("service '" + service.name() + "' has no implementation: class "
          + className + " is not on the class path", e);
    }
    if (!NatsService.class.isAssignableFrom(type)) {
      throw new IllegalStateException(className + " does not implement " + NatsService.class.getName());
    }
    NatsService instance;
    try {
      Constructor<?> constructor = type.getConstructor(ServiceContext.class);
      instance = (NatsService) constructor.newInstance(ctx);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(className + " needs a public constructor (ServiceContext)", e);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("cannot create service '" + service.name() + "': " + cause.getMessage(), cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create service '" + service.name() + "': " + e.getMessage(), e);
    }
    if (!service.name().equals(instance.name())) {
      throw new IllegalStateException(className + ".name() answers '" + instance.name()
          + "' but the catalog names it '" + service.name() + "'");
    }
    return instance;
  }
}
