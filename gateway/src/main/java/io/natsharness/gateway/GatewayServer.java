package io.natsharness.gateway;

import io.natsharness.gateway.config.GatewayConfig;
import io.natsharness.gateway.http.GatewayHandler;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.handlers.HttpContinueReadHandler;
import java.net.InetSocketAddress;

/**
 * The Undertow listener. Timeouts against slow clients: request headers must arrive within the
 * parse timeout, an idle keep-alive connection is closed after the idle timeout (the body read
 * timeout is the gateway's own, see GatewayHandler). URL decoding is left to the route table, so
 * an encoded '/' inside a path variable stays inside it.
 */
final class GatewayServer implements AutoCloseable {

  static final int MAX_HEADER_BYTES = 64 * 1024;

  private final Undertow undertow;
  private final GatewayHandler handler;
  private volatile boolean started;

  GatewayServer(GatewayConfig config, GatewayHandler handler) {
    this.handler = handler;
    this.undertow = Undertow.builder()
        .addHttpListener(config.port(), config.host())
        .setServerOption(UndertowOptions.DECODE_URL, false)
        .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(config.requestParseTimeout()))
        .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, millis(config.idleTimeout()))
        .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, false)
        // Request line and headers together: generous for tokens and trace state, small enough
        // that header floods cost little.
        .setServerOption(UndertowOptions.MAX_HEADER_SIZE, MAX_HEADER_BYTES)
        .setServerOption(UndertowOptions.MAX_HEADERS, 100)
        .setHandler(new HttpContinueReadHandler(handler))
        .build();
  }

  void start() {
    undertow.start();
    started = true;
  }

  InetSocketAddress address() {
    if (!started) {
      throw new IllegalStateException("the gateway is not started: call start() first");
    }
    return (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
  }

  /** Closes the proxy's upstream connections first (they live on the listener's IO threads), then stops. */
  @Override
  public void close() {
    try {
      handler.close();
    } finally {
      if (started) {
        undertow.stop();
        started = false;
      }
    }
  }

  private static int millis(java.time.Duration d) {
    return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
  }
}
