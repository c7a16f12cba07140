package io.natsharness.conformance.load.transport;

import io.natsharness.conformance.load.generate.Caller;
import io.natsharness.conformance.load.generate.Outcome;
import io.natsharness.conformance.load.requests.LoadRequests;
import io.natsharness.conformance.shadow.traffic.HttpForm;
import io.natsharness.conformance.shadow.traffic.HttpRequestEncoder;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.status.WireHeaders;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * HTTP/JSON with the JDK's {@link HttpClient} (HTTP/1.1, keep-alive; at most the plan's in-flight
 * bound of connections, since the generator never has more requests out). Requests take the
 * method's {@code google.api.http} form (the shadow suite's encoder), built once before the run. A
 * 2xx answer is OK; otherwise the error is the {@code Nh-Status} header's name, or
 * {@code HTTP <status>}. The body is read to its end, server-sent event streams included.
 */
final class HttpTransport implements Transport {

  private final TransportKind kind;
  private final String base;
  private final Duration timeout;
  private final HttpClient client;

  HttpTransport(TransportKind kind, URI base, Duration timeout) {
    this.kind = kind;
    String text = base.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout).build();
  }

  @Override
  public TransportKind kind() {
    return kind;
  }

  @Override
  public String description() {
    return "HTTP " + base;
  }

  @Override
  public Caller caller(LoadRequests requests) {
    MethodInfo method = requests.method();
    List<HttpRequest> prepared = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      prepared.add(request(HttpRequestEncoder.encode(method, requests.messages().get(i), Map.of())));
    }
    String keys = Keys.prefix();
    return seq -> {
      HttpRequest request = prepared.get((int) Math.floorMod(seq, (long) prepared.size()));
      if (method.requiresIdempotencyKey()) {
        request = HttpRequest.newBuilder(request, (name, value) -> true)
            .header(WireHeaders.IDEMPOTENCY_KEY, keys + seq).build();
      }
      return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
          .handle((response, error) -> error != null ? failure(error) : outcome(response));
    };
  }

  private HttpRequest request(HttpForm form) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + form.target())).timeout(timeout)
        .method(form.verb(), form.body().isEmpty() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(form.body(), StandardCharsets.UTF_8));
    form.headers().forEach((name, value) -> {
      if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("host")) {
        b.header(name, value);
      }
    });
    return b.build();
  }

  private static Outcome outcome(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      // A server-sent event stream that failed part way still answered 200.
      return isStreamError(response) ? Outcome.error("STREAM_ERROR") : Outcome.OK;
    }
    return Outcome.error(response.headers().firstValue(WireHeaders.NH_STATUS).orElse("HTTP " + status));
  }

  private static boolean isStreamError(HttpResponse<byte[]> response) {
    return response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT)
        .startsWith("text/event-stream")
        && new String(response.body(), StandardCharsets.UTF_8).contains("event: error");
  }

  private static Outcome failure(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof HttpTimeoutException) {
      return Outcome.noAnswer("DEADLINE_EXCEEDED");
    }
    if (cause instanceof ConnectException) {
      return Outcome.noAnswer("UNAVAILABLE");
    }
    return Outcome.noAnswer("HTTP_FAILURE");
  }

  @Override
  public void close() {
    // The JDK 17 client has no close(); its connections go with it when it is collected.
  }
}
