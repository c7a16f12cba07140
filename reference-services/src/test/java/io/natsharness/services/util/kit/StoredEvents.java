package io.natsharness.services.util.kit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a service stored in its domain's event stream, read straight from JetStream: the event
 * ids ({@code Nats-Msg-Id}) and payloads on one subject, in stream order.
 *
 * <pre>{@code
 * List<PaymentSettled> settled = StoredEvents.payloads(jsm, "EVT_UTIL",
 *     "evt.util.payment.v1.payment_settled", PaymentSettled.parser());
 * }</pre>
 */
public final class StoredEvents {

  private StoredEvents() {}

  /** Every stored message on the subject, in stream order; empty when there is no stream yet. */
  public static List<MessageInfo> all(JetStreamManagement jsm, String stream, String subject) {
    List<MessageInfo> found = new ArrayList<>();
    long next = 1;
    // Bounded: a test stream holds far fewer messages than this.
    for (int i = 0; i < 100_000; i++) {
      MessageInfo message;
      try {
        message = jsm.getNextMessage(stream, next, subject);
      } catch (JetStreamApiException e) {
        return found; // no further message, or no stream
      } catch (IOException e) {
        throw new IllegalStateException("JetStream did not answer", e);
      }
      found.add(message);
      next = message.getSeq() + 1;
    }
    return found;
  }

  /** The Nats-Msg-Id of every stored message on the subject. */
  public static List<String> ids(JetStreamManagement jsm, String stream, String subject) {
    return all(jsm, stream, subject).stream().map(m -> m.getHeaders().getFirst("Nats-Msg-Id")).toList();
  }

  /** Every stored payload on the subject, parsed. */
  public static <T extends Message> List<T> payloads(JetStreamManagement jsm, String stream, String subject,
      Parser<T> parser) {
    List<T> out = new ArrayList<>();
    for (MessageInfo m : all(jsm, stream, subject)) {
      try {
        out.add(parser.parseFrom(m.getData()));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("a stored event on " + subject + " is not a " + parser, e);
      }
    }
    return out;
  }
}
