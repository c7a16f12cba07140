package io.natsharness.sdk.http;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Status;
import io.natsharness.proto.catalog.HttpRoute;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.internal.ProtoJson;
import io.natsharness.sdk.status.RpcException;
import io.natsharness.sdk.status.StatusCodes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/JSON ↔ protobuf by the {@code google.api.http} rules, shared by the services' legacy HTTP
 * side and the gateway (plain Java types; no HTTP server here).
 *
 * <p>Rules: path variables set the fields they name; with {@code body: "*"} the JSON body is the
 * whole request and query parameters are refused; with {@code body: "<field>"} the body is that
 * field and other fields come from the query; without a body every non-path field comes from the
 * query ({@code ?page.page_size=10&tags=a&tags=b}, proto or JSON names). Path variables win over
 * the body. Unknown fields, in the body or the query, are INVALID_ARGUMENT naming the field.
 *
 * <pre>{@code
 * HttpTranscoder http = new HttpTranscoder();
 * MethodInfo charge = catalog.method("svc.util.payment.v1.charge").orElseThrow();
 * Map<String, String> vars = charge.route().path().match(path).orElseThrow();
 * Message request = http.decodeRequest(charge, vars, Map.of(), bodyBytes);
 * String json = http.encodeJson(response);
 * String error = http.errorJson(RpcException.notFound("wallet wal-1 not found"));
 * }</pre>
 */
public final class HttpTranscoder {

  private static final Pattern UNKNOWN_FIELD = Pattern.compile("Cannot find field: (\\S+) in message (\\S+)");
  private static final int MAX_ERROR_TEXT = 512;

  public HttpTranscoder() {}

  /** A transcoder with the default settings. */
  public static HttpTranscoder create() {
    return new HttpTranscoder();
  }

  /**
   * Builds the request message of {@code method} from path variables, query parameters and body.
   *
   * @param pathVariables values matched by the route's path template (already URL-decoded)
   * @param query query parameters, each with all its values in order (already URL-decoded)
   * @param body the request body, empty or null for none
   * @throws RpcException INVALID_ARGUMENT naming the field for unknown or malformed input
   */
  public Message decodeRequest(MethodInfo method, Map<String, String> pathVariables,
      Map<String, List<String>> query, byte[] body) {
    Objects.requireNonNull(method, "method");
    HttpRoute route = method.route();
    Message.Builder builder = method.requestPrototype().newBuilderForType();
    String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
    if (route.body().equals("*")) {
      if (query != null && !query.isEmpty()) {
        String name = query.keySet().iterator().next();
        throw RpcException.invalidArgument(name, "query parameter '" + name + "' is not allowed: "
            + route + " takes the whole request in its body");
      }
      merge(text.isBlank() ? "{}" : text, builder, method);
    } else {
      RequestParams fromQuery = new RequestParams(method.requestType());
      if (query != null) {
        query.forEach((name, values) -> fromQuery.add("query parameter", name, values));
      }
      if (route.hasBody()) {
        if (RequestParams.field(method.requestType(), route.body()) == null) {
          throw new IllegalStateException(route + " names body field " + route.body() + ", which "
              + method.requestType().getFullName() + " lacks");
        }
        merge("{\"" + route.body() + "\":" + (text.isBlank() ? "null" : text) + "}", builder, method);
      } else if (!text.isBlank()) {
        throw RpcException.invalidArgument("", route + " takes no body");
      }
      if (!fromQuery.isEmpty()) {
        merge(fromQuery.toJson(), builder, method);
      }
    }
    if (pathVariables != null && !pathVariables.isEmpty()) {
      RequestParams fromPath = new RequestParams(method.requestType());
      pathVariables.forEach((name, value) -> fromPath.add("path variable", name, List.of(value)));
      // The path wins: JsonFormat refuses to set a field twice, so clear what the body set.
      pathVariables.keySet().forEach(name -> clear(builder, name));
      merge(fromPath.toJson(), builder, method);
    }
    return builder.build();
  }

  /** The message as proto3 JSON (see the module README for the printing options). */
  public String encodeJson(Message message) {
    return ProtoJson.print(Objects.requireNonNull(message, "message"));
  }

  /** The error as a {@code google.rpc.Status} in JSON, details as typed {@code Any}. */
  public String errorJson(RpcException error) {
    return ProtoJson.print(error.status());
  }

  /**
   * The error an HTTP reply stands for: its {@code google.rpc.Status} body when it has one, else
   * the code of the status (WIRE.md's table read backwards) with the body text as message.
   *
   * @throws IllegalArgumentException for a status below 400, which is not an error
   */
  public RpcException fromHttp(int status, byte[] body) {
    if (status < 400) {
      throw new IllegalArgumentException("HTTP " + status + " is not an error");
    }
    String text = body == null ? "" : new String(body, StandardCharsets.UTF_8).strip();
    if (!text.isEmpty()) {
      try {
        Status.Builder parsed = Status.newBuilder();
        ProtoJson.merge(text, parsed);
        if (parsed.getCode() != 0) {
          return new RpcException(parsed.build());
        }
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        // Not a Status body: fall back to the status line and the text.
      }
    }
    String message = text.isEmpty() ? "HTTP " + status
        : text.length() > MAX_ERROR_TEXT ? text.substring(0, MAX_ERROR_TEXT) : text;
    return new RpcException(StatusCodes.fromHttpStatus(status), message);
  }

  /** Clears the field at a (validated) dotted path, if the builder has it. */
  private static void clear(Message.Builder builder, String path) {
    String[] segments = path.split("\\.");
    Message.Builder current = builder;
    for (int i = 0; i < segments.length - 1; i++) {
      FieldDescriptor field = RequestParams.field(current.getDescriptorForType(), segments[i]);
      if (field == null || !current.hasField(field)) {
        return;
      }
      current = current.getFieldBuilder(field);
    }
    FieldDescriptor last = RequestParams.field(current.getDescriptorForType(), segments[segments.length - 1]);
    if (last != null) {
      current.clearField(last);
    }
  }

  private static void merge(String json, Message.Builder builder, MethodInfo method) {
    try {
      ProtoJson.merge(json, builder);
    } catch (InvalidProtocolBufferException e) {
      String detail = e.getMessage() == null ? e.toString() : e.getMessage();
      Matcher unknown = UNKNOWN_FIELD.matcher(detail);
      if (unknown.find()) {
        throw RpcException.invalidArgument(unknown.group(1), "unknown field in " + unknown.group(2));
      }
      throw RpcException.invalidArgument("", "request is not a valid " + method.requestType().getFullName()
          + " in proto3 JSON: " + withoutClassNames(detail));
    } catch (RuntimeException e) {
      // Gson reports some malformed input with unchecked exceptions.
      throw RpcException.invalidArgument("", "request is not valid JSON: " + withoutClassNames(String.valueOf(e.getMessage())));
    }
  }

  /** Parser messages quote Java exception names ("java.io.EOFException: …"): callers get the sentence only. */
  static String withoutClassNames(String detail) {
    return JAVA_EXCEPTION_NAME.matcher(detail).replaceAll("");
  }

  private static final Pattern JAVA_EXCEPTION_NAME =
      Pattern.compile("(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error):\\s*");
}
