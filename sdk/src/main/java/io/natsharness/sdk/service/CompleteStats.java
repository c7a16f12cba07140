package io.natsharness.sdk.service;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.MessageHandler;
import io.nats.client.support.JsonParseException;
import io.nats.client.support.JsonParser;
import io.nats.client.support.JsonValue;
import io.nats.service.Service;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Answers {@code $SRV.STATS} with every field ADR-32 requires. jnats leaves out zero counters and
 * an empty {@code last_error} (an endpoint that served nothing shows neither {@code num_requests}
 * nor {@code num_errors}); this takes jnats' own stats and fills the gaps with 0 and "".
 *
 * <p>It works as the service's stats dispatcher: jnats subscribes its STATS handler through it,
 * and the subscription answers with the completed response instead.
 */
final class CompleteStats {

  private static final Map<String, JsonValue> REQUIRED = requiredDefaults();

  private CompleteStats() {}

  /** A stats dispatcher over {@code delegate} answering for the service {@code service} returns. */
  static Dispatcher dispatcher(Dispatcher delegate, Connection connection, Supplier<Service> service) {
    MessageHandler answer = msg -> {
      if (msg.getReplyTo() != null) {
        String json = complete(service.get().getStatsResponse().toJson());
        connection.publish(msg.getReplyTo(), json.getBytes(StandardCharsets.UTF_8));
      }
    };
    return (Dispatcher) Proxy.newProxyInstance(Dispatcher.class.getClassLoader(), new Class<?>[] {Dispatcher.class},
        (proxy, method, args) -> {
          int count = args == null ? 0 : args.length;
          if (method.getName().equals("subscribe") && count == 2 && args[1] instanceof MessageHandler) {
            return delegate.subscribe((String) args[0], answer);
          }
          if (method.getName().equals("subscribe") && count == 3 && args[2] instanceof MessageHandler) {
            return delegate.subscribe((String) args[0], (String) args[1], answer);
          }
          if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
              case "equals" -> proxy == args[0];
              case "hashCode" -> System.identityHashCode(proxy);
              default -> "CompleteStats[" + delegate + "]";
            };
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** jnats' stats JSON with the required endpoint fields added where missing. */
  static String complete(String json) {
    JsonValue root;
    try {
      root = JsonParser.parse(json);
    } catch (JsonParseException e) {
      return json;
    }
    if (root.map == null) {
      return json;
    }
    Map<String, JsonValue> top = new LinkedHashMap<>(root.map);
    JsonValue endpoints = top.get("endpoints");
    List<JsonValue> completed = new ArrayList<>();
    if (endpoints != null && endpoints.array != null) {
      for (JsonValue endpoint : endpoints.array) {
        Map<String, JsonValue> fields = new LinkedHashMap<>(endpoint.map == null ? Map.of() : endpoint.map);
        REQUIRED.forEach(fields::putIfAbsent);
        completed.add(new JsonValue(fields));
      }
    }
    top.put("endpoints", new JsonValue(completed));
    return new JsonValue(top).toJson();
  }

  private static Map<String, JsonValue> requiredDefaults() {
    Map<String, JsonValue> defaults = new LinkedHashMap<>();
    defaults.put("num_requests", new JsonValue(0L));
    defaults.put("num_errors", new JsonValue(0L));
    defaults.put("processing_time", new JsonValue(0L));
    defaults.put("average_processing_time", new JsonValue(0L));
    defaults.put("last_error", new JsonValue(""));
    return defaults;
  }
}
