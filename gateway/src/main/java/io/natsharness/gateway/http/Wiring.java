package io.natsharness.gateway.http;

import io.nats.client.Connection;
import io.natsharness.gateway.auth.TokenValidator;
import io.natsharness.gateway.config.GatewayConfig;
import io.natsharness.gateway.cutover.ModeTable;
import io.natsharness.gateway.limits.InFlightLimiter;
import io.natsharness.gateway.metrics.GatewayMetrics;
import io.natsharness.gateway.routing.RouteTable;
import io.natsharness.gateway.shadow.ShadowRecorder;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.http.HttpTranscoder;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything the HTTP handlers use, assembled by {@link io.natsharness.gateway.Gateway}. Internal
 * wiring, public only because the gateway and its handlers live in different packages.
 *
 * <pre>{@code
 * new GatewayHandler(new Wiring(config, table, routes, limiter, modes, auth, nats, client,
 *     HttpTranscoder.create(), metrics, shadow, maxBody, maxPayload, registry::scrape));
 * }</pre>
 *
 * @param config the configuration
 * @param table the catalog's routes
 * @param routes per-route runtime settings by subject
 * @param limiter in-flight bounds
 * @param modes live cutover modes
 * @param auth the bearer-token check, when any route needs one
 * @param nats the NATS connection (health)
 * @param client the RPC client for NATS calls
 * @param transcoder JSON and error bodies
 * @param metrics meters
 * @param shadow the SHADOW comparison recorder
 * @param maxBodyBytes the effective body limit (at most NATS max_payload)
 * @param maxPayload the NATS server's max_payload
 * @param scrape the Prometheus text for /metrics
 */
public record Wiring(
    GatewayConfig config,
    RouteTable table,
    Map<String, RouteRuntime> routes,
    InFlightLimiter limiter,
    ModeTable modes,
    Optional<TokenValidator> auth,
    Connection nats,
    RpcClient client,
    HttpTranscoder transcoder,
    GatewayMetrics metrics,
    ShadowRecorder shadow,
    long maxBodyBytes,
    long maxPayload,
    Supplier<String> scrape) {

  public Wiring {
    routes = Map.copyOf(routes);
  }
}
