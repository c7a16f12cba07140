package io.natsharness.services.host.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.natsharness.sdk.http.HttpTranscoder;
import io.natsharness.sdk.status.RpcException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks what answers a request (a method route, {@code /metrics} or {@code /health}) on the IO
 * thread, then runs it in blocking mode on a worker, at most {@code maxInFlight} at once.
 */
final class RootHandler implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RootHandler.class);

  private final RouteTable routes;
  private final MethodHandler methods;
  private final HttpTranscoder transcoder;
  private final PrometheusMeterRegistry registry;
  private final HealthCheck health;
  private final Semaphore inFlight;
  private final ExecutorService workers;

  RootHandler(RouteTable routes, MethodHandler methods, HttpTranscoder transcoder,
      PrometheusMeterRegistry registry, HealthCheck health, int maxInFlight) {
    this.routes = routes;
    this.methods = methods;
    this.transcoder = transcoder;
    this.registry = registry;
    this.health = health;
    this.inFlight = new Semaphore(maxInFlight);
    AtomicInteger threads = new AtomicInteger();
    this.workers = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "nh-http-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    Runnable work = choose(exchange);
    if (!inFlight.tryAcquire()) {
      // Still on the IO thread: answer without blocking.
      exchange.setStatusCode(429);
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, HttpExchanges.JSON);
      exchange.getResponseSender().send(transcoder.errorJson(
          RpcException.resourceExhausted("too many HTTP requests in flight on this host")));
      return;
    }
    exchange.dispatch(workers, () -> {
      try {
        exchange.startBlocking();
        work.run();
      } finally {
        inFlight.release();
        exchange.endExchange();
      }
    });
  }

  void shutdownWorkers() {
    workers.shutdownNow();
  }

  private Runnable choose(HttpServerExchange exchange) {
    String verb = exchange.getRequestMethod().toString().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestPath();
    if (verb.equals("GET") && path.equals("/metrics")) {
      return () -> answer(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }
    if (verb.equals("GET") && path.equals("/health")) {
      return () -> {
        HealthCheck.Report report = health.check();
        answer(exchange, report.httpStatus(), HttpExchanges.JSON, report.toJson());
      };
    }
    Optional<RouteTable.Match> match = routes.find(verb, path);
    if (match.isPresent()) {
      return () -> methods.handle(exchange, match.get());
    }
    List<String> verbs = routes.verbsOf(path);
    String message = "no route for " + verb + " " + path
        + (verbs.isEmpty() ? "" : " (the path has a route for " + String.join(", ", verbs) + ")");
    return () -> {
      try {
        HttpExchanges.sendError(exchange, transcoder, RpcException.notFound(message));
      } catch (IOException e) {
        LOG.debug("HTTP client went away", e);
      }
    };
  }

  private static void answer(HttpServerExchange exchange, int status, String contentType, String body) {
    try {
      HttpExchanges.send(exchange, status, contentType, body);
    } catch (IOException e) {
      LOG.debug("HTTP client went away", e);
    }
  }
}
