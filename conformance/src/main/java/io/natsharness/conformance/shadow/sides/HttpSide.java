package io.natsharness.conformance.shadow.sides;

import com.google.rpc.Code;
import io.natsharness.conformance.shadow.traffic.HttpForm;
import io.natsharness.conformance.shadow.traffic.HttpRequestEncoder;
import io.natsharness.proto.diff.Answer;
import io.natsharness.proto.diff.AnswerJson;
import io.natsharness.sdk.http.HttpTranscoder;
import io.natsharness.sdk.status.WireHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A legacy HTTP/JSON side: requests by the methods' {@code google.api.http} bindings (or as
 * recorded), answers read back into the response type; server streams as Server-Sent Events.
 */
final class HttpSide implements ShadowSide {

  /** Headers the JDK client sets itself and refuses from callers. */
  private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final URI base;
  private final String prefix;
  private final HttpClient client;
  private final HttpTranscoder transcoder = HttpTranscoder.create();

  HttpSide(URI base) {
    this.base = base;
    String text = base.toString();
    this.prefix = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public String description() {
    return "HTTP " + base;
  }

  @Override
  public boolean speaksHttp() {
    return true;
  }

  @Override
  public Answer call(Call call) {
    HttpForm form;
    try {
      form = call.http().orElseGet(() -> HttpRequestEncoder.encode(call.method(), call.request(), Map.of()));
    } catch (IllegalArgumentException e) {
      return Answer.error(Code.INVALID_ARGUMENT, "not sent: " + e.getMessage());
    }
    Map<String, String> headers = new LinkedHashMap<>(form.headers());
    headers.put(WireHeaders.NH_REQUEST_ID, call.requestId());
    call.idempotencyKey().ifPresent(k -> headers.put(WireHeaders.IDEMPOTENCY_KEY, k));
    Instant deadline = Instant.now().plus(call.timeout());
    headers.put(WireHeaders.NH_DEADLINE, String.valueOf(deadline.toEpochMilli()));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(prefix + form.target()))
        .timeout(call.timeout())
        .method(form.verb(), form.body().isEmpty() ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(form.body(), StandardCharsets.UTF_8));
    headers.forEach((name, value) -> {
      if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        request.header(name, value);
      }
    });
    try {
      if (call.method().serverStreaming()) {
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
          try (InputStream in = response.body()) {
            return error(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
          }
        }
        return SseReader.read(response.body(), call.method().responseType(), call.read(), deadline);
      }
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 == 2) {
        return AnswerJson.read(call.method().responseType(), response.body());
      }
      return error(response.statusCode(), response.body());
    } catch (HttpTimeoutException e) {
      return Answer.error(Code.DEADLINE_EXCEEDED, "no HTTP answer within " + call.timeout().toMillis() + " ms");
    } catch (IOException e) {
      return Answer.error(Code.UNAVAILABLE, "HTTP side " + base + " unreachable: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.error(Code.CANCELLED, "interrupted");
    }
  }

  /** An error reply: its google.rpc.Status body, else the code of the HTTP status with the body as message. */
  private Answer error(int status, String body) {
    if (status < 400) {
      return Answer.unreadable("HTTP " + status + " is neither an answer nor an error", body);
    }
    return Answer.error(transcoder.fromHttp(status, body.getBytes(StandardCharsets.UTF_8)).status());
  }

  @Override
  public void close() {
    // the JDK client has nothing to release before Java 21
  }
}
