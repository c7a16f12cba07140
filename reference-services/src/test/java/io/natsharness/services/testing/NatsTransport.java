package io.natsharness.services.testing;

import com.google.protobuf.Message;
import io.natsharness.proto.catalog.MethodInfo;
import io.natsharness.sdk.client.CallOptions;
import io.natsharness.sdk.client.ResponseStream;
import io.natsharness.sdk.client.RpcClient;
import io.natsharness.sdk.status.RpcException;
import java.util.ArrayList;
import java.util.List;

/** Calls a method over NATS with the SDK client and returns the {@link Answer}. */
public final class NatsTransport {

  private final RpcClient client;

  public NatsTransport(RpcClient client) {
    this.client = client;
  }

  public Answer call(MethodInfo method, Message request, CallOptions options) {
    List<Message> messages = new ArrayList<>();
    try {
      if (method.serverStreaming()) {
        try (ResponseStream<Message> stream = client.stream(method, request, options)) {
          while (stream.hasNext()) {
            messages.add(stream.next());
          }
        }
      } else {
        messages.add(client.call(method, request, options));
      }
      return Answer.ok(messages);
    } catch (RpcException e) {
      return Answer.failed(messages, e.status());
    }
  }
}
