package io.natsharness.services.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Status;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;

/**
 * A request with plain jnats, without the SDK client's conveniences (it adds an Idempotency-Key
 * where one is needed), to see what a bare caller gets.
 */
public final class RawNats {

  private RawNats() {}

  /** The error status of the reply; fails when the reply is not an error. */
  public static Status error(Connection nats, String subject, Message request) {
    try {
      io.nats.client.Message reply = nats.request(NatsMessage.builder().subject(subject).headers(new Headers())
          .data(request.toByteArray()).build(), Duration.ofSeconds(5));
      if (reply == null) {
        throw new AssertionError("no reply from " + subject);
      }
      if (reply.getHeaders() == null || reply.getHeaders().getFirst("Nats-Service-Error-Code") == null) {
        throw new AssertionError("expected an error reply from " + subject);
      }
      return Status.parseFrom(reply.getData());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("the error body is not a google.rpc.Status", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
