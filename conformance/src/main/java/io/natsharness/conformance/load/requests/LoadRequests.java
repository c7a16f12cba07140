package io.natsharness.conformance.load.requests;

import com.google.protobuf.Message;
import io.natsharness.proto.catalog.MethodInfo;
import java.util.List;
import java.util.Objects;

/**
 * The request bodies a load phase cycles through for one method (request {@code n} is body
 * {@code n % size}), and where they came from.
 *
 * <pre>{@code
 * LoadRequests requests = LoadRequests.of(get, List.of(GetRequest.newBuilder().setKey("audio.volume").build()), "fixed");
 * requests.pick(7);   // the only body
 * }</pre>
 *
 * @param method the catalog method
 * @param messages at least one request of the method's type
 * @param origin how they were made, for reports ("shadow generators, seed 42")
 */
public record LoadRequests(MethodInfo method, List<Message> messages, String origin) {

  public LoadRequests {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(origin, "origin");
    messages = List.copyOf(messages);
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("no request bodies for " + method.subject());
    }
    String type = method.requestType().getFullName();
    for (Message m : messages) {
      if (!m.getDescriptorForType().getFullName().equals(type)) {
        throw new IllegalArgumentException(method.subject() + " takes a " + type + ", not a "
            + m.getDescriptorForType().getFullName());
      }
    }
  }

  public static LoadRequests of(MethodInfo method, List<? extends Message> messages, String origin) {
    return new LoadRequests(method, List.copyOf(messages), origin);
  }

  public Message pick(long sequence) {
    return messages.get((int) Math.floorMod(sequence, (long) messages.size()));
  }

  public int size() {
    return messages.size();
  }
}
