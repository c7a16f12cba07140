package io.natsharness.services.host.http;

import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.service.ServiceDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HTTP routes of the hosted services, from each method's {@code google.api.http} binding.
 * When two templates match, the one with more literal characters wins (so {@code …/items:list}
 * beats {@code …/items/{id}}), as the router service resolves.
 */
final class RouteTable {

  /** One route: a method of a hosted service. */
  record Entry(MethodInfo method, ServiceDefinition definition) {}

  /** A matched route and the path variables bound by its template. */
  record Match(Entry entry, Map<String, String> pathVariables) {}

  private final List<Entry> entries;

  RouteTable(List<ServiceDefinition> definitions) {
    List<Entry> all = new ArrayList<>();
    for (ServiceDefinition definition : definitions) {
      for (MethodInfo method : definition.info().methods()) {
        all.add(new Entry(method, definition));
      }
    }
    all.sort(Comparator.comparingInt((Entry e) -> e.method().route().path().literalLength()).reversed()
        .thenComparing(e -> e.method().route().path().template()));
    this.entries = List.copyOf(all);
  }

  /** The route of {@code verb} (upper case) and the raw (still percent-encoded) {@code path}. */
  Optional<Match> find(String verb, String path) {
    for (Entry entry : entries) {
      if (!entry.method().route().verb().equals(verb)) {
        continue;
      }
      Optional<Map<String, String>> variables = entry.method().route().path().match(path);
      if (variables.isPresent()) {
        return Optional.of(new Match(entry, variables.get()));
      }
    }
    return Optional.empty();
  }

  /** The verbs under which {@code path} has a route (for a helpful NOT_FOUND message). */
  List<String> verbsOf(String path) {
    return entries.stream()
        .filter(e -> e.method().route().path().match(path).isPresent())
        .map(e -> e.method().route().verb())
        .distinct().sorted().toList();
  }

  int size() {
    return entries.size();
  }
}
