package io.natsharness.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.natsharness.gateway.cutover.CutoverMode;
import io.natsharness.gateway.cutover.ModeTable;
import io.natsharness.gateway.limits.InFlightLimiter;
import io.natsharness.gateway.metrics.GatewayMetrics;
import io.natsharness.gateway.routing.RouteLookup;
import io.natsharness.proto.catalog.ServiceCatalog;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The CANARY player key")
class PlayerKeyTest {

  private static final GatewayMetrics METRICS = new GatewayMetrics(new SimpleMeterRegistry(),
      new InFlightLimiter(1, s -> 1), new ModeTable(CutoverMode.nats()));
  private static final RouteLookup.Found QUESTS = new RouteLookup.Found(
      ServiceCatalog.load().method("svc.game.quests.v1.get_player_quests").orElseThrow(), Map.of("player_id", "p-path"));
  private static final RouteLookup.Found INFER = new RouteLookup.Found(
      ServiceCatalog.load().method("svc.ai.llm.v1.infer").orElseThrow(), Map.of());

  private static HttpServerExchange exchange(String... headers) {
    HttpServerExchange ex = new HttpServerExchange(null);
    for (int i = 0; i < headers.length; i += 2) {
      ex.getRequestHeaders().put(new HttpString(headers[i]), headers[i + 1]);
    }
    return ex;
  }

  private static String key(HttpServerExchange ex, RouteLookup.Found found) {
    RequestContext rc = RequestContext.begin(ex, METRICS);
    rc.trace = W3CTraceContextPropagator.getInstance().extract(Context.root(), ex, new TextMapGetter<>() {
      @Override
      public Iterable<String> keys(HttpServerExchange carrier) {
        return java.util.List.of("traceparent");
      }

      @Override
      public String get(HttpServerExchange carrier, String key) {
        return carrier.getRequestHeaders().getFirst(key);
      }
    });
    return GatewayHandler.playerKey(ex, rc, found, "X-Player-Id");
  }

  @Test
  @DisplayName("is the configured header first")
  void header() {
    assertThat(key(exchange("X-Player-Id", " p-header ", "Nh-Request-Id", "r-1"), QUESTS)).isEqualTo("p-header");
  }

  @Test
  @DisplayName("then a player_id path variable")
  void pathVariable() {
    assertThat(key(exchange("Nh-Request-Id", "r-1"), QUESTS)).isEqualTo("p-path");
  }

  @Test
  @DisplayName("then the caller's Nh-Request-Id")
  void requestId() {
    assertThat(key(exchange("Nh-Request-Id", "r-1"), INFER)).isEqualTo("r-1");
  }

  @Test
  @DisplayName("then the trace id of traceparent")
  void traceId() {
    assertThat(key(exchange("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), INFER))
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  @DisplayName("else the generated request id")
  void generated() {
    HttpServerExchange ex = exchange();
    String key = key(ex, INFER);
    assertThat(key).isEqualTo(ex.getResponseHeaders().getFirst("Nh-Request-Id")).matches("[0-9a-f-]{36}");
  }
}
