package io.natsharness.conformance.load.requests;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.natsharness.proto.diff.TypeRegistries;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.status.RpcException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The size of a method's messages as protobuf and as compact proto3 JSON: the mean over the load
 * run's request bodies, and one response (from one call over NATS).
 *
 * <pre>{@code
 * PayloadSizes sizes = PayloadSizes.measure(requests, rpc);
 * sizes.requestJson() / sizes.requestProtobuf();   // how much larger JSON is
 * }</pre>
 *
 * @param subject the method
 * @param requestProtobuf mean request size as protobuf, bytes
 * @param requestJson mean request size as JSON, bytes
 * @param responseProtobuf one response's size as protobuf, when the call succeeded
 * @param responseJson the same response as JSON
 */
public record PayloadSizes(String subject, double requestProtobuf, double requestJson, OptionalLong responseProtobuf,
    OptionalLong responseJson) {

  private static final JsonFormat.Printer JSON = JsonFormat.printer().usingTypeRegistry(TypeRegistries.catalog())
      .omittingInsignificantWhitespace();

  /** Measures the requests, and one response of the first request (unary methods only). */
  public static PayloadSizes measure(LoadRequests requests, RpcClient rpc) {
    double proto = requests.messages().stream().mapToInt(Message::getSerializedSize).average().orElse(0);
    double json = requests.messages().stream().mapToInt(PayloadSizes::jsonBytes).average().orElse(0);
    OptionalLong responseProto = OptionalLong.empty();
    OptionalLong responseJson = OptionalLong.empty();
    if (!requests.method().serverStreaming()) {
      try {
        CallOptions options = CallOptions.builder().timeout(Duration.ofSeconds(10))
            .idempotencyKey("load-size-" + System.nanoTime()).build();
        Message response = rpc.call(requests.method(), requests.pick(0),
            requests.method().requiresIdempotencyKey() ? options : CallOptions.builder().timeout(Duration.ofSeconds(10)).build());
        responseProto = OptionalLong.of(response.getSerializedSize());
        responseJson = OptionalLong.of(jsonBytes(response));
      } catch (RpcException e) {
        // Sizes of the request alone; the report shows the response as unknown.
      }
    }
    return new PayloadSizes(requests.method().subject(), proto, json, responseProto, responseJson);
  }

  static int jsonBytes(Message m) {
    try {
      return JSON.print(m).getBytes(StandardCharsets.UTF_8).length;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + m.getDescriptorForType().getFullName() + " as JSON", e);
    }
  }
}
