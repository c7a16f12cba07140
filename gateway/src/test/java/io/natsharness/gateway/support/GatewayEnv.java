package io.natsharness.gateway.support;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.natsharness.gateway.Gateway;
import io.natsharness.gateway.config.GatewayConfig;
import io.natsharness.gateway.shadow.ShadowResult;
import io.natsharness.harness.HarnessRuntimeInfo;
import io.natsharness.sdk.service.NatsService;
import io.natsharness.sdk.service.ServiceHost;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * One gateway with its own NATS connection, and the test services on another, against the NATS
 * server of the harness. Closed in reverse order of start.
 */
public final class GatewayEnv implements AutoCloseable {

  private final HarnessRuntimeInfo info;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  public final Connection serviceNats;
  public final List<ShadowResult> shadows = new CopyOnWriteArrayList<>();
  private ServiceHost host;
  private Gateway gateway;
  private Connection gatewayNats;
  private Http http;

  private GatewayEnv(HarnessRuntimeInfo info) throws Exception {
    this.info = info;
    this.serviceNats = connect(info, "test-services");
    closeables.add(serviceNats);
  }

  public static GatewayEnv create(HarnessRuntimeInfo info) throws Exception {
    return new GatewayEnv(info);
  }

  public static Connection connect(HarnessRuntimeInfo info, String name) throws Exception {
    return Nats.connect(info.natsOptions().connectionName(name).build());
  }

  /** Serves these test services over NATS (one host per call). */
  public ServiceHost serve(NatsService... services) {
    ServiceHost h = ServiceHost.builder().connection(serviceNats).add(services).build().start();
    closeables.add(h);
    if (host == null) {
      host = h;
    }
    return h;
  }

  /** Starts (or replaces) the gateway with this configuration (port 0, loopback). */
  public Gateway gateway(Function<GatewayConfig.Builder, GatewayConfig.Builder> config) throws Exception {
    if (gateway != null) {
      gateway.close();
      gatewayNats.close();
    }
    gatewayNats = connect(info, "gateway");
    GatewayConfig cfg = config.apply(GatewayConfig.builder().withPort(0).withRouterSync(false)).build();
    gateway = Gateway.builder().withConnection(gatewayNats).withConfig(cfg).withShadowListener(shadows::add)
        .build().start();
    http = new Http(gateway.uri("/"));
    return gateway;
  }

  public Gateway gateway() {
    return gateway;
  }

  /** The gateway's own NATS connection (to watch what reaches it). */
  public Connection gatewayNats() {
    return gatewayNats;
  }

  public Http http() {
    return http;
  }

  @Override
  public void close() throws Exception {
    if (gateway != null) {
      gateway.close();
      gatewayNats.close();
    }
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }
}
