package io.natsharness.gateway.support;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Status;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real JDK HTTP client with the few calls the gateway tests make. */
public final class Http {

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  public Http(URI base) {
    this.base = base;
  }

  public HttpClient client() {
    return client;
  }

  public URI uri(String path) {
    return base.resolve(path);
  }

  public HttpResponse<String> get(String path, String... headers) {
    return send(request(path, headers).GET().build());
  }

  public HttpResponse<String> post(String path, String json, String... headers) {
    return send(request(path, headers).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  public HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
    return send(request(path, headers).method(method, body).build());
  }

  public HttpRequest.Builder request(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return b;
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<InputStream> stream(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static final JsonFormat.TypeRegistry DETAILS = JsonFormat.TypeRegistry.newBuilder()
      .add(io.natsharness.proto.common.v1.ErrorDetail.getDescriptor()).build();

  /** The google.rpc.Status in an error body (strict: the body must be exactly one). */
  public static Status status(HttpResponse<String> response) {
    return status(response.body());
  }

  /** The google.rpc.Status in a JSON text (strict). */
  public static Status status(String json) {
    Status.Builder b = Status.newBuilder();
    try {
      JsonFormat.parser().usingTypeRegistry(DETAILS).merge(json, b);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("not a google.rpc.Status: " + json, e);
    }
    return b.build();
  }

  /** The code and message of an error body, without its details: {@code "NOT_FOUND: no route"}. */
  public static String error(HttpResponse<String> response) {
    Status s = status(response);
    return com.google.rpc.Code.forNumber(s.getCode()) + ": " + s.getMessage();
  }

  /** A raw HTTP/1.1 exchange over a socket, for requests the JDK client refuses to send. */
  public static String raw(java.net.URI base, String request) {
    try (java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One server-sent event. */
  public record Event(String id, String event, String data) {}

  /** Reads events until the server ends the stream or {@code max} events were read. */
  public static List<Event> readEvents(InputStream in, int max) {
    List<Event> events = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String id = null;
      String event = null;
      StringBuilder data = null;
      String line;
      while (events.size() < max && (line = r.readLine()) != null) {
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new Event(id, event == null ? "message" : event, data.toString()));
          }
          id = null;
          event = null;
          data = null;
        } else if (line.startsWith(":")) {
          continue;
        } else if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          event = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          String d = line.substring(5);
          d = d.startsWith(" ") ? d.substring(1) : d;
          data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return events;
  }
}
