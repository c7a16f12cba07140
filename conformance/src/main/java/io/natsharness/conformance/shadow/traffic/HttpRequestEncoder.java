package io.natsharness.conformance.shadow.traffic;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.natsharness.proto.catalog.HttpRoute;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.proto.diff.TypeRegistries;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request message as the HTTP request a legacy client would send, by the method's
 * {@code google.api.http} binding: path variables from their fields, the rest in the JSON body
 * ({@code body: "*"}, lowerCamelCase names as JsonFormat prints them) or as query parameters
 * ({@code page.page_size=10&tags=a&tags=b}, proto names) for routes without a body.
 *
 * <pre>{@code
 * HttpForm http = HttpRequestEncoder.encode(getBalance, GetBalanceRequest.newBuilder().setWalletId("wal-1").build());
 * http.target(); // "/v1/util/payment/wallets/wal-1/balance"
 * }</pre>
 */
public final class HttpRequestEncoder {

  private static final Pattern VARIABLE = Pattern.compile("\\{([a-zA-Z_][a-zA-Z0-9_.]*)(=[^}]*)?}");
  private static final JsonFormat.Printer JSON = JsonFormat.printer().usingTypeRegistry(TypeRegistries.catalog())
      .omittingInsignificantWhitespace();

  private HttpRequestEncoder() {}

  /**
   * The HTTP form of {@code request} for {@code method}.
   *
   * @throws IllegalArgumentException when the request is not of the method's type or leaves a
   *     path variable empty (no HTTP request could carry it)
   */
  public static HttpForm encode(MethodInfo method, Message request, Map<String, String> headers) {
    if (!request.getDescriptorForType().getFullName().equals(method.requestType().getFullName())) {
      throw new IllegalArgumentException(method.subject() + " takes a " + method.requestType().getFullName()
          + ", not a " + request.getDescriptorForType().getFullName());
    }
    HttpRoute route = method.route();
    Message.Builder rest = request.toBuilder();
    StringBuilder path = new StringBuilder();
    Matcher m = VARIABLE.matcher(route.path().template());
    int last = 0;
    while (m.find()) {
      path.append(route.path().template(), last, m.start());
      FieldDescriptor fd = method.requestType().findFieldByName(m.group(1));
      String value = fd == null ? "" : scalar(fd, request.getField(fd));
      if (value.isEmpty()) {
        throw new IllegalArgumentException(method.subject() + ": path variable " + m.group(1)
            + " is empty, so the request has no HTTP form");
      }
      path.append(QueryStrings.encodeSegment(value));
      rest.clearField(fd);
      last = m.end();
    }
    path.append(route.path().template().substring(last));
    Map<String, String> allHeaders = new LinkedHashMap<>(headers);
    String body = "";
    String query = "";
    if (route.body().equals("*")) {
      body = json(rest.build());
      allHeaders.put("Content-Type", "application/json");
    } else {
      Message remaining = rest.build();
      if (route.hasBody()) {
        FieldDescriptor bodyField = method.requestType().findFieldByName(route.body());
        body = remaining.hasField(bodyField) ? json((Message) remaining.getField(bodyField)) : "";
        remaining = remaining.toBuilder().clearField(bodyField).build();
        allHeaders.put("Content-Type", "application/json");
      }
      List<String> params = new ArrayList<>();
      query(remaining, "", params);
      query = String.join("&", params);
    }
    return new HttpForm(route.verb(), path.toString(), query, allHeaders, body);
  }

  private static String json(Message m) {
    try {
      return JSON.print(m);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + m.getDescriptorForType().getFullName() + " as JSON", e);
    }
  }

  /** Every set scalar as {@code name=value}, nested fields as dotted names, lists as repeats. */
  private static void query(Message m, String prefix, List<String> out) {
    for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
      FieldDescriptor fd = e.getKey();
      String name = prefix + fd.getName();
      if (fd.isMapField()) {
        throw new IllegalArgumentException("map field " + name + " cannot travel in a query string");
      }
      if (fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (fd.isRepeated()) {
          throw new IllegalArgumentException("repeated message field " + name + " cannot travel in a query string");
        }
        Message child = (Message) e.getValue();
        if (child.getDescriptorForType().getFile().getPackage().equals("google.protobuf")) {
          String text = json(child);
          out.add(QueryStrings.encode(name) + "=" + QueryStrings.encode(text.replaceAll("^\"|\"$", "")));
        } else {
          query(child, name + ".", out);
        }
      } else if (fd.isRepeated()) {
        for (Object v : (List<?>) e.getValue()) {
          out.add(QueryStrings.encode(name) + "=" + QueryStrings.encode(scalar(fd, v)));
        }
      } else {
        out.add(QueryStrings.encode(name) + "=" + QueryStrings.encode(scalar(fd, e.getValue())));
      }
    }
  }

  private static String scalar(FieldDescriptor fd, Object value) {
    return switch (fd.getJavaType()) {
      case ENUM -> ((EnumValueDescriptor) value).getName();
      case BYTE_STRING -> Base64.getEncoder().encodeToString(((com.google.protobuf.ByteString) value).toByteArray());
      case LONG -> fd.getType() == FieldDescriptor.Type.UINT64 || fd.getType() == FieldDescriptor.Type.FIXED64
          ? Long.toUnsignedString((Long) value) : String.valueOf(value);
      default -> String.valueOf(value);
    };
  }
}
