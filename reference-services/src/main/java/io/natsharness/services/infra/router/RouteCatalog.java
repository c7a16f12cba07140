package io.natsharness.services.infra.router;

import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.catalog.PathTemplate;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.natsharness.proto.infra.router.v1.Route;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The routing table of the HTTP surface, read from the catalog: one route per method, from its
 * {@code google.api.http} binding. Never a hand-written list, so it cannot drift from the schemas.
 */
final class RouteCatalog {

  /** A route matched by {@link #resolve}. */
  record Resolved(MethodInfo method, Map<String, String> pathParams) {}

  private final Map<String, MethodInfo> bySubject = new LinkedHashMap<>();
  private final List<MethodInfo> byPrecedence;

  RouteCatalog(ServiceCatalog catalog) {
    catalog.methods().forEach(m -> bySubject.put(m.subject(), m));
    // More literal segments first, then more literal characters: "/items/latest" beats "/items/{id}".
    this.byPrecedence = catalog.methods().stream()
        .sorted(Comparator.comparingInt((MethodInfo m) -> literalSegments(m.route().path())).reversed()
            .thenComparing(Comparator.comparingInt((MethodInfo m) -> m.route().path().literalLength()).reversed())
            .thenComparing(m -> m.route().path().template()))
        .toList();
  }

  Optional<MethodInfo> method(String subject) {
    return Optional.ofNullable(bySubject.get(subject));
  }

  /** Every method, in catalog order. */
  List<MethodInfo> methods() {
    return List.copyOf(bySubject.values());
  }

  /** The route of {@code verb} (upper case) that matches {@code path} (no query string). */
  Optional<Resolved> resolve(String verb, String path) {
    for (MethodInfo method : byPrecedence) {
      if (!method.route().verb().equals(verb)) {
        continue;
      }
      Optional<Map<String, String>> params = method.route().path().match(path);
      if (params.isPresent()) {
        return Optional.of(new Resolved(method, params.get()));
      }
    }
    return Optional.empty();
  }

  /** The route of a method, without its mode. */
  static Route.Builder route(MethodInfo method) {
    return Route.newBuilder()
        .setHttpMethod(method.route().verb())
        .setPathTemplate(method.route().path().template())
        .setBody(method.route().body())
        .setSubject(method.subject())
        .setService(method.service())
        .setMethod(method.descriptor().getFullName())
        .setRequestType(method.requestType().getFullName())
        .setResponseType(method.responseType().getFullName())
        .setServerStreaming(method.serverStreaming())
        .setNoSideEffects(method.hasNoSideEffects())
        .setRequiresIdempotencyKey(method.requiresIdempotencyKey());
  }

  private static int literalSegments(PathTemplate template) {
    return (int) Arrays.stream(template.template().split("/"))
        .filter(segment -> !segment.isEmpty() && !segment.contains("{"))
        .count();
  }
}
