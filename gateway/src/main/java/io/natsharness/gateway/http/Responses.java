package io.natsharness.gateway.http;

import com.google.rpc.Code;
import io.natsharness.sdk.http.HttpTranscoder;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.StatusCodes;
import io.natsharness.sdk.status.WireHeaders;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the gateway's answers: JSON bodies, and errors as a {@code google.rpc.Status} in JSON
 * with the HTTP status of WIRE.md's table (or a status the table has no row for: 405, 408, 413,
 * 415). Never a stack trace, never a server banner.
 */
final class Responses {

  private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

  static final String JSON = WireHeaders.APPLICATION_JSON;
  static final HttpString REQUEST_ID = new HttpString(WireHeaders.NH_REQUEST_ID);
  static final HttpString RETRY_AFTER = new HttpString("Retry-After");
  static final HttpString WWW_AUTHENTICATE = new HttpString("WWW-Authenticate");
  static final HttpString UPSTREAM = new HttpString("Nh-Upstream");

  private final HttpTranscoder transcoder;

  Responses(HttpTranscoder transcoder) {
    this.transcoder = transcoder;
  }

  HttpTranscoder transcoder() {
    return transcoder;
  }

  /** An error with the status WIRE.md gives its code. */
  void error(HttpServerExchange ex, RpcException error) {
    error(ex, StatusCodes.httpStatus(error.code()), error);
  }

  /** An error with its code in the body and an explicit HTTP status. */
  void error(HttpServerExchange ex, int httpStatus, Code code, String message) {
    error(ex, httpStatus, new RpcException(code, message));
  }

  void error(HttpServerExchange ex, int httpStatus, RpcException error) {
    if (ex.isResponseStarted()) {
      // Too late for a status: the connection is the only thing left to end.
      ex.endExchange();
      return;
    }
    String body;
    try {
      body = transcoder.errorJson(error);
    } catch (RuntimeException e) {
      // Never leave a caller without an answer because an error could not be rendered.
      LOG.error("rendering error {} failed", error.code(), e);
      body = "{\"code\":" + error.code().getNumber() + ",\"message\":" + quote(error.statusMessage()) + "}";
    }
    send(ex, httpStatus, body);
  }

  /** A JSON string literal. */
  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** A JSON body with a status. */
  void send(HttpServerExchange ex, int httpStatus, String json) {
    ex.setStatusCode(httpStatus);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, JSON);
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, bytes.length);
    ex.getResponseSender().send(ByteBuffer.wrap(bytes));
  }

  /**
   * Runs {@code then} as a root handler on the exchange's IO thread (after an asynchronous step);
   * a failure inside it is answered 500 with a generic body and logged, never shown.
   */
  void resume(HttpServerExchange ex, HttpHandler then) {
    ex.getIoThread().execute(() -> Connectors.executeRootHandler(e -> run(e, then), ex));
  }

  /** Runs a step; a failure inside it is answered 500 with a generic body and logged. */
  void run(HttpServerExchange ex, HttpHandler step) {
    try {
      step.handleRequest(ex);
    } catch (Exception failure) {
      RequestContext rc = RequestContext.of(ex);
      String id = rc == null ? "-" : rc.requestId;
      LOG.error("request {} failed inside the gateway", id, failure);
      error(ex, 500, Code.INTERNAL, "internal error (request id " + id + ")");
    }
  }

  /** The client stopped sending: answer, then close the connection. */
  static void closeAfterResponse(HttpServerExchange ex) {
    if (!ex.isRequestComplete()) {
      ex.setPersistent(false);
      ex.getResponseHeaders().put(Headers.CONNECTION, "close");
    }
  }

  /**
   * The rest of the body will not be used. Closing at once would make the kernel reset the
   * connection while the client is still sending, and the client would lose the answer; so the
   * rest is read and dropped (Undertow drains an unread body when the exchange ends), for at most
   * {@code linger}, after which the connection is closed (nginx's lingering close).
   */
  static void lingerOnUnreadBody(HttpServerExchange ex, java.time.Duration linger) {
    if (ex.isRequestComplete()) {
      return;
    }
    org.xnio.XnioExecutor.Key timer = ex.getIoThread().executeAfter(
        () -> org.xnio.IoUtils.safeClose(ex.getConnection()), linger.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    ex.addExchangeCompleteListener((e, next) -> {
      timer.remove();
      next.proceed();
    });
  }
}
