package io.natsharness.services.testing;

import com.google.protobuf.Message;
import com.google.rpc.Status;
import java.util.List;
import java.util.Optional;

/**
 * What one call answered, the same shape for both transports: the messages (one for a unary
 * call, the chunks of a stream) and the error status it ended with, if any.
 */
public record Answer(List<Message> messages, Optional<Status> error) {

  public static Answer ok(List<Message> messages) {
    return new Answer(List.copyOf(messages), Optional.empty());
  }

  public static Answer failed(List<Message> messages, Status error) {
    return new Answer(List.copyOf(messages), Optional.of(error));
  }

  /** The single message of a successful unary answer. */
  @SuppressWarnings("unchecked")
  public <T extends Message> T single() {
    if (error.isPresent() || messages.size() != 1) {
      throw new AssertionError("expected one message, got " + this);
    }
    return (T) messages.get(0);
  }
}
