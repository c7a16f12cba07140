package io.natsharness.services.host.http;

import io.natsharness.sdk.http.HttpTranscoder;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.WireHeaders;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers for answering and reading Undertow exchanges in blocking mode. */
final class HttpExchanges {

  static final String JSON = "application/json";

  private HttpExchanges() {}

  /** Sends a complete response; the exchange must be in blocking mode. */
  static void send(HttpServerExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, bytes.length);
    try (OutputStream out = exchange.getOutputStream()) {
      out.write(bytes);
    }
  }

  /** Answers an error as a {@code google.rpc.Status} JSON body with WIRE.md's HTTP status. */
  static void sendError(HttpServerExchange exchange, HttpTranscoder transcoder, RpcException error, int status)
      throws IOException {
    exchange.getResponseHeaders().put(new HttpString(WireHeaders.NH_STATUS), error.code().name());
    send(exchange, status, JSON, transcoder.errorJson(error));
  }

  static void sendError(HttpServerExchange exchange, HttpTranscoder transcoder, RpcException error) throws IOException {
    sendError(exchange, transcoder, error, error.httpStatus());
  }

  /**
   * Reads the request body, at most {@code limit} bytes.
   *
   * @throws BodyTooLargeException when the body is larger
   */
  static byte[] readBody(HttpServerExchange exchange, int limit) throws IOException {
    long declared = exchange.getRequestContentLength();
    if (declared > limit) {
      throw new BodyTooLargeException();
    }
    try (InputStream in = exchange.getInputStream()) {
      byte[] body = in.readNBytes(limit + 1);
      if (body.length > limit) {
        throw new BodyTooLargeException();
      }
      return body;
    }
  }

  /**
   * Reads and discards what is left of a refused request body, at most {@code cap} bytes, so the
   * client (which usually sends the whole body before it reads) gets the answer instead of a reset.
   */
  static void drain(HttpServerExchange exchange, long cap) {
    try (InputStream in = exchange.getInputStream()) {
      byte[] sink = new byte[64 * 1024];
      long total = 0;
      int n;
      while (total < cap && (n = in.read(sink)) >= 0) {
        total += n;
      }
    } catch (IOException e) {
      // the client went away: nothing to answer anyway
    }
  }

  /** The query parameters of a raw query string, percent-decoded, in order. */
  static Map<String, List<String>> query(String rawQuery) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return params;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw RpcException.invalidArgument("query", "malformed percent-encoding in '" + text + "'");
    }
  }

  /** The request body exceeded the HTTP side's limit. */
  static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException() {
      super("request body too large");
    }
  }
}
