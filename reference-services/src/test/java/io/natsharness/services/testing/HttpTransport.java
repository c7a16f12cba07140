package io.natsharness.services.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.Status;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.common.v1.ErrorDetail;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Calls a method on the host's legacy HTTP side as an HTTP/JSON client would: path variables in
 * the path (percent-encoded), the other fields in the JSON body ({@code body: "*"}) or as query
 * parameters (GET, DELETE), server streams read as Server-Sent Events.
 */
public final class HttpTransport {

  private static final JsonFormat.TypeRegistry TYPES = JsonFormat.TypeRegistry.newBuilder()
      .add(ErrorDetail.getDescriptor()).build();

  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public HttpTransport(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** Whether the request can travel over HTTP at all: a path variable cannot be empty. */
  public static boolean routable(MethodInfo method, Message request) {
    for (String variable : method.route().pathVariables()) {
      FieldDescriptor field = request.getDescriptorForType().findFieldByName(variable);
      if (field == null || String.valueOf(scalar(field, request.getField(field))).isEmpty()) {
        return false;
      }
    }
    return true;
  }

  public Answer call(MethodInfo method, Message request, Map<String, String> headers) {
    HttpResponse<String> response = send(method, request, headers);
    return parse(method, response);
  }

  public HttpResponse<String> send(MethodInfo method, Message request, Map<String, String> headers) {
    StringBuilder path = new StringBuilder(method.route().path().template());
    Message.Builder rest = request.toBuilder();
    for (String variable : method.route().pathVariables()) {
      FieldDescriptor field = request.getDescriptorForType().findFieldByName(variable);
      String value = encode(String.valueOf(scalar(field, request.getField(field))));
      int start = path.indexOf("{" + variable);
      int end = path.indexOf("}", start);
      path.replace(start, end + 1, value);
      rest.clearField(field);
    }
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
    if (method.route().hasBody()) {
      body = HttpRequest.BodyPublishers.ofString(print(rest.build()));
    } else {
      List<String> query = new ArrayList<>();
      addQuery(query, "", rest.build());
      if (!query.isEmpty()) {
        path.append('?').append(String.join("&", query));
      }
    }
    return raw(method.route().verb(), path.toString(), body, headers);
  }

  public HttpResponse<String> raw(String verb, String pathAndQuery, HttpRequest.BodyPublisher body,
      Map<String, String> headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
        .timeout(Duration.ofSeconds(30)).method(verb, body).setHeader("Content-Type", "application/json");
    headers.forEach(builder::setHeader);
    try {
      return http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("HTTP call " + verb + " " + pathAndQuery + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Reads a response: JSON message, SSE chunks, or a google.rpc.Status error body. */
  public static Answer parse(MethodInfo method, HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      return Answer.failed(List.of(), status(response.body()));
    }
    if (!method.serverStreaming()) {
      return Answer.ok(List.of(message(method, response.body())));
    }
    List<Message> chunks = new ArrayList<>();
    for (Sse.Event event : Sse.parse(response.body())) {
      switch (event.name()) {
        case "message" -> chunks.add(message(method, event.data()));
        case "end" -> {
          return Answer.ok(chunks);
        }
        case "error" -> {
          return Answer.failed(chunks, status(event.data()));
        }
        default -> throw new AssertionError("unexpected SSE event " + event);
      }
    }
    throw new AssertionError("the SSE stream ended without an end or error event: " + response.body());
  }

  public static Status status(String json) {
    Status.Builder status = Status.newBuilder();
    try {
      JsonFormat.parser().usingTypeRegistry(TYPES).merge(json, status);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("error body is not a google.rpc.Status: " + json, e);
    }
    return status.build();
  }

  private static Message message(MethodInfo method, String json) {
    Message.Builder builder = method.responsePrototype().newBuilderForType();
    try {
      JsonFormat.parser().merge(json, builder);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("answer is not a " + method.responseType().getFullName() + ": " + json, e);
    }
    return builder.build();
  }

  private static String print(Message message) {
    try {
      return JsonFormat.printer().print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static void addQuery(List<String> query, String prefix, Message message) {
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      FieldDescriptor field = entry.getKey();
      String name = prefix + field.getName();
      if (field.isMapField()) {
        throw new IllegalArgumentException("a map field cannot travel in a query string: " + name);
      }
      List<?> values = field.isRepeated() ? (List<?>) entry.getValue() : List.of(entry.getValue());
      for (Object value : values) {
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
          addQuery(query, name + ".", (Message) value);
        } else {
          query.add(encode(name) + "=" + encode(String.valueOf(scalar(field, value))));
        }
      }
    }
  }

  private static Object scalar(FieldDescriptor field, Object value) {
    if (value instanceof EnumValueDescriptor e) {
      return e.getName();
    }
    if (value instanceof ByteString bytes) {
      return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
    return value;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Header map helper. */
  public static Map<String, String> headers(Optional<String> idempotencyKey) {
    return idempotencyKey.map(k -> Map.of("Idempotency-Key", k)).orElse(Map.of());
  }
}
