package io.natsharness.proto.catalog;

import java.util.List;
import java.util.Objects;

/**
 * The {@code google.api.http} binding of a method: its verb, path template and body selector.
 *
 * <pre>{@code
 * HttpRoute route = catalog.method("svc.ai.llm.v1.get_generation").orElseThrow().route();
 * route.verb();                    // "GET"
 * route.path().template();         // "/v1/ai/llm/generations/{generation_id}"
 * route.path().match("/v1/ai/llm/generations/gen-1"); // Optional[{generation_id=gen-1}]
 * }</pre>
 *
 * @param verb upper-case HTTP method (GET, POST, PUT, PATCH, DELETE)
 * @param path the parsed path template
 * @param body the body selector: {@code "*"} for the whole request, a field name, or empty for none
 */
public record HttpRoute(String verb, PathTemplate path, String body) {

  public HttpRoute {
    Objects.requireNonNull(verb, "verb");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(body, "body");
  }

  /** Whether the request (or one field of it) travels in the HTTP body. */
  public boolean hasBody() {
    return !body.isEmpty();
  }

  /** The request fields bound to path segments, in template order. */
  public List<String> pathVariables() {
    return path.variables();
  }

  @Override
  public String toString() {
    return verb + " " + path.template();
  }
}
