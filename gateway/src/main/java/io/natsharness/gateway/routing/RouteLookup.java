package io.natsharness.gateway.routing;

import io.natsharness.proto.catalog.MethodInfo;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the route table says about one (verb, path): a method, no route at all (404), or a route
 * that exists under other verbs only (405).
 *
 * <pre>{@code
 * switch (table.lookup("GET", "/v1/util/time/now")) {
 *   case RouteLookup.Found f -> f.method().subject();
 *   ...
 * }
 * }</pre>
 */
public sealed interface RouteLookup {

  /** The path and verb select this method; path variables are percent-decoded. */
  record Found(MethodInfo method, Map<String, String> pathVariables) implements RouteLookup {
    public Found {
      Objects.requireNonNull(method, "method");
      pathVariables = Map.copyOf(pathVariables);
    }
  }

  /** The path is not valid percent-encoding (answered 400). */
  record MalformedPath(String reason) implements RouteLookup {}

  /** No template matches the path. */
  record NotFound() implements RouteLookup {}

  /** Templates match the path, but under other verbs (for the {@code Allow} header). */
  record WrongMethod(Set<String> allowed) implements RouteLookup {
    public WrongMethod {
      allowed = Set.copyOf(allowed);
    }
  }
}
